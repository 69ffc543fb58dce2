using System.Diagnostics;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// Runs the unmodified firmware nodes, one <see cref="GatewayNode"/> and <c>n</c> <see cref="RobotNode"/>s, over a transport
/// against a <see cref="FleetPlant"/>, for a number of episodes, with optional faults (docs/fleet.md).
/// </summary>
/// <remarks>
/// <para>Seeding (docs/evaluation.md "Device-exact mode"): episode <c>e</c> has rollout seed
/// <c>ρ = EvaluationSeeds.Rollout(seed, 0, e)</c>; the plant uses the environment stream of <c>ρ</c>, the gateway is configured
/// with <c>EvaluationSeeds.DeviceGatewaySeed(ρ)</c>, every robot with <c>EvaluationSeeds.DeviceRobotSeed(ρ)</c> (robot ids
/// 0 … n−1). Faults and the network draw from their own streams, so with no faults the run replays
/// <see cref="RobotLevelSimulator"/> in <see cref="RobotActionDraw.DeviceExact"/> mode bit for bit.</para>
/// <para>A tick: faults (crash, reboot, gateway restart) → <c>GatewayNode.Tick</c> (sense <c>s_g</c>, poll, collect, decide,
/// broadcast, actuate <c>a_g</c>) → attacker frames → the transport settles (robots answer and act) → every running robot's
/// <c>EndTick</c> → the plant steps. Bounded: every wait is the gateway's reply window or the transport's settle bound.</para>
/// </remarks>
public sealed class FleetRunner
{
    /// <summary>The gateway's node id.</summary>
    public const int GatewayId = 0xFFFF;

    /// <summary>The attacker's node id (used only when forging).</summary>
    public const int AttackerId = 0xFFFE;

    /// <summary>The fleet id in every frame.</summary>
    public const int FleetId = 0x0E31;

    /// <summary>Bring-up rounds after which robots that still have not joined are reported (they keep trying in the episode).</summary>
    public const int MaxBringUpRounds = 4000;

    private const ulong FaultStream = 0xFA17;
    private const ulong NetworkStream = 0xAE7;
    private const ulong NonceStream = 0x4E0CE;
    private const ulong EntropyStream = 0xE90C;

    private readonly EvaluationTables? _tables;
    private readonly TypedFleetTables? _typedTables;
    private readonly int[]? _robotTypes;
    private readonly int[]? _provisionedTypes;
    private readonly double _gamma;
    private readonly int _globalStates;
    private readonly int _globalActions;
    private readonly int _localStates;
    private readonly int _classes;
    private readonly IPolicyLookup _policy;
    private readonly FleetOptions _options;
    private readonly FleetHooks _hooks;
    private readonly int _n;
    private readonly int _k;
    private readonly RobotNode?[] _robots;
    private readonly IRadio[] _robotRadios;
    private readonly IActuator[] _robotActuators;
    private readonly ILocalStateSensor[] _robotSensors;
    private readonly int[] _downUntil;
    private readonly byte[] _drain = new byte[FrameLayout.MaxFrameBytes];
    private readonly FleetCounters _counters = new();
    private FleetPlant _plant = null!;
    private IFleetTransport _transport = null!;
    private IRadio _gatewayRadio = null!;
    private FrameCodec _codec = null!;
    private FleetAttacker? _attacker;
    private GatewayNode _gateway = null!;
    private readonly EdgeMarl.Firmware.HostAdapters.MemoryRecordFiles _gatewayEpochFiles = new();
    private readonly int[] _boots;
    private int _gatewayBoots;
    private ulong _robotSeed;
    private bool _ran;

    /// <summary>Initializes a new instance of the <see cref="FleetRunner"/> class.</summary>
    /// <param name="game">The game (its <c>n</c> is replaced by <see cref="FleetOptions.Robots"/>).</param>
    /// <param name="policy">The policy as the nodes read it (normally a <see cref="PolicyTable"/> opened from the .empol file).</param>
    /// <param name="options">Run options.</param>
    /// <param name="hooks">Optional instrumentation.</param>
    /// <exception cref="ArgumentException">Shapes disagree or an option is out of range.</exception>
    public FleetRunner(Game game, IPolicyLookup policy, FleetOptions options, FleetHooks? hooks = null)
        : this(policy, options, hooks)
    {
        ArgumentNullException.ThrowIfNull(game);
        if (policy.RobotTypes != 1)
        {
            throw new ArgumentException($"the policy is for T = {policy.RobotTypes} robot types: run it on a typed game with each robot's type (FleetRunner(TypedGame, …))", nameof(policy));
        }

        if (options.SafeAction < 0 || options.SafeAction >= game.LocalActions)
        {
            throw new ArgumentException($"safe action {options.SafeAction} is outside [0, {game.LocalActions})", nameof(options));
        }

        _tables = new EvaluationTables(PolicyTablePair.WithAgents(game, _n), PolicyTablePair.ToPolicyPair(policy), _k, options.Timing);
        (_gamma, _globalStates, _globalActions, _localStates, _classes) = (_tables.Gamma, _tables.GlobalStates, _tables.GlobalActions, _tables.LocalStates, _tables.LocalStates);
    }

    /// <summary>Initializes a new instance of the <see cref="FleetRunner"/> class for a typed fleet (docs/heterogeneity.md §8).</summary>
    /// <param name="game">The typed game (its <c>n</c> is replaced by <see cref="FleetOptions.Robots"/>).</param>
    /// <param name="policy">A policy for the game's <c>T</c> types (format version 5), as the nodes read it.</param>
    /// <param name="robotTypes">Robot <c>i</c>'s true type, one per robot; each robot is provisioned with it unless
    /// <see cref="FleetOptions.ProvisionedTypes"/> says otherwise.</param>
    /// <param name="options">Run options (the robots' own move timing only; the gateway needs a table for exactly <c>k</c>).</param>
    /// <param name="hooks">Optional instrumentation.</param>
    /// <exception cref="ArgumentException">Shapes disagree or an option is out of range.</exception>
    public FleetRunner(TypedGame game, IPolicyLookup policy, int[] robotTypes, FleetOptions options, FleetHooks? hooks = null)
        : this(policy, options, hooks)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(robotTypes);
        if (policy.RobotTypes != game.TypeCount || policy.LocalStates != game.Template.LocalStates)
        {
            throw new ArgumentException($"the policy is for T = {policy.RobotTypes} types of |S_l| = {policy.LocalStates}; game '{game.Name}' has T = {game.TypeCount}, |S_l| = {game.Template.LocalStates}", nameof(policy));
        }

        if (options.Timing != LocalTransitionTiming.CurrentGlobalState)
        {
            throw new ArgumentException("a typed fleet moves robots by the current global state (the typed fleet simulator's timing)", nameof(options));
        }

        if (options.SafeAction < 0 || options.SafeAction >= game.Template.LocalActions)
        {
            throw new ArgumentException($"safe action {options.SafeAction} is outside [0, {game.Template.LocalActions})", nameof(options));
        }

        if (robotTypes.Length != _n || (options.ProvisionedTypes is { } p && p.Length != _n))
        {
            throw new ArgumentException($"robot types: need one per robot (n = {_n})", nameof(robotTypes));
        }

        if (policy is IStoredGlobalTables stored && !stored.HasGlobalTable(_k))
        {
            // The typed fleet simulator (the equivalence reference) has no degradation: the gateway's k must be a stored table.
            throw new ArgumentException($"k = {_k}: a typed fleet run needs the policy's table for exactly k (stored: k' = {policy.KMin} … {policy.K}, typed training stores only its k)");
        }

        var fleet = new TypedGame(game.Template.WithAgentCount(_n), game.Types);
        _typedTables = new TypedFleetTables(fleet, PolicyTablePair.ToPolicyPair(policy), _k);
        _robotTypes = (int[])robotTypes.Clone();
        _provisionedTypes = (int[])(options.ProvisionedTypes ?? robotTypes).Clone();
        (_gamma, _globalStates, _globalActions, _localStates, _classes) = (_typedTables.Gamma, _typedTables.GlobalStates, _typedTables.GlobalActions, _typedTables.LocalStates, _typedTables.ObservedStates);
    }

    private FleetRunner(IPolicyLookup policy, FleetOptions options, FleetHooks? hooks)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        _n = options.Robots;
        _k = options.K ?? policy.K;
        if (_n < 1 || _n > AttackerId)
        {
            throw new ArgumentException($"--n {_n}: need 1 ≤ n ≤ {AttackerId}", nameof(options));
        }

        // k above the largest table K: the gateway subsamples its k replies to K (a lifted policy, docs/policy-format.md).
        if (_k < 1 || _k > _n || _k < policy.KMin)
        {
            throw new ArgumentException($"k = {_k}: need max(1, KMin = {policy.KMin}) ≤ k ≤ n = {_n}", nameof(options));
        }

        if (options.Episodes < 1 || options.Ticks < 1)
        {
            throw new ArgumentException("need at least one episode and one tick", nameof(options));
        }

        if (options.Forge > 0 && options.Key is null)
        {
            throw new ArgumentException("forging needs authenticated frames: give the fleet a key", nameof(options));
        }

        if (options.Transport == FleetTransportKind.Udp && (options.Reorder > 0 || options.MaxDelayMs > 0))
        {
            throw new ArgumentException("reordering and delay are injected by the memory transport only", nameof(options));
        }

        _policy = policy;
        _options = options;
        _hooks = hooks ?? new FleetHooks();
        _robots = new RobotNode?[_n];
        _robotRadios = new IRadio[_n];
        _robotActuators = new IActuator[_n];
        _robotSensors = new ILocalStateSensor[_n];
        _downUntil = new int[_n];
        _boots = new int[_n];
    }

    /// <summary>Gets the evaluation tables the plant uses (game with <c>n</c> robots, the policy as a pair); untyped runs only.</summary>
    /// <exception cref="InvalidOperationException">A typed run (use <see cref="TypedTables"/>).</exception>
    public EvaluationTables Tables => _tables ?? throw new InvalidOperationException("a typed fleet run has TypedTables, not EvaluationTables");

    /// <summary>Gets the typed fleet's tables (game with <c>n</c> robots, the policy as a typed pair), or null for an untyped run.</summary>
    public TypedFleetTables? TypedTables => _typedTables;

    /// <summary>Gets the robots' true types (typed runs), or null.</summary>
    public IReadOnlyList<int>? RobotTypes => _robotTypes;

    /// <summary>Gets <c>k</c>, the robots the gateway polls per tick.</summary>
    public int K => _k;

    /// <summary>Runs every episode.</summary>
    /// <returns>Returns, counters, timing, per-tick summaries and (when recording) the full trace.</returns>
    /// <exception cref="InvalidOperationException">The runner has already run (make a new one per run).</exception>
    public FleetResult Run()
    {
        if (_ran)
        {
            throw new InvalidOperationException("a FleetRunner runs once; make a new one");
        }

        _ran = true;
        _plant = _tables is not null ? new FleetPlant(_tables, _options.SafeAction) : new FleetPlant(_typedTables!, _robotTypes!, _options.SafeAction);
        IFrameAuthenticator? auth = _options.Key is null ? null : new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(_options.Key);
        _codec = auth is null ? FrameCodec.InsecureUntaggedForHostSimulation(FleetId) : new FrameCodec(FleetId, auth);
        ulong networkSeed = Pcg32.DeriveSeed(_options.Seed, NetworkStream);
        _transport = _options.Transport == FleetTransportKind.Udp
            ? new UdpFleetTransport(_options, networkSeed, PumpRobot)
            : DirectFleetTransport.Supports(_options)
                ? new DirectFleetTransport(_options, _k, networkSeed, PumpRobot)
                : new MemoryFleetTransport(_options, networkSeed, PumpRobot);
        try
        {
            _gatewayRadio = _hooks.GatewayRadio is null ? _transport.GatewayRadio : _hooks.GatewayRadio(_transport.GatewayRadio);
            for (int i = 0; i < _n; i++)
            {
                IRadio radio = _transport.RobotRadio(i);
                _robotRadios[i] = _hooks.RobotRadio is null ? radio : _hooks.RobotRadio(i, radio);
                IActuator actuator = new PlantLocalActuator(_plant, i);
                _robotActuators[i] = _hooks.RobotActuator is null ? actuator : _hooks.RobotActuator(i, actuator);
                _robotSensors[i] = new PlantLocalSensor(_plant, i);
            }

            _attacker = _transport.AttackerRadio is null ? null : new FleetAttacker(_transport.AttackerRadio, _options.Forge, _globalStates, _globalActions, _classes, _n, _k);
            return RunEpisodes();
        }
        finally
        {
            _transport.Dispose();
        }
    }

    private FleetResult RunEpisodes()
    {
        var ticks = new List<FleetTickSummary>(_options.Episodes * _options.Ticks);
        var trace = new List<FleetTickRecord>();
        double[] returns = new double[_options.Episodes];
        int[] sampled = new int[_k];
        int[] counts = new int[_classes];
        long total = (long)_options.Episodes * _options.Ticks;
        long done = 0;
        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (int e = 0; e < _options.Episodes; e++)
        {
            ulong rho = EvaluationSeeds.Rollout(_options.Seed, 0, e);
            var faults = new Pcg32(Pcg32.DeriveSeed(rho, FaultStream), FaultStream);
            _plant.Reset(rho);
            _robotSeed = EvaluationSeeds.DeviceRobotSeed(rho);
            _gateway = NewGateway(EvaluationSeeds.DeviceGatewaySeed(rho));
            for (int i = 0; i < _n; i++)
            {
                _robots[i] = NewRobot(i);
                _downUntil[i] = 0;
            }

            BringUp();

            double discount = 1.0;
            double episodeReturn = 0;
            for (int t = 0; t < _options.Ticks; t++)
            {
                InjectFaults(faults, t, EvaluationSeeds.DeviceGatewaySeed(rho));
                int sg = _plant.GlobalState;
                int[] population = Population();
                _transport.BeginTick();
                _gateway.Tick();
                _counters.ForgedSent += _attacker?.MaybeAttack(faults, _gateway.Epoch, _gateway.CurrentTick, _gateway.LastSequence) ?? 0;
                _transport.Settle();
                for (int i = 0; i < _n; i++)
                {
                    _robots[i]?.EndTick();
                }

                int ag = _plant.GlobalAction;
                int[]? localActions = _options.RecordTrace ? (int[])_plant.LocalActions.Clone() : null;
                if (_options.RecordTrace)
                {
                    _gateway.CopySampledIds(sampled, 0);
                    _gateway.CopyCounts(counts, 0);
                }

                double reward = _plant.Step();
                episodeReturn += discount * reward;
                discount *= _gamma;
                ticks.Add(new FleetTickSummary(e, t, sg, ag, _gateway.LastReportCount, _gateway.LastUsedFallback, reward, population));
                if (_options.RecordTrace)
                {
                    trace.Add(new FleetTickRecord(e, t, (int[])sampled.Clone(), (int[])counts.Clone(), ag, localActions!, (int[])_plant.LocalStates.Clone(), _plant.GlobalState, reward));
                }

                done++;
                _hooks.AfterTick?.Invoke(e, t, done, total);
            }

            returns[e] = episodeReturn;
            RetireGateway();
            for (int i = 0; i < _n; i++)
            {
                RetireRobot(i);
            }

            // Drain what is still in flight so the next episode's fresh robots hear only its own gateway.
            _transport.Settle();
            _transport.Settle();
        }

        wall.Stop();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        _transport.AddCounters(_counters);
        return new FleetResult(returns, _counters, wall.Elapsed.TotalSeconds, cpu, ticks, trace);
    }

    private int[] Population()
    {
        int[] population = new int[_localStates];
        foreach (int s in _plant.LocalStates)
        {
            population[s]++;
        }

        return population;
    }

    /// <summary>
    /// Bring-up before an episode's first tick: robots that have not joined run their tick end (which sends a Join, with
    /// randomized backoff) and the gateway answers what arrived (at most <see cref="GatewayOptions.JoinAcceptsPerTick"/> per
    /// round) without running a tick, so the gateway's generator and the plant are untouched (device-exact runs stay
    /// equivalent). One round stands for one tick period. Joined robots wait.
    /// </summary>
    private void BringUp()
    {
        int rounds = 0;
        while (rounds < MaxBringUpRounds && _robots.Any(r => r is not null && !r.Session.Joined))
        {
            rounds++;
            foreach (RobotNode? robot in _robots)
            {
                if (robot is not null && !robot.Session.Joined)
                {
                    robot.EndTick();
                }
            }

            _transport.Settle();
            _gateway.ServeJoins(0);
            _transport.Settle();
        }

        _counters.BringUps++;
        _counters.BringUpRounds += rounds;
        _counters.MaxBringUpRounds = Math.Max(_counters.MaxBringUpRounds, rounds);
        _counters.NotJoinedAfterBringUp += _robots.Count(r => r is not null && !r.Session.Joined);
    }

    private GatewayNode NewGateway(ulong seed) =>
        new(
            new GatewayOptions
            {
                GatewayId = GatewayId,
                MaxRobots = _n,
                SampleSize = _k,
                ReplyWindowMs = _options.ReplyWindowMs,
                Seed = seed,

                // A new epoch per boot from the two persisted copies (which survive restarts and episodes): robots order the
                // restarted gateway's frames above the old ones without any per-robot configuration.
                Session = new GatewaySession(new EdgeMarl.Firmware.Deployment.PersistentCounter(_gatewayEpochFiles), 0, 0, (uint)Pcg32.DeriveSeed(Pcg32.DeriveSeed(_options.Seed, EntropyStream), (ulong)++_gatewayBoots)),
                JoinAcceptsPerTick = _options.JoinAcceptsPerTick,
                AddressLearner = _transport.GatewayAddressLearner,
            },
            _policy,
            _codec,
            _gatewayRadio,
            _transport.Clock,
            new PlantGlobalSensor(_plant),
            new PlantGlobalActuator(_plant));

    private RobotNode NewRobot(int i) =>
        new(
            new RobotOptions
            {
                RobotId = i,
                GatewayId = GatewayId,
                Seed = _robotSeed,
                TickPeriodMs = _options.TickPeriodMs,
                SilentTicksBeforeSafeAction = _options.SilentTicksBeforeSafeAction,
                SafeAction = _options.SafeAction,
                RobotType = _provisionedTypes is null ? 0 : _provisionedTypes[i],

                // Fresh join nonces every boot (a device mixes a persisted boot counter with entropy), from the seed here.
                NonceSeed = Pcg32.DeriveSeed(Pcg32.DeriveSeed(_options.Seed, NonceStream), ((ulong)(uint)i << 32) | (uint)++_boots[i]),
            },
            _policy,
            _codec,
            _robotRadios[i],
            _transport.Clock,
            _robotSensors[i],
            _robotActuators[i]);

    /// <summary>Called by the transport when robot <paramref name="robot"/> may have frames: the node handles them, or a crashed robot's radio drops them.</summary>
    private void PumpRobot(int robot)
    {
        RobotNode? node = _robots[robot];
        if (node is not null)
        {
            node.ProcessPending();
            return;
        }

        IRadio radio = _robotRadios[robot];
        for (int guard = 0; guard < 4096 && radio.Receive(_drain, 0, _drain.Length, 0) > 0; guard++)
        {
        }
    }

    /// <summary>Crashes and reboots robots, restarts the gateway; all draws from the fault stream, none when the rates are 0.</summary>
    private void InjectFaults(Pcg32 faults, int tick, ulong gatewaySeed)
    {
        if (_options.CrashRate > 0)
        {
            for (int i = 0; i < _n; i++)
            {
                if (_robots[i] is null)
                {
                    if (tick >= _downUntil[i])
                    {
                        _robots[i] = NewRobot(i); // reboot: fresh state, same configuration
                    }
                }
                else if (faults.NextUnitDouble() < _options.CrashRate)
                {
                    RetireRobot(i);
                    _plant.LocalActions[i] = _plant.SafeAction; // motors stop
                    _downUntil[i] = tick + 1 + (int)faults.NextBelow((uint)Math.Max(1, _options.MaxDownTicks));
                    _counters.Crashes++;
                }
            }
        }

        if (_options.GatewayRestartRate > 0 && faults.NextUnitDouble() < _options.GatewayRestartRate)
        {
            RetireGateway();
            _gateway = NewGateway(gatewaySeed); // RAM (the roster) lost; robots follow its next epoch and join again
            _counters.GatewayRestarts++;
        }
    }

    private void RetireGateway() => _counters.Add(_gateway);

    private void RetireRobot(int i)
    {
        if (_robots[i] is RobotNode robot)
        {
            _counters.Add(robot);
            _robots[i] = null;
        }
    }
}
