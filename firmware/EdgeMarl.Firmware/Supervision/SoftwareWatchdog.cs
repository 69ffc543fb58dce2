using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// A watchdog in software: the supervised loop <see cref="Feed"/>s it at every boot attempt, loop step and wait, and a
    /// separate thread calls <see cref="Check"/> every few seconds; when nothing fed it for <see cref="TimeoutMs"/> (a tick
    /// that never returns: a hung socket call, a deadlock, an endless loop), it persists the reboot cause
    /// <see cref="FaultCounters.Watchdog"/> and reboots through <see cref="IRebooter"/>.
    /// </summary>
    /// <remarks>
    /// <para>Why in software: the nanoFramework API lists this firmware builds against (tools/EdgeMarl.Portability/nanoframework-api/,
    /// nanoFramework.Hardware.Esp32 1.6.40, nanoFramework.Runtime.Native 1.7.11, mscorlib 1.17.11) hold no watchdog class, so
    /// managed code cannot arm the ESP32's hardware watchdog. This one cannot catch a hang of the interpreter itself (then the
    /// checking thread stops too); it catches every hang of the managed loop.</para>
    /// <para>The timeout must exceed the longest legitimate gap between feeds: a Wi-Fi join (up to 60 s) or a backoff wait
    /// (up to 60 s) each sit between two feeds, so the default is 150 s. <see cref="Feed"/> is one volatile store of the
    /// clock (no allocation); <see cref="Check"/> runs on the watchdog thread and is the only caller of the rebooter there.
    /// It writes the fault record from that thread while the hung loop might (in the worst case) be writing it too; the
    /// record's two CRC-checked copies keep the older one valid if the two writes interleave (docs/provisioning.md).</para>
    /// </remarks>
    public sealed class SoftwareWatchdog
    {
        /// <summary>The default timeout, in ms: longer than a Wi-Fi join plus the longest backoff wait.</summary>
        public const int DefaultTimeoutMs = 150000;

        private readonly IClock _clock;
        private readonly FaultCounters _faults;
        private readonly IRebooter _rebooter;
        private long _fedAtMs;
        private bool _fired;

        /// <summary>Initializes a new instance of the <see cref="SoftwareWatchdog"/> class, fed now.</summary>
        /// <param name="clock">Monotonic clock.</param>
        /// <param name="faults">Where the reboot cause is persisted (may be null: reboot without a cause).</param>
        /// <param name="rebooter">Reboots the device.</param>
        /// <param name="timeoutMs">Longest time without a feed, at least 1 ms.</param>
        public SoftwareWatchdog(IClock clock, FaultCounters faults, IRebooter rebooter, int timeoutMs)
        {
            if (clock == null || rebooter == null || timeoutMs < 1)
            {
                throw new System.ArgumentException("watchdog: clock, rebooter and a timeout >= 1 ms required", nameof(clock));
            }

            _clock = clock;
            _faults = faults;
            _rebooter = rebooter;
            TimeoutMs = timeoutMs;
            _fedAtMs = clock.NowMs();
        }

        /// <summary>Gets the longest time without a feed, in ms.</summary>
        public int TimeoutMs { get; private set; }

        /// <summary>Gets a value indicating whether the watchdog has rebooted the device.</summary>
        public bool Fired
        {
            get { return _fired; }
        }

        /// <summary>Notes that the loop is alive.</summary>
        public void Feed()
        {
            _fedAtMs = _clock.NowMs();
        }

        /// <summary>Reboots (once) when the loop has not fed the watchdog within the timeout.</summary>
        /// <returns>True when it rebooted now.</returns>
        public bool Check()
        {
            if (_fired || _clock.NowMs() - _fedAtMs < TimeoutMs)
            {
                return false;
            }

            _fired = true;
            try
            {
                if (_faults != null)
                {
                    _faults.Record(FaultCounters.Watchdog);
                    _faults.NoteReboot(FaultCounters.Watchdog);
                }
            }
            catch (System.Exception)
            {
                // The reboot matters more than the record of its cause.
            }

            _rebooter.Reboot();
            return true;
        }

        /// <summary>The body of the watchdog thread: checks every <paramref name="periodMs"/> ms until it has fired.</summary>
        /// <param name="periodMs">Check period, e.g. 5,000 ms.</param>
        public void RunChecks(int periodMs)
        {
            while (!_fired)
            {
                System.Threading.Thread.Sleep(periodMs);
                Check();
            }
        }
    }
}
