using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// Makes every failure at boot or in the loop end in a retry with backoff and, past a limit, a reboot (docs/provisioning.md
    /// "Self-healing"). Each failure is counted in <see cref="FaultCounters"/> (persisted), the node is put into its safe
    /// state, and the node waits the <see cref="BackoffSchedule"/>'s delay while it keeps serving its serial port; the
    /// failure that reaches the limit persists its cause as the reboot cause and reboots through <see cref="IRebooter"/>.
    /// An uncaught exception anywhere counts as <see cref="FaultCounters.LoopException"/>. A device with no provisioning
    /// record is not failing (it is new): it waits for <c>edgemarl provision</c> without counting or rebooting.
    /// </summary>
    public sealed class BootSupervisor
    {
        /// <summary><see cref="ISupervisedNode.Boot"/> result: not provisioned; wait for a record, count nothing, never reboot.</summary>
        public const int Unprovisioned = -1;

        /// <summary><see cref="ISupervisedNode.Step"/> result: reboot to apply a new record (<see cref="FaultCounters.Reprovisioned"/>; not a fault).</summary>
        public const int RestartRequested = -2;

        /// <summary><see cref="Run"/> result when <see cref="StopRequested"/> ended it (host only: a device never stops).</summary>
        public const int Stopped = -3;

        /// <summary>How long an unprovisioned node waits between looks at its record, in ms.</summary>
        public const int UnprovisionedPollMs = 1000;

        private readonly ISupervisedNode _node;
        private readonly FaultCounters _faults;
        private readonly IRebooter _rebooter;
        private readonly BackoffSchedule _schedule;
        private readonly NodeHealth _health;

        /// <summary>Initializes a new instance of the <see cref="BootSupervisor"/> class.</summary>
        /// <param name="node">The node.</param>
        /// <param name="faults">Where causes are counted and the reboot cause is persisted.</param>
        /// <param name="rebooter">Reboots the device.</param>
        /// <param name="schedule">Delays and limits.</param>
        /// <param name="health">Receives the current phase for device-info (may be shared with the device service).</param>
        public BootSupervisor(ISupervisedNode node, FaultCounters faults, IRebooter rebooter, BackoffSchedule schedule, NodeHealth health)
        {
            if (node == null || faults == null || rebooter == null || schedule == null || health == null)
            {
                throw new System.ArgumentNullException(nameof(node));
            }

            _node = node;
            _faults = faults;
            _rebooter = rebooter;
            _schedule = schedule;
            _health = health;
        }

        /// <summary>Gets or sets a value indicating whether <see cref="Run"/> should return <see cref="Stopped"/> at its next check (host: Ctrl+C).</summary>
        public bool StopRequested { get; set; }

        /// <summary>
        /// Gets or sets the software watchdog fed at every boot attempt, loop step and wait (null: none). Its own thread
        /// reboots the device when the loop stops coming back (docs/provisioning.md "Self-healing").
        /// </summary>
        public SoftwareWatchdog Watchdog { get; set; }

        /// <summary>Gets the number of boot attempts made (for tests and logs).</summary>
        public int BootAttempts { get; private set; }

        /// <summary>Gets the number of loop steps that ran.</summary>
        public long Steps { get; private set; }

        /// <summary>
        /// Boots and runs the node until it must reboot; returns only when <see cref="IRebooter.Reboot"/> returns
        /// (the host stand-in; on a device the reboot does not return).
        /// </summary>
        /// <returns>The cause of the reboot, or <see cref="Stopped"/>.</returns>
        public int Run()
        {
            int failures = 0;
            while (!StopRequested)
            {
                _health.Phase = NodeHealth.PhaseBooting;
                BootAttempts++;
                int cause = Guard(true);
                if (cause == FaultCounters.None)
                {
                    _health.Phase = NodeHealth.PhaseRunning;
                    int good = 0;
                    while (cause == FaultCounters.None && !StopRequested)
                    {
                        cause = Guard(false);
                        Steps++;
                        if (cause == FaultCounters.None && ++good == _schedule.HealthySteps)
                        {
                            failures = 0;
                            _health.Failures = 0;
                        }
                    }
                }

                if (StopRequested)
                {
                    break;
                }

                if (cause == RestartRequested)
                {
                    return Reboot(FaultCounters.Reprovisioned);
                }

                if (cause == Unprovisioned)
                {
                    _health.Phase = NodeHealth.PhaseUnprovisioned;
                    failures = 0;
                    _health.Failures = 0;
                    HoldSafe();
                    while (!StopRequested && !WaitGuarded(UnprovisionedPollMs))
                    {
                    }

                    continue;
                }

                if (cause <= FaultCounters.None || cause >= FaultCounters.CauseCount)
                {
                    cause = FaultCounters.LoopException;
                }

                failures++;
                _faults.Record(cause);
                _health.Phase = NodeHealth.PhaseRetrying;
                _health.RetryCause = cause;
                _health.Failures = failures;
                HoldSafe();
                if (failures >= _schedule.RebootAfterFailures)
                {
                    return Reboot(cause);
                }

                if (WaitGuarded(_schedule.DelayMs(failures)))
                {
                    // An operator acted (provisioned, uploaded): retry now, with a fresh count, never mid-upload reboot.
                    failures = 0;
                    _health.Failures = 0;
                }
            }

            return Stopped;
        }

        private int Reboot(int cause)
        {
            HoldSafe();
            _faults.NoteReboot(cause);
            _rebooter.Reboot();
            return cause;
        }

        private void Feed()
        {
            SoftwareWatchdog watchdog = Watchdog;
            if (watchdog != null)
            {
                watchdog.Feed();
            }
        }

        private int Guard(bool boot)
        {
            Feed();
            try
            {
                return boot ? _node.Boot() : _node.Step();
            }
            catch (System.Exception)
            {
                return FaultCounters.LoopException;
            }
        }

        private void HoldSafe()
        {
            try
            {
                _node.HoldSafe();
            }
            catch (System.Exception)
            {
                // Nothing more to do: the next boot attempt (or the reboot) starts the hardware again.
            }
        }

        private bool WaitGuarded(int milliseconds)
        {
            Feed();
            try
            {
                return _node.Wait(milliseconds);
            }
            catch (System.Exception)
            {
                return false;
            }
            finally
            {
                Feed();
            }
        }
    }
}
