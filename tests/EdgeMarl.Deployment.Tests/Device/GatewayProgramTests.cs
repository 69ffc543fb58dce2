using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// The gateway's program (<see cref="GatewayProgram"/>, what firmware/EdgeMarl.Gateway.Esp32 runs) under the real
/// <see cref="BootSupervisor"/> over a fake board and the in-memory network: robots with arbitrary ids join up to the
/// provisioned roster capacity, a staged upload is rolled out to exactly the joined robots, and a dropped network is
/// detected, counted and reconnected.
/// </summary>
public sealed class GatewayProgramTests
{
    private const int FleetId = 0x0E31;
    private const int Outsider = 60000;

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

    private sealed class Board(InMemoryNetwork network) : INodePlatform
    {
        public int ConnectFailures { get; set; }

        public bool NetworkUp { get; set; }

        public int PeerCapacity { get; private set; }

        public byte[]? ReadMac() => null;

        public bool ConnectNetwork(NodeSettings settings)
        {
            if (ConnectFailures > 0)
            {
                ConnectFailures--;
                return false;
            }

            NetworkUp = true;
            return true;
        }

        public IRadio OpenRadio(NodeSettings settings, int peerCapacity)
        {
            PeerCapacity = peerCapacity;
            return network.Attach(settings.NodeId);
        }

        public object OpenSensor(int states) => new Fixed(1);

        public IFrameAuthenticator CreateFrameAuthenticator(byte[] key) => new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(key);

        public ulong Entropy() => 99;

        public void Sleep(int milliseconds) => network.RunUntil(network.Clock.NowMs() + milliseconds);

        public bool Wait(int milliseconds)
        {
            network.RunUntil(network.Clock.NowMs() + milliseconds);
            return false;
        }
    }

    private sealed class Robot
    {
        public required int Id { get; init; }
        public required PolicyStore Store { get; init; }
        public RobotNode Node { get; set; } = null!;
    }

    private sealed class Scripted(GatewayProgram program, Action<int> afterStep) : ISupervisedNode
    {
        private int _steps;

        public int Boot() => program.Boot();

        public int Step()
        {
            int result = program.Step();
            afterStep(++_steps);
            return result;
        }

        public void HoldSafe() => program.HoldSafe();

        public bool Wait(int milliseconds) => program.Wait(milliseconds);
    }

    private sealed class Rebooter : IRebooter
    {
        public void Reboot()
        {
        }
    }

    [Fact]
    public void Any_ids_join_up_to_the_provisioned_capacity_the_rollout_reaches_exactly_them_and_a_dropped_network_reconnects()
    {
        using var folder = new TempFolder();
        var provisioning = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        provisioning.Boot();
        Assert.Equal(DeployStatus.Ok, provisioning.Write(new ProvisioningRecord
        {
            Role = ProvisioningRecord.RoleGateway,
            NodeId = 0,
            FleetId = FleetId,
            TickPeriodMs = 200,
            Key = TestPolicies.Key,
            UdpPort = 47800,
            RosterCapacity = 3,
        }));
        var policyAuth = new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key);
        var frameAuth = new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(TestPolicies.Key);
        byte[] oldImage = TestPolicies.Medium(1, TestPolicies.Key, version: 1);
        byte[] newImage = TestPolicies.Medium(2, TestPolicies.Key, version: 2);
        uint newCrc = TestPolicies.Crc(newImage);
        var gatewayFlash = new MemoryPolicyStorage(32 * 1024);
        var factory = new PolicyStore(gatewayFlash, TestPolicies.MediumGame(minK: 2), policyAuth, 128, 4);
        factory.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(factory, oldImage));

        var network = new InMemoryNetwork(new NetworkImpairments { LossProbability = 0.1, MinDelayMs = 1, MaxDelayMs = 3 }, 11);
        var board = new Board(network) { ConnectFailures = 1 };
        var faults = new FaultCounters(new FileRecordFiles(folder.Root, "faults"));
        var health = new NodeHealth();
        var log = new List<string>();
        var boot = new NodeBoot(provisioning, gatewayFlash, TestPolicies.MediumGame(minK: 2), null, null, true);
        var program = new GatewayProgram(boot, null, board, null, network.Clock, new GatewayProgramOptions
        {
            GatewayId = 0,
            SampleSize = 2,
            ReplyWindowMs = 40,
            Seed = 3,
            LinkDownTicks = 3,
            EpochFiles = new MemoryRecordFiles(),
            Faults = faults,
            Health = health,
            Log = new LineLog(log),
        });

        int mac = NodeSettings.RobotIdFromMac([0x24, 0x6F, 0x28, 0x01, 0xBE, 0xEF]);
        var robots = new List<Robot>();
        foreach (int id in new[] { 7, 30001, mac, Outsider })
        {
            var store = new PolicyStore(new MemoryPolicyStorage(32 * 1024), TestPolicies.MediumGame(), policyAuth, 128, 4);
            store.Boot();
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, oldImage));
            var robot = new Robot { Id = id, Store = store };
            var session = new RobotSession((ulong)id * 7919, 0);
            InMemoryRadio radio = network.Attach(id, () => robot.Node.ProcessPending());
            var receiver = new RadioPolicyReceiver(store, new FrameCodec(FleetId, frameAuth), radio, session, id, 0, 0);
            robot.Node = new RobotNode(
                new RobotOptions { RobotId = id, GatewayId = 0, Seed = 5, SilentTicksBeforeSafeAction = 3, ActionGate = receiver, Session = session },
                store.Live, new FrameCodec(FleetId, frameAuth), new PolicyFrameRadio(radio, network.Clock, receiver), network.Clock, new Fixed(id % 4), new NoMotor());
            robots.Add(robot);
        }

        BootSupervisor supervisor = null!;
        int rosterAtRollout = -1, switchedAtStep = 0, dropAtStep = 0;
        void Script(int step)
        {
            foreach (Robot r in robots.Where(r => r.Id != Outsider || step > 30))
            {
                r.Node.EndTick(); // joins while not joined; the outsider starts once the roster is full
            }

            if (step == 60)
            {
                // An upload leaves a verified image staged (as the serial receiver does with commit deferred).
                Assert.Equal(DeployStatus.Ok, boot.Store!.BeginStage(newImage.Length, newCrc));
                boot.Store.WriteStage(0, newImage, 0, newImage.Length);
                Assert.Equal(DeployStatus.Ok, boot.Store.FinishStage());
                Assert.True(program.StartRolloutIfStaged());
                rosterAtRollout = program.Rollout!.RobotCount;
            }

            if (switchedAtStep == 0 && step > 60 && !program.Rollout!.Running && boot.Store!.CurrentCrc == newCrc)
            {
                switchedAtStep = step;
                dropAtStep = step + 5;
            }

            if (step == dropAtStep && dropAtStep > 0)
            {
                board.NetworkUp = false; // Wi-Fi drops
            }

            if (step >= 600 || (dropAtStep > 0 && step > dropAtStep + 20))
            {
                supervisor.StopRequested = true;
            }
        }

        supervisor = new BootSupervisor(new Scripted(program, Script), faults, new Rebooter(), new BackoffSchedule(), health);
        Assert.Equal(BootSupervisor.Stopped, supervisor.Run());
        Assert.Equal(0u, faults.Count(FaultCounters.LoopException)); // an assertion failing inside the script would land here

        // The provisioned capacity bounds the roster (and the radio's peer table); any ids joined; the outsider was refused.
        Assert.Equal(3, board.PeerCapacity);
        Assert.Equal(3, program.Gateway!.RosterCapacity);
        Assert.Equal(3, rosterAtRollout);
        Assert.True(program.Gateway.JoinsRefused > 0);

        // The rollout reached exactly the joined robots; the outsider kept its policy.
        Assert.True(switchedAtStep > 0, "the rollout did not finish: " + string.Join(" | ", log.TakeLast(5)));
        Assert.All(robots.Where(r => r.Id != Outsider), r => Assert.Equal(newCrc, r.Store.CurrentCrc));
        Assert.NotEqual(newCrc, robots.Single(r => r.Id == Outsider).Store.CurrentCrc);
        Assert.Contains(log, l => l.Contains("B to 3 robots", StringComparison.Ordinal));

        // One failed Wi-Fi join at boot, one link loss: both no-network, both reconnected.
        Assert.Equal(1, program.Link.Losses);
        Assert.Equal(3, program.NetworkJoins);
        Assert.Equal(2u, faults.Count(FaultCounters.NoNetwork));
        Assert.Contains(log, l => l.Contains("network lost", StringComparison.Ordinal));
        Assert.Equal(NodeHealth.PhaseRunning, health.Phase);
    }

    private sealed class LineLog(List<string> lines) : INodeLog
    {
        public void Write(string line) => lines.Add(line);
    }
}
