using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Esp32
{
    /// <summary>
    /// nanoFramework ONLY. The device's provisioning record and fault counters on <c>I:\</c> (docs/provisioning.md), the
    /// serial service that answers <c>edgemarl provision</c> / <c>device-info</c> / <c>upload</c> on the upload port, and
    /// the supervisor that runs a program with retries, backoff and reboots (self-healing).
    /// </summary>
    public static class DeviceIdentity
    {
        /// <summary>Firmware version reported by <c>device-info</c>.</summary>
        public const string FirmwareVersion = "edgemarl-fw 0.2.0";

        /// <summary>Gets the provisioning store (read by <see cref="Boot"/>).</summary>
        public static ProvisioningStore Provisioning { get; private set; }

        /// <summary>Gets the fault counters (loaded by <see cref="Boot"/>).</summary>
        public static FaultCounters Faults { get; private set; }

        /// <summary>Gets what the node is doing, for device-info.</summary>
        public static NodeHealth Health { get; private set; }

        /// <summary>Opens the record and fault files and logs (then clears) the cause of the last reboot the firmware asked for.</summary>
        public static void Boot()
        {
            Provisioning = new ProvisioningStore(new FileRecordFiles(FleetSettings.PolicyStoreRoot, "provision"));
            Faults = new FaultCounters(new FileRecordFiles(FleetSettings.PolicyStoreRoot, "faults"));
            Health = new NodeHealth();
            Debug.WriteLine("boot: last reboot cause " + Faults.TakeRebootCause().ToString());
        }

        /// <summary>The serial service on the upload port (null when uploads are disabled): provisioning-only until a store opens.</summary>
        /// <param name="link">The upload port, or null.</param>
        /// <returns>The service, or null.</returns>
        public static DeviceSerialService OpenSerial(SerialPortLink link)
        {
            return link == null ? null : new DeviceSerialService(link, Provisioning, Faults, Health, new NanoAuthenticatorFactory(), FirmwareVersion, true);
        }

        /// <summary>
        /// Runs <paramref name="node"/> under a <see cref="BootSupervisor"/> (default <see cref="BackoffSchedule"/>) and
        /// reboots when it says so. A throw that escapes even the supervisor is counted as a loop exception and reboots.
        /// Never returns.
        /// </summary>
        /// <param name="node">The program.</param>
        public static void Supervise(ISupervisedNode node)
        {
            EspRebooter rebooter = new EspRebooter();

            // No managed API arms the ESP32's hardware watchdog (none in the nanoFramework API lists): a thread of our own
            // reboots the board when the supervised loop stops feeding it (SoftwareWatchdog).
            SoftwareWatchdog watchdog = new SoftwareWatchdog(new SystemClock(), Faults, rebooter, FleetSettings.WatchdogTimeoutMs);
            new Thread(new ThreadStart(new WatchdogThread(watchdog).Run)).Start();
            while (true)
            {
                try
                {
                    BootSupervisor supervisor = new BootSupervisor(node, Faults, rebooter, new BackoffSchedule(), Health);
                    supervisor.Watchdog = watchdog;
                    int cause = supervisor.Run();
                    Debug.WriteLine("supervisor: rebooting, cause " + cause.ToString());
                }
                catch (System.Exception)
                {
                    // Out of memory or a fault in the supervisor itself: the last resort is the same reboot.
                    Faults.NoteReboot(FaultCounters.LoopException);
                    rebooter.Reboot();
                }
            }
        }

        /// <summary>The watchdog thread's body: checks every 5 s.</summary>
        private sealed class WatchdogThread
        {
            private readonly SoftwareWatchdog _watchdog;

            public WatchdogThread(SoftwareWatchdog watchdog)
            {
                _watchdog = watchdog;
            }

            public void Run()
            {
                _watchdog.RunChecks(5000);
            }
        }

        /// <summary>HMAC-SHA256 authenticators on nanoFramework's native HMACSHA256 (for the key fingerprint).</summary>
        private sealed class NanoAuthenticatorFactory : IAuthenticatorFactory
        {
            public IMessageAuthenticator Create(byte[] key)
            {
                return new NanoMessageAuthenticator(key);
            }
        }

        private sealed class NanoMessageAuthenticator : IMessageAuthenticator
        {
            private readonly byte[] _key;

            public NanoMessageAuthenticator(byte[] key)
            {
                _key = key;
            }

            public byte[] ComputeTag(byte[] message)
            {
                return HMACSHA256.HashData(_key, message);
            }
        }
    }
}
