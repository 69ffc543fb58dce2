using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// The robot's program (<see cref="RobotProgram"/>, what firmware/EdgeMarl.Robot.Esp32 runs) under the real
/// <see cref="BootSupervisor"/>, over a fake board and an in-memory network with a real gateway: the motors hold the safe
/// action while setup retries, while the gateway is silent and after the network drops; a dropped network is detected,
/// counted and reconnected.
/// </summary>
public sealed class RobotProgramTests
{
    private const int FleetId = 0x0E31;
    private const int RobotId = 517;
    private const int SafeAction = 0;

    private sealed class Motors : IActuator
    {
        public int Last { get; private set; } = -1;

        public bool Healthy { get; private set; }

        public int Applied { get; private set; }

        public List<int> NonSafeActions { get; } = [];

        public void Apply(int action)
        {
            Last = action;
            Applied++;
            if (action != SafeAction)
            {
                NonSafeActions.Add(action);
            }
        }

        public void ShowStatus(bool healthy) => Healthy = healthy;
    }

    private sealed class Sensor(int state) : ILocalStateSensor, IGlobalStateSensor
    {
        public int ReadLocalState() => state;

        public int ReadGlobalState() => state;
    }

    /// <summary>Ticks the gateway once per 200 ms of robot listening (when on), so a single thread runs both.</summary>
    private sealed class GatewayDrivingRadio(IRadio inner, Board board) : IRadio
    {
        private long _next;

        public bool Send(int destinationId, byte[] frame, int offset, int length) => inner.Send(destinationId, frame, offset, length);

        public bool Broadcast(byte[] frame, int offset, int length) => inner.Broadcast(frame, offset, length);

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
        {
            if (timeoutMs > 0 && board.GatewayOn && board.Network.Clock.NowMs() >= _next)
            {
                _next = board.Network.Clock.NowMs() + 200;
                board.Gateway.Tick();
                return inner.Receive(buffer, offset, capacity, 0);
            }

            return inner.Receive(buffer, offset, capacity, timeoutMs);
        }
    }

    private sealed class Board(InMemoryNetwork network, GatewayNode gateway, Motors motors) : INodePlatform
    {
        public InMemoryNetwork Network => network;

        public GatewayNode Gateway => gateway;

        public RobotProgram Program { get; set; } = null!;

        public bool GatewayOn { get; set; } = true;

        public int ConnectFailures { get; set; }

        public bool NetworkUp { get; set; }

        /// <summary>(wait ms, motor action, LED healthy) at the start of every supervisor wait.</summary>
        public List<(int Ms, int Action, bool Healthy)> Waits { get; } = [];

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

        public IRadio OpenRadio(NodeSettings settings, int peerCapacity) =>
            new GatewayDrivingRadio(network.Attach(settings.NodeId, () => Program.Robot?.ProcessPending()), this);

        public object OpenSensor(int states) => new Sensor(1);

        public IFrameAuthenticator CreateFrameAuthenticator(byte[] key) => new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(key);

        public ulong Entropy() => 42;

        public void Sleep(int milliseconds) => network.RunUntil(network.Clock.NowMs() + milliseconds);

        public bool Wait(int milliseconds)
        {
            Waits.Add((milliseconds, motors.Last, motors.Healthy));
            network.RunUntil(network.Clock.NowMs() + milliseconds);
            return false;
        }
    }

    /// <summary>Runs a script after every loop step of the program (the supervisor sees the program itself).</summary>
    private sealed class Scripted(RobotProgram program, Action<int> afterStep) : ISupervisedNode
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
        public int Reboots { get; private set; }

        public void Reboot() => Reboots++;
    }

    [Fact]
    public void The_robot_holds_its_safe_action_while_setup_retries_and_the_gateway_is_silent_and_reconnects_after_the_network_drops()
    {
        using var folder = new TempFolder();
        var provisioning = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        provisioning.Boot();
        Assert.Equal(DeployStatus.Ok, provisioning.Write(new ProvisioningRecord
        {
            Role = ProvisioningRecord.RoleRobot,
            NodeId = RobotId,
            FleetId = FleetId,
            TickPeriodMs = 200,
            Key = TestPolicies.Key,
            UdpPort = 47800,
        }));
        var policyAuth = new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key);
        byte[] image = TestPolicies.Medium(3, TestPolicies.Key, version: 1);
        var robotFlash = new MemoryPolicyStorage(32 * 1024);
        var factory = new PolicyStore(robotFlash, TestPolicies.MediumGame(), policyAuth, 128, 4);
        factory.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(factory, image));

        var network = new InMemoryNetwork(new NetworkImpairments { MinDelayMs = 1, MaxDelayMs = 3 }, 7);
        var gatewayStore = new PolicyStore(new MemoryPolicyStorage(32 * 1024), TestPolicies.MediumGame(minK: 2), policyAuth, 128, 4);
        gatewayStore.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(gatewayStore, image));
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 0, MaxRobots = 8, SampleSize = 2, ReplyWindowMs = 40, Seed = 1 },
            gatewayStore.Live, new FrameCodec(FleetId, new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(TestPolicies.Key)), network.Attach(0), network.Clock, new Sensor(2), null);

        var motors = new Motors();
        var board = new Board(network, gateway, motors) { ConnectFailures = 3 };
        var faults = new FaultCounters(new FileRecordFiles(folder.Root, "faults"));
        var options = new RobotProgramOptions
        {
            GatewayId = 0,
            Seed = 9,
            SilentTicksBeforeSafeAction = 3,
            SafeAction = SafeAction,
            LinkDownTicks = 3,
            LinkSilentTicks = 0,
            BootCounterFiles = new MemoryRecordFiles(),
            EpochSeenFiles = new MemoryRecordFiles(),
        };
        var program = new RobotProgram(new NodeBoot(provisioning, robotFlash, TestPolicies.MediumGame(), null, null, true), null, board, motors, network.Clock, options);
        board.Program = program;
        Assert.Equal(SafeAction, motors.Last); // held from construction on

        BootSupervisor supervisor = null!;
        int appliedBeforeSilence = 0, safeAtSilenceEnd = -1, appliedAfterReturn = 0;
        int nonSafeBeforeSilence = 0, nonSafeDuringSilence = 0;
        void Script(int step)
        {
            RobotNode robot = program.Robot!;
            switch (step)
            {
                case 30:
                    appliedBeforeSilence = robot.BroadcastsApplied;
                    nonSafeBeforeSilence = motors.NonSafeActions.Count;
                    board.GatewayOn = false; // the gateway goes silent
                    break;
                case 40:
                    safeAtSilenceEnd = motors.Last;
                    nonSafeDuringSilence = motors.NonSafeActions.Count - nonSafeBeforeSilence;
                    Assert.True(robot.SilentTicks >= 3, $"silent ticks {robot.SilentTicks}");
                    board.GatewayOn = true;
                    break;
                case 80:
                    appliedAfterReturn = robot.BroadcastsApplied;
                    board.NetworkUp = false; // Wi-Fi drops: no address
                    break;
                case 140:
                    supervisor.StopRequested = true;
                    break;
            }
        }

        var health = new NodeHealth();
        supervisor = new BootSupervisor(new Scripted(program, Script), faults, new Rebooter(), new BackoffSchedule(), health);
        Assert.Equal(BootSupervisor.Stopped, supervisor.Run());
        Assert.Equal(0u, faults.Count(FaultCounters.LoopException)); // an assertion failing inside the script would land here

        // Setup retried three times (no network) with the motors at the safe action and the LED off during every wait;
        // the link loss added one more wait, also held safe.
        Assert.Equal([1000, 2000, 4000, 1000], board.Waits.Select(w => w.Ms));
        Assert.All(board.Waits, w => Assert.Equal(SafeAction, w.Action));
        Assert.All(board.Waits, w => Assert.False(w.Healthy));

        // It ran on the gateway's broadcasts, held the safe action while the gateway was silent, and came back.
        Assert.True(appliedBeforeSilence > 10, $"broadcasts applied before the silence: {appliedBeforeSilence}");
        Assert.Equal(SafeAction, safeAtSilenceEnd);
        Assert.True(nonSafeDuringSilence <= 3, $"non-safe actions during the silence: {nonSafeDuringSilence}"); // only within the 3 silent ticks allowed
        Assert.True(appliedAfterReturn > appliedBeforeSilence, "no broadcast applied after the gateway came back");

        // The dropped network was detected after 3 ticks, counted as no-network, and reconnected by the next boot.
        Assert.Equal(1, program.Link.Losses);
        Assert.True(program.Link.LastLossWasDown);
        Assert.Equal(5, program.NetworkJoins); // 3 failed + 1 at start-up + 1 reconnect
        Assert.Equal(4u, faults.Count(FaultCounters.NoNetwork));
        Assert.True(program.Robot!.BroadcastsApplied > appliedAfterReturn, "no broadcast applied after the reconnect");
        Assert.Equal(NodeHealth.PhaseRunning, health.Phase);
    }

    [Fact]
    public void The_link_monitor_counts_ticks_without_an_address_and_long_silences_once_per_loss()
    {
        var link = new LinkMonitor(downTicks: 3, silentTicks: 10);
        Assert.False(link.EndTick(false, 0));
        Assert.False(link.EndTick(false, 0));
        Assert.True(link.EndTick(false, 0)); // the third tick without an address
        Assert.False(link.EndTick(false, 0)); // once per loss
        Assert.True(link.LastLossWasDown);
        Assert.False(link.EndTick(true, 0)); // back
        Assert.False(link.EndTick(false, 0)); // a single tick without an address is not a loss
        Assert.False(link.EndTick(true, 9));
        Assert.True(link.EndTick(true, 10)); // ten silent ticks with an address
        Assert.False(link.LastLossWasDown);
        Assert.Equal(2, link.Losses);
        Assert.False(new LinkMonitor(1, 0).EndTick(true, 1_000_000)); // silence alone disabled
    }

    [Fact]
    public void The_software_watchdog_reboots_with_its_cause_when_the_loop_stops_feeding_it()
    {
        using var folder = new TempFolder();
        var clock = new SimulatedClock();
        var rebooter = new Rebooter();
        var faults = new FaultCounters(new FileRecordFiles(folder.Root, "faults"));
        var watchdog = new SoftwareWatchdog(clock, faults, rebooter, 150_000);

        // A supervised loop that keeps stepping feeds it: no reboot however long it runs.
        var steps = 0;
        var node = new LoopNode(() =>
        {
            clock.Advance(200);
            Assert.False(watchdog.Check()); // the watchdog thread's check, between steps
            return ++steps;
        });
        var supervisor = new BootSupervisor(node, faults, rebooter, new BackoffSchedule(), new NodeHealth()) { Watchdog = watchdog };
        node.Stop = () => supervisor.StopRequested = steps >= 2000; // 400 s of ticks
        supervisor.Run();
        Assert.Equal(0, rebooter.Reboots);

        // The loop hangs (a step never returns): nothing feeds the watchdog; it reboots once, past the timeout. The last
        // feed came before the last step, which took 200 ms.
        clock.Advance(149_799);
        Assert.False(watchdog.Check());
        clock.Advance(1);
        Assert.True(watchdog.Check());
        Assert.False(watchdog.Check());
        Assert.Equal(1, rebooter.Reboots);
        var afterReboot = new FaultCounters(new FileRecordFiles(folder.Root, "faults"));
        Assert.Equal(FaultCounters.Watchdog, afterReboot.TakeRebootCause());
        Assert.Equal(1u, afterReboot.Count(FaultCounters.Watchdog));
    }

    private sealed class LoopNode(Func<int> step) : ISupervisedNode
    {
        public Action Stop { get; set; } = () => { };

        public int Boot() => FaultCounters.None;

        public int Step()
        {
            step();
            Stop();
            return FaultCounters.None;
        }

        public void HoldSafe()
        {
        }

        public bool Wait(int milliseconds) => false;
    }
}
