using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// The gateway's fleet update wired by hand as <c>GatewayProgram</c> wires it: a
/// <see cref="GatewayNode"/> with a roster capacity and no id list, <see cref="PolicyRollout"/> over its live joined roster,
/// <c>BeforeTick</c> then <c>Tick</c> (the order <c>GatewayProgram</c> runs; <c>GatewayProgramTests</c> run that class itself). Robots carry arbitrary and MAC-derived ids; one robot past the capacity never joins.
/// </summary>
public sealed class RosterRolloutTests
{
    private const int FleetId = 0x0E31;
    private const int GatewayId = 0;

    private sealed class Lines : INodeLog
    {
        public List<string> All { get; } = [];

        public void Write(string line) => All.Add(line);
    }

    /// <summary>Counts the gateway's unicasts per destination (polls, join accepts).</summary>
    private sealed class Tap(IRadio inner) : IRadio
    {
        public Dictionary<int, int> Unicasts { get; } = [];

        public bool Send(int destinationId, byte[] frame, int offset, int length)
        {
            Unicasts[destinationId] = Unicasts.GetValueOrDefault(destinationId) + 1;
            return inner.Send(destinationId, frame, offset, length);
        }

        public bool Broadcast(byte[] frame, int offset, int length) => inner.Broadcast(frame, offset, length);

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs) => inner.Receive(buffer, offset, capacity, timeoutMs);
    }

    private sealed class Robot
    {
        public required int Id { get; init; }
        public required PolicyStore Store { get; init; }
        public required RobotSession Session { get; init; }
        public RobotNode Node { get; set; } = null!;
        public RadioPolicyReceiver Receiver { get; set; } = null!;
    }

    private sealed class Fixed(int state) : ILocalStateSensor, IGlobalStateSensor
    {
        public int ReadLocalState() => state;

        public int ReadGlobalState() => state;
    }

    private sealed class NoMotor : IActuator
    {
        public void Apply(int action)
        {
        }

        public void ShowStatus(bool healthy)
        {
        }
    }

    [Theory]
    [InlineData(1UL, 0.0)]
    [InlineData(2UL, 0.2)]
    public void Robots_with_any_joined_id_receive_the_rollout_and_a_robot_that_could_not_join_is_neither_polled_nor_waited_for(ulong seed, double loss)
    {
        int mac = EdgeMarl.Firmware.Supervision.NodeSettings.RobotIdFromMac([0x24, 0x6F, 0x28, 0x01, 0xBE, 0xEF]);
        int[] joined = [7, 517, 30001, mac];
        const int outsider = 60000;
        var frameAuth = new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(TestPolicies.Key);
        var policyAuth = new StreamingHmacSha256Authenticator(TestPolicies.Key);
        byte[] oldImage = TestPolicies.Medium(1, TestPolicies.Key, version: 1);
        byte[] newImage = TestPolicies.Medium(2, TestPolicies.Key, version: 2);
        uint newCrc = TestPolicies.Crc(newImage);
        var network = new InMemoryNetwork(new NetworkImpairments { LossProbability = loss, MinDelayMs = 1, MaxDelayMs = 4 }, seed);

        var gatewayStore = new PolicyStore(new MemoryPolicyStorage(32 * 1024), TestPolicies.MediumGame(minK: 2), policyAuth, 128, 4);
        gatewayStore.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(gatewayStore, oldImage));
        var tap = new Tap(network.Attach(GatewayId));
        var session = new GatewaySession(null, 1, 0, 0);
        var log = new Lines();
        var rollout = new PolicyRollout(gatewayStore, new FrameCodec(FleetId, frameAuth), tap, GatewayId, null, session, log);
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = GatewayId, MaxRobots = joined.Length, SampleSize = 2, ReplyWindowMs = 50, Seed = seed, Session = session, LeaseTicks = 100_000 },
            gatewayStore.Live, new FrameCodec(FleetId, frameAuth), new PolicyFrameRadio(tap, network.Clock, rollout), network.Clock, new Fixed(1), null);
        rollout.Roster = gateway;

        var robots = new List<Robot>();
        foreach (int id in joined.Append(outsider))
        {
            var store = new PolicyStore(new MemoryPolicyStorage(32 * 1024), TestPolicies.MediumGame(), policyAuth, 128, 4);
            store.Boot();
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, oldImage));
            var robot = new Robot { Id = id, Store = store, Session = new RobotSession((ulong)id * 31 + seed, 0) };
            InMemoryRadio radio = network.Attach(id, () => robot.Node.ProcessPending());
            robot.Receiver = new RadioPolicyReceiver(store, new FrameCodec(FleetId, frameAuth), radio, robot.Session, id, GatewayId, 0);
            robot.Node = new RobotNode(
                new RobotOptions { RobotId = id, GatewayId = GatewayId, Seed = 5, SilentTicksBeforeSafeAction = 3, ActionGate = robot.Receiver, Session = robot.Session },
                store.Live, new FrameCodec(FleetId, frameAuth), new PolicyFrameRadio(radio, network.Clock, robot.Receiver), network.Clock, new Fixed(id % 4), new NoMotor());
            robots.Add(robot);
        }

        // Bring-up: the first four ids to be admitted fill the roster (capacity 4); the outsider's joins are refused.
        for (int round = 0; round < 400 && !joined.All(id => robots.Single(r => r.Id == id).Session.Joined); round++)
        {
            foreach (Robot r in robots.Where(r => !r.Session.Joined && (r.Id != outsider || round > 20)))
            {
                r.Node.EndTick();
            }

            network.RunUntil(network.Clock.NowMs() + 10);
            gateway.ServeJoins(0);
            network.RunUntil(network.Clock.NowMs() + 10);
        }

        Assert.Equal(joined.Length, gateway.RosterCount);
        Assert.False(robots.Single(r => r.Id == outsider).Session.Joined);

        // An upload stages the new image; the rollout goes to the roster as joined now.
        Assert.Equal(DeployStatus.Ok, gatewayStore.BeginStage(newImage.Length, newCrc));
        gatewayStore.WriteStage(0, newImage, 0, newImage.Length);
        Assert.Equal(DeployStatus.Ok, gatewayStore.FinishStage());
        Assert.True(rollout.Start());
        Assert.Equal(joined.Length, rollout.RobotCount);
        Assert.Contains(log.All, l => l.Contains($"to {joined.Length} robots", StringComparison.Ordinal));

        for (int tick = 0; tick < 400 && (rollout.Running || gatewayStore.CurrentCrc != newCrc); tick++)
        {
            rollout.BeforeTick(gateway.CurrentTick + 1);
            long start = network.Clock.NowMs();
            gateway.Tick();
            network.RunUntil(Math.Max(network.Clock.NowMs(), start + 100));
            foreach (Robot r in robots)
            {
                r.Node.EndTick();
            }
        }

        Assert.Equal(newCrc, gatewayStore.CurrentCrc);
        Assert.All(robots.Where(r => r.Id != outsider), r => Assert.Equal(newCrc, r.Store.CurrentCrc));
        Assert.DoesNotContain(log.All, l => l.Contains("straggler", StringComparison.Ordinal) || l.Contains("aborted", StringComparison.Ordinal));

        // The outsider was never polled nor waited for: the gateway's only unicasts to it would be join answers, and it got none.
        Assert.False(tap.Unicasts.ContainsKey(outsider));
        Assert.All(joined, id => Assert.True(tap.Unicasts.GetValueOrDefault(id) > 1, $"robot {id} was never polled"));
        Assert.True(gateway.JoinsRefused > 0);
    }
}
