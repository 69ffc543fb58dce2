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

    public Fleet(FakePolicy policy, int n, int k, NetworkImpairments impairments, ulong seed, bool authenticated = true, int replyWindowMs = 50, int silentTicks = 3)
    {
        Policy = policy;
        Network = new InMemoryNetwork(impairments, seed);
        IFrameAuthenticator? auth = authenticated ? new HmacSha256Authenticator(Key) : null;
        RobotIds = Enumerable.Range(1, n).Select(i => i * 3).ToArray();
        GlobalSensor = new SettableGlobalSensor();
        GatewayRadio = Network.Attach(GatewayId);
        Gateway = new GatewayNode(
            new GatewayOptions { GatewayId = GatewayId, RobotIds = RobotIds, SampleSize = k, ReplyWindowMs = replyWindowMs, Seed = seed },
            policy, NewCodec(auth), GatewayRadio, Network.Clock, GlobalSensor, null);
        Robots = new RobotNode[n];
        Sensors = new SettableLocalSensor[n];
        Actuators = new RecordingActuator[n];
        for (int i = 0; i < n; i++)
        {
            int index = i;
            Sensors[i] = new SettableLocalSensor();
            Actuators[i] = new RecordingActuator(policy.LocalActions);
            var radio = Network.Attach(RobotIds[i], () => Robots[index].ProcessPending());
            Robots[i] = new RobotNode(
                new RobotOptions { RobotId = RobotIds[i], GatewayId = GatewayId, Seed = seed, SilentTicksBeforeSafeAction = silentTicks, SafeAction = 0 },
                policy, NewCodec(auth), radio, Network.Clock, Sensors[i], Actuators[i]);
        }
    }

    public FakePolicy Policy { get; }

    private static FrameCodec NewCodec(IFrameAuthenticator? auth) => auth is null ? FrameCodec.InsecureUntaggedForHostSimulation(FleetId) : new FrameCodec(FleetId, auth);
    public InMemoryNetwork Network { get; }
    public InMemoryRadio GatewayRadio { get; }
    public int[] RobotIds { get; }
    public GatewayNode Gateway { get; }
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
