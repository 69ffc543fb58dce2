using System.Net;
using System.Net.Sockets;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Transports;

/// <summary>Real sockets on 127.0.0.1. Waits are bounded (seconds) and every socket is closed.</summary>
public class UdpRadioTests
{
    private static IPEndPoint Loopback(Socket socket) => new(IPAddress.Loopback, ((IPEndPoint)socket.LocalEndPoint!).Port);

    [Fact]
    public void AFrameSentToAnIdArrivesIntactAndAnEmptyWaitTimesOut()
    {
        using Socket a = UdpRadio.OpenSocket(0);
        using Socket b = UdpRadio.OpenSocket(0);
        var radioA = new UdpRadio(a, [2], [Loopback(b)], [Loopback(b)]);
        var radioB = new UdpRadio(b, [1], [Loopback(a)], []);
        byte[] frame = new byte[FrameLayout.MaxFrameBytes];
        int length = FrameCodec.InsecureUntaggedForHostSimulation(3).EncodeBroadcast(1, 1, 5, 6, 1, 2, 3, frame, 0);

        Assert.True(radioA.Send(2, frame, 0, length));
        byte[] received = new byte[FrameLayout.MaxFrameBytes + 8];
        Assert.Equal(length, radioB.Receive(received, 8, FrameLayout.MaxFrameBytes, 5000));
        Assert.Equal(frame.AsSpan(0, length).ToArray(), received.AsSpan(8, length).ToArray());

        Assert.True(radioA.Broadcast(frame, 0, length));
        Assert.Equal(length, radioB.Receive(received, 0, FrameLayout.MaxFrameBytes, 5000));

        Assert.Equal(0, radioB.Receive(received, 0, received.Length, 20));
        Assert.False(radioA.Send(99, frame, 0, length)); // no endpoint for id 99
        Assert.Equal(1, radioA.SendFailures);
    }

    [Fact]
    public void PeerIdsMustBeAscending()
    {
        using Socket a = UdpRadio.OpenSocket(0);
        var ep = new IPEndPoint(IPAddress.Loopback, 1);
        Assert.Throws<ArgumentException>(() => new UdpRadio(a, [3, 2], [ep, ep], []));
    }

    [Fact]
    public void AGatewayAndTwoRobotsRunTicksOverLoopbackUdp()
    {
        var policy = FakePolicy.Random(globalStates: 2, localStates: 3, globalActions: 3, localActions: 2, kMin: 1, k: 2, seed: 9);
        var codecKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        using Socket gatewaySocket = UdpRadio.OpenSocket(0);
        using Socket robotSocket1 = UdpRadio.OpenSocket(0);
        using Socket robotSocket2 = UdpRadio.OpenSocket(0);
        var clock = new SystemClock();
        // No address plan: the gateway learns each robot's endpoint from its authenticated join (the broadcast list stands
        // in for the subnet broadcast address, which loopback lacks).
        var gatewayRadio = new UdpRadio(gatewaySocket, [], [], [Loopback(robotSocket1), Loopback(robotSocket2)], learnCapacity: 8);
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 1, MaxRobots = 8, SampleSize = 2, ReplyWindowMs = 3000, Seed = 1, AddressLearner = gatewayRadio },
            policy, new FrameCodec(4, new HmacSha256Authenticator(codecKey)), gatewayRadio, clock, new SettableGlobalSensor { State = 1 }, null);
        var robots = new[] { (11, robotSocket1, 0), (12, robotSocket2, 2) }.Select(r =>
            new RobotNode(
                new RobotOptions { RobotId = r.Item1, GatewayId = 1, Seed = 1, TickPeriodMs = 20, NonceSeed = (ulong)r.Item1 },
                policy, new FrameCodec(4, new HmacSha256Authenticator(codecKey)),
                new UdpRadio(r.Item2, [1], [Loopback(gatewaySocket)], []), clock,
                new SettableLocalSensor { State = r.Item3 }, new RecordingActuator(2))).ToArray();

        using var stop = new CancellationTokenSource();
        Thread[] threads = robots.Select(robot => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                robot.Tick(); // listens for 20 ms, then EndTick (which sends the join while not joined)
            }
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        try
        {
            var joinWait = System.Diagnostics.Stopwatch.StartNew();
            while (!robots.All(r => r.Session.Joined) && joinWait.ElapsedMilliseconds < 5000)
            {
                // A robot retries with a new nonce when the accept is slow; only the accept of its latest join counts.
                gateway.ServeJoins(50);
            }

            Assert.All(robots, r => Assert.True(r.Session.Joined));
            Assert.Equal(2, gateway.RosterCount);
            Assert.Equal(2, gatewayRadio.PeersLearned);
            for (int tick = 0; tick < 5; tick++)
            {
                gateway.Tick();
                Assert.Equal(2, gateway.LastReportCount); // both answered within the (generous) window
                Assert.Equal(policy.Expected(1, [1, 0, 1]), gateway.LastGlobalAction);
            }

            // Let the last broadcast land; bounded wait.
            SpinWait.SpinUntil(() => robots.All(r => r.BroadcastsApplied == 5), TimeSpan.FromSeconds(5));
        }
        finally
        {
            stop.Cancel();
            foreach (Thread t in threads)
            {
                t.Join(TimeSpan.FromSeconds(5));
            }
        }

        Assert.All(robots, r => Assert.Equal(5, r.PollsAnswered));
        Assert.All(robots, r => Assert.Equal(5, r.BroadcastsApplied));
        Assert.Equal(0, gateway.Rejected + gateway.Foreign + gateway.Lost);
    }
}
