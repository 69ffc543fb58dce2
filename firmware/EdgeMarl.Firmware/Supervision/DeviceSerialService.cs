using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// The node's serial port in every phase: <c>edgemarl provision</c> and <c>device-info</c> always; policy uploads
    /// once a policy store is open (a blank device, with no record and no key, answers uploads <c>NotProvisioned</c>).
    /// Re-plugs the <see cref="SerialPolicyReceiver"/> when the boot opens (or re-opens) the store.
    /// </summary>
    public sealed class DeviceSerialService
    {
        private readonly ISerialLink _link;
        private readonly DeviceService _service;
        private bool _commitOnFinish;
        private PolicyStore _store;
        private int _seenProvisioned;
        private int _seenCompleted;

        /// <summary>Initializes a new instance of the <see cref="DeviceSerialService"/> class, serving without a policy store.</summary>
        /// <param name="link">The upload port.</param>
        /// <param name="provisioning">The provisioning store.</param>
        /// <param name="faults">The fault counters (reported).</param>
        /// <param name="health">The node's phase (reported).</param>
        /// <param name="hmac">HMAC for the key fingerprint.</param>
        /// <param name="firmwareVersion">Reported firmware version.</param>
        /// <param name="commitOnFinish">True to switch to a verified upload at once (robots, blank gateways); false to stage it.</param>
        public DeviceSerialService(ISerialLink link, ProvisioningStore provisioning, FaultCounters faults, NodeHealth health, IAuthenticatorFactory hmac, string firmwareVersion, bool commitOnFinish)
        {
            _link = link;
            _commitOnFinish = commitOnFinish;
            _service = new DeviceService(provisioning, null, faults, hmac, firmwareVersion);
            _service.Health = health;
            Plug(null);
        }

        /// <summary>Gets the receiver currently serving the port.</summary>
        public SerialPolicyReceiver Receiver { get; private set; }

        /// <summary>Serves uploads into <paramref name="store"/> from now on (no-op when it already does, the same way).</summary>
        /// <param name="store">The booted store, or null for the provisioning-only service.</param>
        /// <param name="commitOnFinish">True to switch to a verified upload at once; false to leave it staged (a running gateway).</param>
        public void Attach(PolicyStore store, bool commitOnFinish)
        {
            if (store != _store || commitOnFinish != _commitOnFinish)
            {
                _commitOnFinish = commitOnFinish;
                Plug(store);
            }
        }

        /// <summary>Answers what arrives within <paramref name="timeoutMs"/>.</summary>
        /// <param name="timeoutMs">Longest wait for the first byte.</param>
        /// <returns>The number of requests handled.</returns>
        public int Poll(int timeoutMs)
        {
            return Receiver.Poll(timeoutMs);
        }

        /// <summary>Returns true once for each change an operator made since the last call: a record written, an upload verified.</summary>
        /// <returns>True when the boot should be retried now.</returns>
        public bool TakeOperatorChange()
        {
            bool changed = _service.Provisioned != _seenProvisioned || Receiver.Completed != _seenCompleted;
            _seenProvisioned = _service.Provisioned;
            _seenCompleted = Receiver.Completed;
            return changed;
        }

        /// <summary>Gets the number of records written over this port since boot (a running node reboots to apply one).</summary>
        public int Provisioned
        {
            get { return _service.Provisioned; }
        }

        private void Plug(PolicyStore store)
        {
            _store = store;
            _service.Policy = store;
            Receiver = new SerialPolicyReceiver(_link, store, _commitOnFinish);
            Receiver.Extension = _service;
            _seenCompleted = Receiver.Completed;
        }
    }
}
