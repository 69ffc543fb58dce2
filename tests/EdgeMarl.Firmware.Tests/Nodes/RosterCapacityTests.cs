using System.Net;
using System.Net.Sockets;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Nodes;

/// <summary>
/// The roster is bounded only by its capacity (a provisioning value), takes any authenticated id, and the radio's learned
/// address table follows it (learned at the join, forgotten at eviction), so ids can churn past the capacity over time.
/// </summary>
public class RosterCapacityTests
{
    private static readonly byte[] Key = Enumerable.Repeat((byte)9, 32).ToArray();

    private sealed class RecordingLearner : IAddressLearner
    {
        public HashSet<int> Known { get; } = [];

        public void LearnSender(int nodeId) => Known.Add(nodeId);

        public void ForgetSender(int nodeId) => Known.Remove(nodeId);
    }

    private static (GatewayNode Gateway, ScriptedRadio Radio, FrameCodec Codec, RecordingLearner Learner) Make(int capacity, uint lease)
    {
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = new FrameCodec(2, new HmacSha256Authenticator(Key));
        var learner = new RecordingLearner();
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 0, MaxRobots = capacity, SampleSize = 2, ReplyWindowMs = 5, JoinAcceptsPerTick = 16, LeaseTicks = lease, AddressLearner = learner },
            FakePolicy.Random(2, 2, 3, 2, kMin: 0, k: 2, seed: 1), codec, radio, clock, new SettableGlobalSensor { State = 0 }, null);
        return (gateway, radio, codec, learner);
    }

    [Fact]
    public void Any_authenticated_id_joins_up_to_the_capacity_and_the_radio_forgets_robots_that_leave_so_new_ids_fit()
    {
        var (gateway, radio, codec, learner) = Make(capacity: 4, lease: 3);
        byte[] f = new byte[64];

        // Arbitrary and MAC-derived ids (not 1 … n): all four join; a fifth is refused (capacity 4).
        int[] first = [7, 517, 30001, NodeSettingsIds.FromMac(0x12, 0x34)];
        foreach (int id in first)
        {
            radio.Enqueue(f, codec.EncodeJoin(id, 0, 0, 1, (ulong)id, f, 0));
        }

        radio.Enqueue(f, codec.EncodeJoin(65000, 0, 0, 1, 1, f, 0));
        gateway.Tick();
        Assert.Equal(4, gateway.RosterCount);
        Assert.Equal(4, gateway.RosterCapacity);
        Assert.Equal(1, gateway.JoinsRefused);
        int[] roster = new int[4];
        gateway.CopyRoster(roster, 0);
        Assert.Equal(first.Order(), roster);

        // Nobody answers: leases run out, robots are evicted and the radio forgets each one (its table = the roster).
        for (int t = 0; t < 20 && gateway.RosterCount > 0; t++)
        {
            gateway.Tick();
        }

        Assert.Equal(0, gateway.RosterCount);
        Assert.Empty(learner.Known);

        // Four new ids fit again: the capacity bounds the robots joined at once, not the ids ever seen.
        int[] second = [2, 40000, 65535, 12345];
        foreach (int id in second)
        {
            radio.Enqueue(f, codec.EncodeJoin(id, 0, 0, 1, (ulong)(id + 99), f, 0));
        }

        gateway.Tick();
        Assert.Equal(4, gateway.RosterCount);
        Assert.Equal(second.ToHashSet(), learner.Known);
    }

    [Fact]
    public void The_roster_capacity_is_a_provisioning_value_and_an_older_record_reads_as_the_default()
    {
        var record = new EdgeMarl.Shared.Deployment.ProvisioningRecord
        {
            Role = EdgeMarl.Shared.Deployment.ProvisioningRecord.RoleGateway,
            FleetId = 1,
            TickPeriodMs = 200,
            Key = Key,
            UdpPort = 47800,
            RosterCapacity = 1000,
        };
        Assert.Null(record.Problem());
        byte[] bytes = new byte[EdgeMarl.Shared.Deployment.ProvisioningRecord.Length];
        record.Encode(bytes, 0);
        Assert.Equal(1000, EdgeMarl.Firmware.Supervision.NodeSettings.From(EdgeMarl.Shared.Deployment.ProvisioningRecord.Decode(bytes, 0), null).RosterCapacity);

        // A record written before the field existed carries 0 in those (reserved) bytes: the default applies.
        record.RosterCapacity = 0;
        record.Encode(bytes, 0);
        Assert.Equal(0, bytes[EdgeMarl.Shared.Deployment.ProvisioningRecord.RosterCapacityOffset] | bytes[EdgeMarl.Shared.Deployment.ProvisioningRecord.RosterCapacityOffset + 1]);
        Assert.Equal(
            EdgeMarl.Firmware.Supervision.NodeSettings.DefaultRosterCapacity,
            EdgeMarl.Firmware.Supervision.NodeSettings.From(EdgeMarl.Shared.Deployment.ProvisioningRecord.Decode(bytes, 0), null).RosterCapacity);

        record.RosterCapacity = 70000;
        Assert.Contains("roster capacity", record.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_udp_radio_forgets_a_peer_and_reuses_its_room()
    {
        using Socket gatewaySocket = UdpRadio.OpenSocket(0);
        using Socket robotSocket = UdpRadio.OpenSocket(0);
        var robotEndpoint = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)robotSocket.LocalEndPoint!).Port);
        var radio = new UdpRadio(gatewaySocket, [], [], [], learnCapacity: 1);
        var robot = new UdpRadio(robotSocket, [0], [new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)gatewaySocket.LocalEndPoint!).Port)], []);
        byte[] frame = [1, 2, 3];
        byte[] rx = new byte[16];
        Assert.True(robot.Send(0, frame, 0, 3));
        Assert.Equal(3, radio.Receive(rx, 0, rx.Length, 5000));
        radio.LearnSender(44);
        Assert.Equal(1, radio.PeerCount);
        radio.LearnSender(45); // full
        Assert.Equal(1, radio.LearnRefused);

        // The packed endpoint reaches the robot's socket.
        Assert.True(radio.Send(44, frame, 0, 3));
        Assert.Equal(3, robot.Receive(rx, 0, rx.Length, 5000));

        radio.ForgetSender(44);
        Assert.Equal(0, radio.PeerCount);
        Assert.False(radio.Send(44, frame, 0, 3));
        radio.LearnSender(45);
        Assert.Equal(1, radio.PeerCount);
        Assert.True(radio.Send(45, frame, 0, 3));
        Assert.Equal(3, robot.Receive(rx, 0, rx.Length, 5000));
        Assert.Equal(robotEndpoint.Port, ((IPEndPoint)robotSocket.LocalEndPoint!).Port);
    }

    /// <summary>
    /// Heap per joined robot on the gateway, measured on .NET as the bytes allocated by the constructors at capacity 2,000
    /// minus capacity 1,000 (so fixed buffers cancel), divided by 1,000: the roster (id + lease) and the radio's peer table
    /// (id + IPv4 + port). nanoFramework arrays hold the same element sizes; the per-object headers differ but do not grow with n.
    /// </summary>
    [Fact]
    public void A_joined_robot_costs_at_most_20_bytes_of_gateway_heap()
    {
        long Gateway(int capacity)
        {
            var clock = new SimulatedClock();
            var radio = new ScriptedRadio(clock);
            var policy = FakePolicy.Random(2, 2, 3, 2, kMin: 0, k: 2, seed: 1);
            var codec = new FrameCodec(2, new HmacSha256Authenticator(Key));
            var options = new GatewayOptions { GatewayId = 0, MaxRobots = capacity, SampleSize = 10 };
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = new GatewayNode(options, policy, codec, radio, clock, new SettableGlobalSensor(), null);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long Radio(Socket socket, int capacity)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = new UdpRadio(socket, [], [], [], capacity);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        using Socket socket = UdpRadio.OpenSocket(0);
        Gateway(10);
        Radio(socket, 10); // warm up (JIT, statics)
        double roster = (Gateway(2000) - Gateway(1000)) / 1000.0;
        double peers = (Radio(socket, 2000) - Radio(socket, 1000)) / 1000.0;
        Console.WriteLine($"roster {roster} B + radio peers {peers} B = {roster + peers} B per joined robot");
        Assert.Equal(8.0, roster);  // int id + uint lease expiry
        Assert.Equal(10.0, peers);  // int id + uint IPv4 + ushort port
        Assert.True(roster + peers <= 20.0);
    }
}

/// <summary>MAC-derived robot ids as the robots compute them (NodeSettings.RobotIdFromMac).</summary>
internal static class NodeSettingsIds
{
    public static int FromMac(byte b4, byte b5) => EdgeMarl.Firmware.Supervision.NodeSettings.RobotIdFromMac([0, 0, 0, 0, b4, b5]);
}
