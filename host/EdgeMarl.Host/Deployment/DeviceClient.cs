using System.Buffers.Binary;
using System.Text;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Host.Deployment;

/// <summary>What a device reports about itself (<c>edgemarl device-info</c>, docs/protocol.md §10.4); never its key or Wi-Fi password.</summary>
public sealed record DeviceInfo(
    bool Provisioned, int Role, int NodeId, int FleetId, uint ProvisioningGeneration, int TickPeriodMs, bool KeySet, int Flags, int UdpPort,
    uint KeyFingerprint, string Ssid, int LastRebootCause, int CorruptProvisioningCopies, int PolicyLength, uint PolicyCrc, uint PolicyGeneration,
    uint PolicyVersion, uint[] FaultCounts, string FirmwareVersion)
{
    /// <summary>Gets the info layout the device answered with (1: 128 bytes, 8 causes, no phase; 2: 160 bytes).</summary>
    public int Layout { get; init; } = 1;

    /// <summary>Gets the node's phase (<c>NodeHealth.Phase*</c>; 0 unknown).</summary>
    public int Phase { get; init; }

    /// <summary>Gets the cause the node is retrying (while <see cref="Phase"/> is retrying).</summary>
    public int RetryCause { get; init; }

    /// <summary>Gets the consecutive failures so far.</summary>
    public int Failures { get; init; }

    /// <summary>Gets the live fleet size a gateway measured (0 unknown).</summary>
    public int LiveFleetSize { get; init; }

    /// <summary>Gets the fleet size n stamped in the policy in force (0 unknown).</summary>
    public int PolicyFleetSize { get; init; }

    /// <summary>Gets the robot's type in a typed fleet (provisioning record byte 155; 0 untyped, gateways and older devices).</summary>
    public int RobotType { get; init; }
}

/// <summary>The answer to a provision request.</summary>
public sealed record ProvisionResult(DeployStatus Status, uint Generation, uint KeyFingerprint);

/// <summary>Host side of the provision and device-info requests over the upload's serial framing (docs/protocol.md §10.4).</summary>
public sealed class DeviceClient(ISerialChannel channel, int responseTimeoutMs = 1000, int maxRetries = 5)
{
    private readonly SerialFrameDecoder _decoder = new();
    private readonly byte[] _tx = new byte[SerialFrameLayout.MaxFrameBytes];
    private readonly byte[] _rx = new byte[256];
    private byte _sequence = 0x40;

    /// <summary>Writes the record; <paramref name="replace"/> allows overwriting a provisioned device.</summary>
    /// <exception cref="IOException">No response after the retries.</exception>
    public ProvisionResult Provision(ProvisioningRecord record, bool replace)
    {
        ArgumentNullException.ThrowIfNull(record);
        var payload = new byte[DeviceServiceLayout.ProvisionRequestBytes];
        payload[0] = replace ? DeviceServiceLayout.ModeReplace : DeviceServiceLayout.ModeIfBlank;
        record.Encode(payload, 1);
        byte[] response = Exchange(DeviceServiceLayout.TypeProvision, payload, DeviceServiceLayout.ProvisionResponseBytes, DeviceServiceLayout.ProvisionResponseBytes);
        return new ProvisionResult((DeployStatus)response[0], BinaryPrimitives.ReadUInt32LittleEndian(response.AsSpan(4)), BinaryPrimitives.ReadUInt32LittleEndian(response.AsSpan(8)));
    }

    /// <summary>Reads the device's identity, policy and fault counters.</summary>
    /// <exception cref="IOException">No response after the retries.</exception>
    public DeviceInfo Info()
    {
        byte[] r = Exchange(DeviceServiceLayout.TypeInfo, [], DeviceServiceLayout.InfoResponseBytesV1, DeviceServiceLayout.InfoResponseBytes);
        uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(r.AsSpan(offset));
        int U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(r.AsSpan(offset));
        bool v2 = r.Length >= DeviceServiceLayout.InfoResponseBytes;
        var faults = new uint[v2 ? DeviceServiceLayout.InfoFaultCauses : DeviceServiceLayout.InfoFaultCountsV1];
        for (int i = 0; i < faults.Length; i++)
        {
            faults[i] = i < DeviceServiceLayout.InfoFaultCountsV1
                ? U32(DeviceServiceLayout.InfoFaultCounts + (4 * i))
                : U32(DeviceServiceLayout.InfoMoreFaultCounts + (4 * (i - DeviceServiceLayout.InfoFaultCountsV1)));
        }

        int ssidLength = Math.Min((int)r[DeviceServiceLayout.InfoSsidLength], ProvisioningRecord.MaxSsidBytes);
        int firmwareLength = Math.Min((int)r[DeviceServiceLayout.InfoFirmwareLength], DeviceServiceLayout.InfoFirmwareMax);
        return new DeviceInfo(
            r[DeviceServiceLayout.InfoProvisioned] == 1, r[DeviceServiceLayout.InfoRole], U16(DeviceServiceLayout.InfoNodeId), U16(DeviceServiceLayout.InfoFleetId),
            U32(DeviceServiceLayout.InfoGeneration), (int)U32(DeviceServiceLayout.InfoTickPeriod), r[DeviceServiceLayout.InfoKeySet] == 1, r[DeviceServiceLayout.InfoFlags],
            U16(DeviceServiceLayout.InfoUdpPort), U32(DeviceServiceLayout.InfoKeyFingerprint), Encoding.UTF8.GetString(r, DeviceServiceLayout.InfoSsid, ssidLength),
            r[DeviceServiceLayout.InfoLastRebootCause], r[DeviceServiceLayout.InfoCorruptCopies], (int)U32(DeviceServiceLayout.InfoPolicyLength), U32(DeviceServiceLayout.InfoPolicyCrc),
            U32(DeviceServiceLayout.InfoPolicyGeneration), U32(DeviceServiceLayout.InfoPolicyVersion), faults,
            Encoding.ASCII.GetString(r, DeviceServiceLayout.InfoFirmware, firmwareLength))
        {
            Layout = v2 ? 2 : 1,
            Phase = v2 ? r[DeviceServiceLayout.InfoPhase] : 0,
            RetryCause = v2 ? r[DeviceServiceLayout.InfoRetryCause] : 0,
            Failures = v2 ? U16(DeviceServiceLayout.InfoFailures) : 0,
            LiveFleetSize = v2 ? (int)U32(DeviceServiceLayout.InfoLiveFleetSize) : 0,
            PolicyFleetSize = v2 ? (int)U32(DeviceServiceLayout.InfoPolicyFleetSize) : 0,
            RobotType = v2 ? r[DeviceServiceLayout.InfoRobotType] : 0,
        };
    }

    private byte[] Exchange(byte type, byte[] payload, int minResponseBytes, int maxResponseBytes)
    {
        _sequence++;
        Array.Copy(payload, 0, _tx, SerialFrameLayout.HeaderBytes, payload.Length);
        int length = SerialFrameWriter.Seal(_tx, type, _sequence, payload.Length);
        for (int attempt = 0; attempt <= maxRetries; attempt++)
        {
            _decoder.Reset();
            channel.Write(_tx, 0, length);
            long deadline = Environment.TickCount64 + responseTimeoutMs;
            while (Environment.TickCount64 < deadline)
            {
                int read = channel.Read(_rx, 0, _rx.Length, (int)Math.Max(1, deadline - Environment.TickCount64));
                for (int i = 0; i < read; i++)
                {
                    if (!_decoder.Push(_rx[i]))
                    {
                        continue;
                    }

                    do
                    {
                        if (_decoder.Sequence == _sequence && _decoder.Type == (type | SerialFrameLayout.ResponseBit))
                        {
                            int responseBytes = _decoder.PayloadLength;
                            if (responseBytes != minResponseBytes && responseBytes != maxResponseBytes)
                            {
                                // A device whose firmware predates §10.4 answers the upload's BadRequest (24 bytes).
                                throw new InvalidDataException($"device answered request 0x{type:x2} with a {responseBytes}-byte payload, not {maxResponseBytes}: its firmware does not support provisioning (docs/protocol.md §10.4)");
                            }

                            var response = new byte[responseBytes];
                            Array.Copy(_decoder.Buffer, SerialFrameLayout.HeaderBytes, response, 0, responseBytes);
                            _decoder.Consume();
                            return response;
                        }
                    }
                    while (_decoder.Consume());
                }
            }
        }

        throw new IOException($"no response to request 0x{type:x2} after {maxRetries + 1} tries of {responseTimeoutMs} ms");
    }
}
