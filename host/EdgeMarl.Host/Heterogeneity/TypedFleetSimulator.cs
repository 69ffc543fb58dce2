using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;
using EdgeMarl.Shared.Sampling;

namespace EdgeMarl.Host.Heterogeneity;

/// <summary>
/// The real typed fleet, one step at a time (docs/heterogeneity.md "Evaluation"): every robot moves by its own type's
/// <c>P_l^τ</c> and earns <c>r_l^τ</c>, whatever the pair believes. Same generators and draw order as
/// <see cref="RobotLevelSimulator"/> (its default 32-bit draws, the game's own move timing), plus one more generator
/// <c>T</c> (stream <see cref="TypeStream"/> of the rollout seed) from which, after the initial states, robot <c>i</c>'s
/// type is drawn over the shares for <c>i = 0 … n − 1</c> (no draw when <c>T = 1</c>). So a game whose types are all equal
/// gives, rollout by rollout, the returns of <see cref="RobotLevelSimulator"/> on the pooled game (tested at h = 0).
/// </summary>
/// <remarks>
/// <para>Provisioned fleets (docs/heterogeneity.md §8, <c>fleet --check-equivalence</c>): given a per-robot type array, robot <c>i</c>
/// has that type in every rollout and no type stream is drawn.</para>
/// <para>Device-exact mode (<see cref="RobotActionDraw.DeviceExact"/>), as <see cref="RobotLevelSimulator"/>'s: the gateway and robot
/// generators are seeded as the firmware nodes seed themselves and a robot's action is one <see cref="Pcg32.NextByte"/> against the
/// policy file's 8-bit weights of its own type's row (<see cref="TypedFleetTables.LocalPolicyByteThresholds"/>). The gateway needs a
/// table for exactly <c>k</c> (no degradation).</para>
/// </remarks>
internal sealed class TypedFleetSimulator : IRolloutSimulator
{
    /// <summary>The PCG32 stream of the type generator (robot streams are <c>2 + i</c>, so this one is never a robot's).</summary>
    public const ulong TypeStream = ulong.MaxValue;

    private readonly TypedFleetTables _t;
    private readonly RobotActionDraw _draws;
    private readonly int[]? _provisionedTypes;
    private readonly int[] _localActions;
    private int _globalAction = -1;
    private readonly Pcg32 _environment = new(0);
    private readonly Pcg32 _gateway = new(0);
    private readonly Pcg32 _typeDraws = new(0);
    private readonly Pcg32[] _robots;
    private readonly Subsampler _subsampler;
    private readonly int[] _states;
    private readonly int[] _types;
    private readonly int[] _sampledIds;
    private readonly int[] _observed;
    private readonly int[] _counts;
    private readonly double[] _initialLocal;
    private readonly long[] _initialLocalThresholds;
    private readonly double _inverseN;
    private readonly int[] _allCounts;
    private readonly double[] _scaled;
    private readonly double[] _remainders;
    private int _globalState;

    public TypedFleetSimulator(TypedFleetTables tables, RobotActionDraw draws = RobotActionDraw.Uniform32, int[]? provisionedTypes = null)
    {
        _t = tables;
        _draws = draws;
        int n = tables.AgentCount;
        if (provisionedTypes is not null)
        {
            if (provisionedTypes.Length != n || provisionedTypes.Any(type => type < 0 || type >= tables.Types))
            {
                throw new ArgumentException($"provisioned types: need {n} types, each in [0, T = {tables.Types})", nameof(provisionedTypes));
            }

            _provisionedTypes = (int[])provisionedTypes.Clone();
        }

        _localActions = new int[n];
        _robots = new Pcg32[n];
        for (int i = 0; i < n; i++)
        {
            _robots[i] = new Pcg32(0);
        }

        _subsampler = new Subsampler(tables.K);
        _states = new int[n];
        _types = new int[n];
        _sampledIds = new int[tables.K];
        _observed = new int[Math.Max(n, tables.K)];
        _counts = new int[tables.ObservedStates];
        _initialLocal = new double[tables.LocalStates];
        _initialLocalThresholds = new long[tables.LocalStates - 1];
        _inverseN = 1.0 / n;
        _allCounts = new int[tables.ObservedStates];
        _scaled = new double[tables.ObservedStates];
        _remainders = new double[tables.ObservedStates];
    }

    /// <summary>Gets every robot's type (after <see cref="Reset"/>).</summary>
    public ReadOnlySpan<int> RobotTypes => _types;

    /// <summary>Gets every robot's local state.</summary>
    public ReadOnlySpan<int> LocalStates => _states;

    /// <summary>Gets the robot ids the gateway sampled in the last step (Floyd order; not meaningful with full observation).</summary>
    public ReadOnlySpan<int> SampledIds => _sampledIds;

    /// <summary>Gets the count vector of the last step over the observed classes (<see cref="TypedFleetTables.ObservedStates"/>).</summary>
    public ReadOnlySpan<int> SampleCounts => _counts;

    /// <summary>Gets the last step's <c>a_g</c> (−1 before the first step).</summary>
    public int GlobalAction => _globalAction;

    /// <summary>Gets every robot's last local action.</summary>
    public ReadOnlySpan<int> LocalActions => _localActions;

    /// <summary>Gets the current global state.</summary>
    public int GlobalState => _globalState;

    public void Reset(ulong rolloutSeed)
    {
        EvaluationSeeds.Reseed(_environment, rolloutSeed, EvaluationSeeds.EnvironmentStream);
        EvaluationSeeds.ReseedAgents(_gateway, _robots, rolloutSeed, _draws);

        _globalAction = -1;

        TypedFleetTables t = _t;
        _globalState = t.DrawInitialState(_environment, _states, _initialLocal, _initialLocalThresholds);

        if (_provisionedTypes is not null)
        {
            // A provisioned fleet: each robot's type is its record's, the same in every rollout; nothing is drawn.
            _provisionedTypes.CopyTo(_types, 0);
            return;
        }

        EvaluationSeeds.Reseed(_typeDraws, rolloutSeed, TypeStream);
        for (int i = 0; i < _types.Length; i++)
        {
            _types[i] = t.Types == 1 ? 0 : CumulativeThresholds.Sample(t.TypeThresholds, 0, t.Types - 1, _typeDraws.NextUInt32());
        }
    }

    public double Step()
    {
        TypedFleetTables t = _t;
        int sg = _globalState, k = t.K, l = t.LocalStates, al = t.LocalActions, g = t.GlobalStates;
        bool typed = t.Observation == TypedObservation.Typed;
        if (t.GatewayObservesAll)
        {
            for (int i = 0; i < _states.Length; i++)
            {
                _observed[i] = typed ? (_types[i] * l) + _states[i] : _states[i];
            }

            CountVector.Count(_observed, 0, _states.Length, t.ObservedStates, _allCounts, 0);
            for (int j = 0; j < t.ObservedStates; j++)
            {
                _scaled[j] = (double)k * _allCounts[j] * _inverseN;
            }

            Training.LargestRemainder.Round(_scaled, k, _counts, _remainders);
        }
        else
        {
            _subsampler.Sample(_gateway, _states.Length, k, _sampledIds, 0);
            for (int j = 0; j < k; j++)
            {
                int id = _sampledIds[j];
                _observed[j] = typed ? (_types[id] * l) + _states[id] : _states[id];
            }

            CountVector.Count(_observed, 0, k, t.ObservedStates, _counts, 0);
        }

        int ag = t.GlobalActionTable[(sg * t.CountVectors) + t.Ranker.Rank(_counts, 0, k)];
        _globalAction = ag;
        long[] policy = t.LocalPolicyThresholds;
        int[] bytePolicy = t.LocalPolicyByteThresholds;
        bool deviceExact = _draws == RobotActionDraw.DeviceExact;
        long[]? deviator = t.DeviatorPolicyThresholds;
        long[] transition = t.LocalTransitionThresholds;
        double[] reward = t.LocalReward;
        double sum = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            int row = (((_types[i] * g) + sg) * l) + _states[i];
            int a = deviceExact && !(i == 0 && deviator is not null)
                ? ByteDraw(bytePolicy, row * (al - 1), al - 1, _robots[i].NextByte())
                : CumulativeThresholds.Sample(i == 0 && deviator is not null ? deviator : policy, row * (al - 1), al - 1, _robots[i].NextUInt32());
            _localActions[i] = a;
            int cell = (row * al) + a;
            sum += reward[cell];
            _states[i] = CumulativeThresholds.Sample(transition, cell * (l - 1), l - 1, _environment.NextUInt32());
        }

        _globalState = CumulativeThresholds.Sample(t.GlobalTransitionThresholds, ((sg * t.GlobalActions) + ag) * (g - 1), g - 1, _environment.NextUInt32());
        return t.GlobalReward[(sg * t.GlobalActions) + ag] + (sum * _inverseN);
    }

    /// <summary>The firmware's draw (<c>PolicyTable.GetLocalAction</c>): the first <c>a</c> whose 8-bit cumulative weight exceeds <c>b</c>.</summary>
    private static int ByteDraw(int[] thresholds, int offset, int countMinusOne, byte b)
    {
        int j = 0;
        for (int i = 0; i < countMinusOne; i++)
        {
            j += thresholds[offset + i] <= b ? 1 : 0;
        }

        return j;
    }
}
