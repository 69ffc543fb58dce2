using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Fakes;

/// <summary>A gateway and n robots on one <see cref="InMemoryNetwork"/>; robots react through network hooks.</summary>
public sealed class Fleet
{
    public const int GatewayId = 0;
    public const int FleetId = 0x0E31;
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    /// <summary>Gets or sets robot <c>i</c>'s provisioned type (typed fleets; default 0), read when a robot node is made.</summary>
    public Func<int, int> RobotType { get; set; } = _ => 0;

    public Fleet(FakePolicy policy, int n, int k, NetworkImpairments impairments, ulong seed, bool authenticated = true, int replyWindowMs = 50, int silentTicks = 3, uint firstSequence = 0, bool join = true)
    {
        Policy = policy;
        _seedForEntropy = seed;
        Network = new InMemoryNetwork(impairments, seed);
        IFrameAuthenticator? auth = authenticated ? new HmacSha256Authenticator(Key) : null;
        RobotIds = Enumerable.Range(1, n).Select(i => i * 3).ToArray();
        GlobalSensor = new SettableGlobalSensor();
        GatewayRadio = Network.Attach(GatewayId);
        Gateway = new GatewayNode(
            new GatewayOptions { GatewayId = GatewayId, SampleSize = k, MaxRobots = Math.Max(n, k), ReplyWindowMs = replyWindowMs, Seed = seed, Session = new GatewaySession(new PersistentCounter(EpochFiles), 0, firstSequence, GatewayEntropy()) },
            policy, NewCodec(auth), GatewayRadio, Network.Clock, GlobalSensor, null);
        _auth = auth;
        _k = k;
        _seed = seed;
        _replyWindowMs = replyWindowMs;
        _silentTicks = silentTicks;
        Robots = new RobotNode[n];
        Sensors = new SettableLocalSensor[n];
        Actuators = new RecordingActuator[n];
        for (int i = 0; i < n; i++)
        {
            int index = i;
            Sensors[i] = new SettableLocalSensor();
            Actuators[i] = new RecordingActuator(policy.LocalActions);
            _robotRadios.Add(Network.Attach(RobotIds[i], () => Robots[index].ProcessPending()));
            Robots[i] = NewRobot(i);
        }

        if (join)
        {
            JoinAll();
        }
    }

    /// <summary>The gateway's persisted epoch, two copies (survives gateway reboots; copies can be lost).</summary>
    public MemoryRecordFiles EpochFiles { get; } = new();

    private readonly int[] _boots = new int[1024];
    private ulong _gatewayBoots;

    /// <summary>The gateway's "hardware randomness" for a boot without valid epoch copies: from the seed, new per boot.</summary>
    private uint GatewayEntropy() => (uint)EdgeMarl.Shared.Random.Pcg32.DeriveSeed(Seed ^ 0xE90C, ++_gatewayBoots);

    private ulong Seed => _seedForEntropy;

    /// <summary>Bring-up: every robot joins (Join → JoinAccept) without running a gateway tick; returns the rounds it took.</summary>
    public int JoinAll(int maxRounds = 300)
    {
        int rounds = 0;
        while (Robots.Any(r => !r.Session.Joined))
        {
            if (++rounds > maxRounds)
            {
                throw new InvalidOperationException($"robots did not join within {maxRounds} rounds");
            }

            foreach (RobotNode r in Robots)
            {
                r.EndTick();
            }

            Network.RunUntil(Network.Clock.NowMs() + 10);
            Gateway.ServeJoins(0);
            Network.RunUntil(Network.Clock.NowMs() + 10);
        }

        return rounds;
    }

    private readonly ulong _seedForEntropy;
    private readonly IFrameAuthenticator? _auth;
    private readonly int _k;
    private readonly ulong _seed;
    private readonly int _replyWindowMs;
    private readonly int _silentTicks;
    private readonly List<InMemoryRadio> _robotRadios = [];

    private RobotNode NewRobot(int i) => new(
        new RobotOptions { RobotId = RobotIds[i], GatewayId = GatewayId, Seed = _seed, SilentTicksBeforeSafeAction = _silentTicks, SafeAction = 0, RobotType = RobotType(i), NonceSeed = EdgeMarl.Shared.Random.Pcg32.DeriveSeed(_seed, ((ulong)(uint)RobotIds[i] << 16) | (uint)++_boots[i]) },
        Policy, NewCodec(_auth), _robotRadios[i], Network.Clock, Sensors[i], Actuators[i]);

    /// <summary>Robot <paramref name="i"/> reboots: a fresh node (RAM lost) on the same radio, sensor and motors.</summary>
    public void RebootRobot(int i) => Robots[i] = NewRobot(i);

    /// <summary>
    /// The gateway reboots: RAM (its roster) is lost; it boots a new epoch from its two persisted copies. With
    /// <paramref name="loseFiles"/> = 1 or 2 it lost that many of them first.
    /// </summary>
    public void RebootGateway(int loseFiles)
    {
        for (int copy = 0; copy < loseFiles; copy++)
        {
            EpochFiles.Lose(copy);
        }

        Gateway = new GatewayNode(
            new GatewayOptions { GatewayId = GatewayId, SampleSize = _k, MaxRobots = Math.Max(RobotIds.Length, _k), ReplyWindowMs = _replyWindowMs, Seed = _seed, Session = new GatewaySession(new PersistentCounter(EpochFiles), 0, 0, GatewayEntropy()) },
            Policy, NewCodec(_auth), GatewayRadio, Network.Clock, GlobalSensor, null);
    }

    public FakePolicy Policy { get; }

    private static FrameCodec NewCodec(IFrameAuthenticator? auth) => auth is null ? FrameCodec.InsecureUntaggedForHostSimulation(FleetId) : new FrameCodec(FleetId, auth);
    public InMemoryNetwork Network { get; }
    public InMemoryRadio GatewayRadio { get; }
    public int[] RobotIds { get; }
    public GatewayNode Gateway { get; private set; }
    public RobotNode[] Robots { get; }
    public SettableLocalSensor[] Sensors { get; }
    public RecordingActuator[] Actuators { get; }
    public SettableGlobalSensor GlobalSensor { get; }

    public int TrueState(int robotId) => Sensors[Array.IndexOf(RobotIds, robotId)].State;

    /// <summary>One gateway tick, then let the broadcast reach the robots and close their tick; allocates nothing.</summary>
    public void Tick(int tickPeriodMs = 100)
    {
        long start = Network.Clock.NowMs();
        Gateway.Tick();
        // Run the network to the end of the period: the broadcast reaches the robots (they react in hooks);
        // reports still arriving for the gateway wait in its inbox and count as late in the next tick.
        Network.RunUntil(Math.Max(Network.Clock.NowMs(), start + tickPeriodMs));

        for (int i = 0; i < Robots.Length; i++)
        {
            Robots[i].EndTick();
        }
    }
}
