using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// Answers <c>edgemarl provision</c> and <c>edgemarl device-info</c> on the upload port (docs/protocol.md §10.4):
    /// plug it into <see cref="SerialPolicyReceiver.Extension"/>. The key can be written but is never sent back:
    /// device info carries only whether a key is set and its <see cref="KeyFingerprint"/>; the Wi-Fi password is never
    /// sent back either.
    /// </summary>
    public sealed class DeviceService : ISerialRequestHandler
    {
        private readonly ProvisioningStore _provisioning;
        private PolicyStore _policy;
        private readonly FaultCounters _faults;
        private readonly IAuthenticatorFactory _hmac;
        private readonly string _firmwareVersion;
        private readonly byte[] _reply;

        /// <summary>Initializes a new instance of the <see cref="DeviceService"/> class.</summary>
        /// <param name="provisioning">The booted provisioning store.</param>
        /// <param name="policy">The node's policy store, or null when it has none open.</param>
        /// <param name="faults">The fault counters.</param>
        /// <param name="hmac">Makes an HMAC-SHA256 under a key (for the fingerprint).</param>
        /// <param name="firmwareVersion">Firmware version string (at most 19 ASCII characters are reported).</param>
        public DeviceService(ProvisioningStore provisioning, PolicyStore policy, FaultCounters faults, IAuthenticatorFactory hmac, string firmwareVersion)
        {
            if (provisioning == null || faults == null || hmac == null)
            {
                throw new System.ArgumentNullException(nameof(provisioning));
            }

            _provisioning = provisioning;
            _policy = policy;
            _faults = faults;
            _hmac = hmac;
            _firmwareVersion = firmwareVersion ?? string.Empty;
            _reply = new byte[SerialFrameLayout.HeaderBytes + DeviceServiceLayout.InfoResponseBytes + SerialFrameLayout.CrcBytes];
        }

        /// <summary>Gets or sets the node's policy store (null while it has none open: a blank device).</summary>
        public PolicyStore Policy
        {
            get { return _policy; }
            set { _policy = value; }
        }

        /// <summary>Gets or sets the node's phase and fleet sizes, reported in info layout 2 (null: reported as unknown).</summary>
        public EdgeMarl.Firmware.Supervision.NodeHealth Health { get; set; }

        /// <summary>Gets the number of provision requests that wrote a record (so the node can apply it, e.g. by rebooting).</summary>
        public int Provisioned { get; private set; }

        /// <inheritdoc/>
        public bool Handle(byte type, byte sequence, byte[] frame, int payloadOffset, int payloadLength, ISerialLink link)
        {
            int length;
            if (type == DeviceServiceLayout.TypeProvision)
            {
                length = Provision(frame, payloadOffset, payloadLength);
            }
            else if (type == DeviceServiceLayout.TypeInfo)
            {
                length = Info();
            }
            else
            {
                return false;
            }

            int frameLength = SerialFrameWriter.Seal(_reply, (byte)(type | SerialFrameLayout.ResponseBit), sequence, length);
            link.Write(_reply, 0, frameLength);
            return true;
        }

        private int Provision(byte[] frame, int p, int length)
        {
            int r = SerialFrameLayout.HeaderBytes;
            for (int i = 0; i < DeviceServiceLayout.ProvisionResponseBytes; i++)
            {
                _reply[r + i] = 0;
            }

            DeployStatus status;
            if (length != DeviceServiceLayout.ProvisionRequestBytes || !ProvisioningRecord.IsValid(frame, p + 1, length - 1))
            {
                status = DeployStatus.BadRequest;
            }
            else if (_provisioning.Current != null && frame[p] != DeviceServiceLayout.ModeReplace)
            {
                status = DeployStatus.AlreadyActive;
            }
            else
            {
                status = _provisioning.Write(ProvisioningRecord.Decode(frame, p + 1));
                if (status == DeployStatus.Ok)
                {
                    Provisioned++;
                }
            }

            _reply[r] = (byte)status;
            ProvisioningRecord current = _provisioning.Current;
            if (current != null)
            {
                WireBytes.WriteUInt32(_reply, r + 4, current.Generation);
                WireBytes.WriteUInt32(_reply, r + 8, Fingerprint(current));
            }

            return DeviceServiceLayout.ProvisionResponseBytes;
        }

        private int Info()
        {
            int r = SerialFrameLayout.HeaderBytes;
            for (int i = 0; i < DeviceServiceLayout.InfoResponseBytes; i++)
            {
                _reply[r + i] = 0;
            }

            _reply[r + DeviceServiceLayout.InfoVersion] = DeviceServiceLayout.InfoLayoutVersion;
            ProvisioningRecord record = _provisioning.Current;
            if (record != null)
            {
                _reply[r + DeviceServiceLayout.InfoProvisioned] = 1;
                _reply[r + DeviceServiceLayout.InfoRole] = (byte)record.Role;
                WireBytes.WriteUInt16(_reply, r + DeviceServiceLayout.InfoNodeId, record.NodeId);
                WireBytes.WriteUInt16(_reply, r + DeviceServiceLayout.InfoFleetId, record.FleetId);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoGeneration, record.Generation);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoTickPeriod, (uint)record.TickPeriodMs);
                _reply[r + DeviceServiceLayout.InfoKeySet] = (byte)(record.Key == null ? 0 : 1);
                _reply[r + DeviceServiceLayout.InfoFlags] = (byte)record.Flags;
                WireBytes.WriteUInt16(_reply, r + DeviceServiceLayout.InfoUdpPort, record.UdpPort);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoKeyFingerprint, Fingerprint(record));
                _reply[r + DeviceServiceLayout.InfoRobotType] = (byte)record.RobotType;
                int ssid = record.Ssid == null ? 0 : record.Ssid.Length;
                _reply[r + DeviceServiceLayout.InfoSsidLength] = (byte)ssid;
                for (int i = 0; i < ssid; i++)
                {
                    _reply[r + DeviceServiceLayout.InfoSsid + i] = record.Ssid[i];
                }
            }

            _reply[r + DeviceServiceLayout.InfoLastRebootCause] = (byte)_faults.LastRebootCause;
            _reply[r + DeviceServiceLayout.InfoCorruptCopies] = (byte)_provisioning.CorruptCopies;
            if (_policy != null && _policy.HasPolicy)
            {
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoPolicyLength, (uint)_policy.CurrentLength);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoPolicyCrc, _policy.CurrentCrc);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoPolicyGeneration, _policy.CurrentGeneration);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoPolicyVersion, _policy.CurrentVersion);
            }

            for (int cause = 0; cause < DeviceServiceLayout.InfoFaultCountsV1; cause++)
            {
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoFaultCounts + (4 * cause), _faults.Count(cause));
            }

            for (int cause = DeviceServiceLayout.InfoFaultCountsV1; cause < FaultCounters.CauseCount; cause++)
            {
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoMoreFaultCounts + (4 * (cause - DeviceServiceLayout.InfoFaultCountsV1)), _faults.Count(cause));
            }

            EdgeMarl.Firmware.Supervision.NodeHealth health = Health;
            if (health != null)
            {
                _reply[r + DeviceServiceLayout.InfoPhase] = (byte)health.Phase;
                _reply[r + DeviceServiceLayout.InfoRetryCause] = (byte)health.RetryCause;
                WireBytes.WriteUInt16(_reply, r + DeviceServiceLayout.InfoFailures, health.Failures > 0xFFFF ? 0xFFFF : health.Failures);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoLiveFleetSize, (uint)health.LiveFleetSize);
                WireBytes.WriteUInt32(_reply, r + DeviceServiceLayout.InfoPolicyFleetSize, (uint)health.PolicyFleetSize);
            }

            int firmware = _firmwareVersion.Length < DeviceServiceLayout.InfoFirmwareMax ? _firmwareVersion.Length : DeviceServiceLayout.InfoFirmwareMax;
            _reply[r + DeviceServiceLayout.InfoFirmwareLength] = (byte)firmware;
            for (int i = 0; i < firmware; i++)
            {
                char c = _firmwareVersion[i];
                _reply[r + DeviceServiceLayout.InfoFirmware + i] = (byte)(c < 0x80 ? c : '?');
            }

            return DeviceServiceLayout.InfoResponseBytes;
        }

        private uint Fingerprint(ProvisioningRecord record)
        {
            return record.Key == null ? 0 : KeyFingerprint.Compute(_hmac.Create(record.Key));
        }
    }
}
