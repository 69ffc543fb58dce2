using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Supervision;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>The supervisor's schedule and bookkeeping against a scripted node (no serial, no clock: waits are recorded, not slept).</summary>
public sealed class BootSupervisorTests
{
    /// <summary>A node whose boot and steps return scripted results; records every wait and safe hold.</summary>
    private sealed class ScriptedNode(Queue<object> boots, Queue<object>? steps = null) : ISupervisedNode
    {
        public List<int> Waits { get; } = [];

        public Queue<bool> WaitResults { get; } = new();

        public int SafeHolds { get; private set; }

        public int Boot() => Next(boots);

        public int Step() => steps is null || steps.Count == 0 ? FaultCounters.None : Next(steps);

        public void HoldSafe() => SafeHolds++;

        public bool Wait(int milliseconds)
        {
            Waits.Add(milliseconds);
            return WaitResults.Count > 0 && WaitResults.Dequeue();
        }

        private static int Next(Queue<object> script)
        {
            object next = script.Count > 0 ? script.Dequeue() : FaultCounters.None;
            return next is Exception e ? throw e : (int)next;
        }
    }

    private sealed class CountingRebooter : IRebooter
    {
        public int Reboots { get; private set; }

        public void Reboot() => Reboots++;
    }

    private static FaultCounters Faults(TempFolder folder) => new(new FileRecordFiles(folder.Root, "faults"));

    [Fact]
    public void The_default_schedule_doubles_from_1_s_to_60_s_and_reboots_at_the_8th_failure()
    {
        var schedule = new BackoffSchedule();
        Assert.Equal([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000], Enumerable.Range(1, 9).Select(schedule.DelayMs));
        Assert.Equal(8, schedule.RebootAfterFailures);
        Assert.Equal(60000, new BackoffSchedule { MaxDelayMs = 60000 }.DelayMs(int.MaxValue));
    }

    [Fact]
    public void Failures_back_off_then_reboot_with_the_cause_persisted_and_counted()
    {
        using var folder = new TempFolder();
        var node = new ScriptedNode(new Queue<object>(Enumerable.Repeat<object>(FaultCounters.NoNetwork, 10)));
        var rebooter = new CountingRebooter();
        var health = new NodeHealth();
        var supervisor = new BootSupervisor(node, Faults(folder), rebooter, new BackoffSchedule { RebootAfterFailures = 4 }, health);

        Assert.Equal(FaultCounters.NoNetwork, supervisor.Run());
        Assert.Equal([1000, 2000, 4000], node.Waits);
        Assert.Equal(1, rebooter.Reboots);
        Assert.True(node.SafeHolds >= 4);
        Assert.Equal(NodeHealth.PhaseRetrying, health.Phase);
        Assert.Equal(4, health.Failures);

        var afterReboot = Faults(folder);
        Assert.Equal(4u, afterReboot.Count(FaultCounters.NoNetwork));
        Assert.Equal(FaultCounters.NoNetwork, afterReboot.TakeRebootCause());
    }

    [Fact]
    public void An_exception_in_boot_or_loop_is_a_loop_exception_and_the_node_comes_back()
    {
        using var folder = new TempFolder();
        var boots = new Queue<object>([new IOException("flash"), FaultCounters.None, FaultCounters.None]);
        var steps = new Queue<object>([FaultCounters.None, new InvalidOperationException("bug"), FaultCounters.None, FaultCounters.None, BootSupervisor.RestartRequested]);
        var node = new ScriptedNode(boots, steps);
        var faults = Faults(folder);
        var supervisor = new BootSupervisor(node, faults, new CountingRebooter(), new BackoffSchedule(), new NodeHealth());

        Assert.Equal(FaultCounters.Reprovisioned, supervisor.Run());
        Assert.Equal(2u, faults.Count(FaultCounters.LoopException));
        Assert.Equal([1000, 2000], node.Waits);
        Assert.Equal(3, supervisor.BootAttempts);
        Assert.Equal(0u, faults.Count(FaultCounters.Reprovisioned)); // a reboot to apply a record is not a fault
    }

    [Fact]
    public void A_loop_that_fails_on_its_first_steps_still_reaches_the_reboot_but_healthy_runs_reset_the_count()
    {
        using var folder = new TempFolder();

        // Fails at its 2nd step every run: never healthy (HealthySteps 3), so 3 failures reboot.
        var failing = new ScriptedNode(new Queue<object>(), new Queue<object>(Enumerable.Range(0, 20).Select(i => (object)(i % 2 == 0 ? FaultCounters.None : FaultCounters.RadioFailure))));
        var rebooter = new CountingRebooter();
        Assert.Equal(FaultCounters.RadioFailure, new BootSupervisor(failing, Faults(folder), rebooter, new BackoffSchedule { RebootAfterFailures = 3, HealthySteps = 3 }, new NodeHealth()).Run());
        Assert.Equal(1, rebooter.Reboots);

        // Fails after 3 good steps every run: each failure is the first again (waits stay at 1 s) until the script ends in a restart.
        var script = new List<object>();
        for (int run = 0; run < 5; run++)
        {
            script.AddRange([FaultCounters.None, FaultCounters.None, FaultCounters.None, FaultCounters.RadioFailure]);
        }

        script.Add(BootSupervisor.RestartRequested);
        var healthy = new ScriptedNode(new Queue<object>(), new Queue<object>(script));
        Assert.Equal(FaultCounters.Reprovisioned, new BootSupervisor(healthy, Faults(folder), new CountingRebooter(), new BackoffSchedule { RebootAfterFailures = 3, HealthySteps = 3 }, new NodeHealth()).Run());
        Assert.Equal([1000, 1000, 1000, 1000, 1000], healthy.Waits);
    }

    [Fact]
    public void An_unprovisioned_node_waits_without_counting_or_rebooting_and_an_operator_action_resets_the_count()
    {
        using var folder = new TempFolder();
        var boots = new Queue<object>([BootSupervisor.Unprovisioned, FaultCounters.NoPolicy, FaultCounters.NoPolicy, FaultCounters.None]);
        var node = new ScriptedNode(boots, new Queue<object>([BootSupervisor.RestartRequested]));
        node.WaitResults.Enqueue(false); // unprovisioned: nothing yet
        node.WaitResults.Enqueue(true);  // provisioned
        node.WaitResults.Enqueue(true);  // no-policy failure 1: an upload arrived during the wait (count restarts)
        node.WaitResults.Enqueue(false); // no-policy failure 1 again: full wait (the limit of 2 is not reached)
        var faults = Faults(folder);
        var health = new NodeHealth();
        var supervisor = new BootSupervisor(node, faults, new CountingRebooter(), new BackoffSchedule { RebootAfterFailures = 2 }, health);

        Assert.Equal(FaultCounters.Reprovisioned, supervisor.Run());
        Assert.Equal([BootSupervisor.UnprovisionedPollMs, BootSupervisor.UnprovisionedPollMs, 1000, 1000], node.Waits);
        Assert.Equal(2u, faults.Count(FaultCounters.NoPolicy)); // two failures, no reboot at the limit of 2: the count restarted at the upload
        Assert.Equal(0u, faults.Count(FaultCounters.BadProvisioning));
    }

    [Fact]
    public void The_fleet_size_monitor_counts_a_mismatch_once_per_episode_and_reports_both_sizes()
    {
        using var folder = new TempFolder();
        var faults = Faults(folder);
        var store = PolicyStore.CreateInsecureForHostTests(new MemoryPolicyStorage(64 * 1024), TestPolicies.MediumGame(), 256, 4);
        store.Boot();
        Assert.Equal(Shared.Deployment.DeployStatus.Ok, TestPolicies.Install(store, TestPolicies.Medium(1)));
        int trained = FleetSizeMonitor.TrainedFleetSize(store.Live);
        Assert.True(trained > 0);

        var live = new Live { Robots = trained };
        var health = new NodeHealth();
        var monitor = new FleetSizeMonitor(live, store.Live, faults, health, checkEveryTicks: 10);
        Assert.Null(monitor.Tick());
        Assert.Equal(trained, health.PolicyFleetSize);

        live.Robots = (trained * 2) + 1;
        string? warning = null;
        for (int t = 0; t < 10; t++)
        {
            warning ??= monitor.Tick();
        }

        Assert.Equal(FleetSizeCheck.Warning(trained, (trained * 2) + 1), warning);
        for (int t = 0; t < 100; t++)
        {
            Assert.Null(monitor.Tick()); // the same episode is counted once
        }

        live.Robots = trained;
        for (int t = 0; t < 10; t++)
        {
            monitor.Tick();
        }

        live.Robots = (trained / 2) - 1;
        warning = null;
        for (int t = 0; t < 10; t++)
        {
            warning ??= monitor.Tick();
        }

        Assert.NotNull(warning);
        Assert.Equal(2u, faults.Count(FaultCounters.FleetSizeMismatch));
        Assert.Equal((trained / 2) - 1, health.LiveFleetSize);
        Assert.Equal(2, monitor.Warnings);
    }

    private sealed class Live : ILiveFleetSize
    {
        public int Robots { get; set; }

        public int LiveRobots => Robots;
    }
}
