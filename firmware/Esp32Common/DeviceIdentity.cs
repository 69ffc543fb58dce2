using System.Diagnostics;
using System.Security.Cryptography;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Esp32
{
    /// <summary>
    /// nanoFramework ONLY. The device's provisioning record and fault counters on <c>I:\</c> (docs/provisioning.md), and
    /// the serial service that answers <c>edgemarl provision</c> / <c>edgemarl device-info</c> on the upload port.
    /// </summary>
    public static class DeviceIdentity
    {
        /// <summary>Firmware version reported by <c>device-info</c>.</summary>
        public const string FirmwareVersion = "edgemarl-fw 0.1.0";

        /// <summary>Gets the provisioning store (booted by <see cref="Boot"/>).</summary>
        public static ProvisioningStore Provisioning { get; private set; }

        /// <summary>Gets the fault counters (loaded by <see cref="Boot"/>).</summary>
        public static FaultCounters Faults { get; private set; }

        /// <summary>Reads the provisioning record and the fault counters; logs the last reboot cause.</summary>
        /// <returns>The record in force, or null when the device is not provisioned (it then serves <c>edgemarl provision</c>).</returns>
        public static ProvisioningRecord Boot()
        {
            Provisioning = new ProvisioningStore(new FileRecordFiles(FleetSettings.PolicyStoreRoot, "provision"));
            Faults = new FaultCounters(new FileRecordFiles(FleetSettings.PolicyStoreRoot, "faults"));
            int cause = Faults.TakeRebootCause();
            Debug.WriteLine("boot: last reboot cause " + cause.ToString());
            if (!Provisioning.Boot())
            {
                if (Provisioning.CorruptCopies > 0)
                {
                    Faults.Record(FaultCounters.BadProvisioning);
                }

                Debug.WriteLine("provisioning: none; run `edgemarl provision --port PORT ...`");
            }

            return Provisioning.Current;
        }

        /// <summary>Plugs the provision / device-info service into a serial receiver.</summary>
        /// <param name="receiver">The upload port's receiver.</param>
        /// <param name="store">The node's policy store (may be null).</param>
        public static void Serve(SerialPolicyReceiver receiver, PolicyStore store)
        {
            if (receiver != null && Provisioning != null)
            {
                receiver.Extension = new DeviceService(Provisioning, store, Faults, new NanoAuthenticatorFactory(), FirmwareVersion);
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
