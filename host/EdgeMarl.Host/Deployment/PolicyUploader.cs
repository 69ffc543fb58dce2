using System.Buffers.Binary;
using System.Globalization;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Deployment;

/// <summary>
/// Host side of the serial upload (docs/protocol.md §10): begin (the device answers how many bytes of this image it
/// already holds), data frames of up to 512 bytes each acknowledged with the device's next offset, then finish, at which
/// the device checks the whole-image CRC, validates the policy with its fleet key and game sizes, and switches.
/// Every request is re-sent on timeout up to <see cref="UploadOptions.MaxRetries"/> times.
/// </summary>
public sealed class PolicyUploader
{
    private readonly ISerialChannel _channel;
    private readonly UploadOptions _options;
    private readonly SerialFrameDecoder _decoder = new();
    private readonly byte[] _tx = new byte[SerialFrameLayout.MaxFrameBytes];
    private readonly byte[] _rx = new byte[256];
    private readonly byte[] _response = new byte[SerialFrameLayout.ResponsePayloadBytes];
    private byte _sequence;
    private int _retries;

    public PolicyUploader(ISerialChannel channel, UploadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
        _options = options ?? new UploadOptions();
        if (_options.ChunkBytes is < 1 or > SerialFrameLayout.MaxDataBytes)
        {
            throw new ArgumentException($"chunk size {_options.ChunkBytes} must be in [1, {SerialFrameLayout.MaxDataBytes}]", nameof(options));
        }
    }

    /// <summary>Uploads <paramref name="image"/>; <paramref name="progress"/> receives the bytes the device has acknowledged.</summary>
    public UploadResult Upload(byte[] image, Action<int, int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        uint crc = PolicyIdentity.ImageCrc(image, 0, image.Length);
        _retries = 0;
        if (_options.LocalCheck)
        {
            try
            {
                PolicyFileMessages.OpenBytes(image, _options.Key);
            }
            catch (InvalidDataException e)
            {
                return Result(UploadFailure.LocalCheck, DeployStatus.PolicyRejected, PolicyStatus.Ok, -1, image, crc, 0, 0, $"local check failed, nothing sent: {e.Message}");
            }
        }

        var identity = new byte[SerialFrameLayout.IdentityPayloadBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(identity, (uint)image.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(identity.AsSpan(4), crc);

        if (!Exchange(SerialFrameLayout.TypeBegin, identity, cancellation))
        {
            return NoResponse(image, crc, 0, 0, "begin");
        }

        DeployStatus status = (DeployStatus)_response[0];
        if (status == DeployStatus.AlreadyActive)
        {
            progress?.Invoke(image.Length, image.Length);
            return Result(UploadFailure.None, status, PolicyStatus.Ok, -1, image, crc, image.Length, image.Length, "device already runs this policy; nothing sent");
        }

        if (status != DeployStatus.Ok)
        {
            return Refused(image, crc, 0, 0, "begin");
        }

        int resumedFrom = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(_response.AsSpan(4)), (uint)image.Length);
        int next = resumedFrom;
        progress?.Invoke(next, image.Length);
        int chunksSent = 0;
        var payload = new byte[4 + _options.ChunkBytes];
        while (next < image.Length)
        {
            if (cancellation.IsCancellationRequested || (_options.StopAfterChunks >= 0 && chunksSent >= _options.StopAfterChunks))
            {
                return Result(UploadFailure.Interrupted, DeployStatus.Ok, PolicyStatus.Ok, -1, image, crc, resumedFrom, next, string.Create(CultureInfo.InvariantCulture, $"stopped after {next} of {image.Length} bytes; run the upload again to resume"));
            }

            int count = Math.Min(_options.ChunkBytes, image.Length - next);
            BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)next);
            Array.Copy(image, next, payload, 4, count);
            if (!Exchange(SerialFrameLayout.TypeData, payload.AsSpan(0, 4 + count).ToArray(), cancellation))
            {
                return NoResponse(image, crc, resumedFrom, next, string.Create(CultureInfo.InvariantCulture, $"data at byte {next}"));
            }

            chunksSent++;
            status = (DeployStatus)_response[0];
            uint deviceNext = BinaryPrimitives.ReadUInt32LittleEndian(_response.AsSpan(4));
            if (status is not (DeployStatus.Ok or DeployStatus.OutOfOrder) || deviceNext > (uint)image.Length)
            {
                return Refused(image, crc, resumedFrom, next, string.Create(CultureInfo.InvariantCulture, $"data at byte {next}"));
            }

            // The device's offset is the truth: it may be behind (a lost frame) or ahead (a lost ack).
            next = (int)deviceNext;
            progress?.Invoke(next, image.Length);
        }

        if (!Exchange(SerialFrameLayout.TypeFinish, identity, cancellation))
        {
            return NoResponse(image, crc, resumedFrom, next, "finish");
        }

        status = (DeployStatus)_response[0];
        return status == DeployStatus.Ok
            ? Result(UploadFailure.None, status, PolicyStatus.Ok, -1, image, crc, resumedFrom, next, string.Create(CultureInfo.InvariantCulture, $"device verified and switched to the policy ({image.Length} bytes, image crc 0x{crc:x8})"))
            : Refused(image, crc, resumedFrom, next, "finish");
    }

    /// <summary>Sends one request and waits for its response (matching type and sequence), re-sending on timeout.</summary>
    private bool Exchange(byte type, byte[] payload, CancellationToken cancellation)
    {
        _sequence++;
        Array.Copy(payload, 0, _tx, SerialFrameLayout.HeaderBytes, payload.Length);
        int length = SerialFrameWriter.Seal(_tx, type, _sequence, payload.Length);
        for (int attempt = 0; attempt <= _options.MaxRetries; attempt++)
        {
            if (cancellation.IsCancellationRequested)
            {
                return false;
            }

            if (attempt > 0)
            {
                _retries++;
            }

            _decoder.Reset();
            _channel.Write(_tx, 0, length);
            if (AwaitResponse(type, _options.ResponseTimeoutMs))
            {
                return true;
            }
        }

        return false;
    }

    private bool AwaitResponse(byte type, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                return false;
            }

            int read = _channel.Read(_rx, 0, _rx.Length, (int)remaining);
            for (int i = 0; i < read; i++)
            {
                if (!_decoder.Push(_rx[i]))
                {
                    continue;
                }

                do
                {
                    if (_decoder.Type == (type | SerialFrameLayout.ResponseBit) && _decoder.Sequence == _sequence
                        && _decoder.PayloadLength == SerialFrameLayout.ResponsePayloadBytes)
                    {
                        Array.Copy(_decoder.Buffer, SerialFrameLayout.HeaderBytes, _response, 0, _response.Length);
                        _decoder.Consume();
                        return true;
                    }
                }
                while (_decoder.Consume());
            }
        }
    }

    private UploadResult NoResponse(byte[] image, uint crc, int resumedFrom, int acked, string step) =>
        Result(UploadFailure.NoResponse, DeployStatus.Ok, PolicyStatus.Ok, -1, image, crc, resumedFrom, acked,
            string.Create(CultureInfo.InvariantCulture, $"no response from the device to {step} after {_options.MaxRetries + 1} attempts of {_options.ResponseTimeoutMs} ms (wrong port or baud rate, or the receiver is not running)"));

    private UploadResult Refused(byte[] image, uint crc, int resumedFrom, int acked, string step)
    {
        var status = (DeployStatus)_response[0];
        var policyStatus = (PolicyStatus)_response[1];
        int errorOffset = BinaryPrimitives.ReadInt32LittleEndian(_response.AsSpan(8));
        uint capacity = BinaryPrimitives.ReadUInt32LittleEndian(_response.AsSpan(12));
        return Result(UploadFailure.DeviceRefused, status, policyStatus, errorOffset, image, crc, resumedFrom, acked,
            $"device refused at {step}: {DescribeDeviceStatus(status, policyStatus, errorOffset, image.Length, capacity, image)}; it keeps its current policy");
    }

    /// <summary>One line for a device status, naming the field and byte offset when there is one.</summary>
    /// <param name="status">The device's status.</param>
    /// <param name="policyStatus">The policy-file status (with <see cref="DeployStatus.PolicyRejected"/>).</param>
    /// <param name="errorOffset">The reply's error field: a byte offset, or the device's highest accepted policy version for <see cref="DeployStatus.Rollback"/> and <see cref="DeployStatus.VersionReused"/>.</param>
    /// <param name="imageLength">The image length.</param>
    /// <param name="capacity">The device's slot capacity.</param>
    /// <param name="image">The image, to name its policy version; optional.</param>
    /// <returns>The line.</returns>
    public static string DescribeDeviceStatus(DeployStatus status, PolicyStatus policyStatus, int errorOffset, int imageLength, uint capacity, byte[]? image = null)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        uint deviceVersion = unchecked((uint)errorOffset);
        string fileVersion = image is not null && image.Length >= PolicyFileLayout.HeaderLength && image[PolicyFileLayout.VersionOffset] == PolicyFileLayout.FormatVersion
            ? BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(PolicyFileLayout.PolicyVersionOffset)).ToString(c)
            : "?";
        return status switch
        {
            DeployStatus.TooLarge => string.Create(c, $"image is {imageLength} bytes, a slot holds {capacity} (TooLarge; see docs/policy-store.md)"),
            DeployStatus.TooSmall => string.Create(c, $"image is {imageLength} bytes, shorter than a policy header (TooSmall)"),
            DeployStatus.ImageCrcMismatch => "the received image's CRC differs from the announced one (ImageCrcMismatch: corrupted in transit or on flash)",
            DeployStatus.PolicyRejected => "policy file rejected: " + PolicyFileMessages.Describe(new PolicyFileError(policyStatus, errorOffset)) + $" ({policyStatus})",
            DeployStatus.WrongGame => string.Create(c, $"policy is for another game: {PolicyFileMessages.FieldAt(errorOffset)} at byte {errorOffset} differs from the device's (WrongGame)"),
            DeployStatus.StorageFailed => "the device's flash failed (StorageFailed)",
            DeployStatus.Rollback => string.Create(c, $"Rollback (version {fileVersion} < {deviceVersion}, the highest this device accepted): export with a higher --version"),
            DeployStatus.VersionReused => string.Create(c, $"VersionReused (version {fileVersion} is already taken on this device by another image): export with a higher --version"),
            DeployStatus.Incomplete => "device has not received every byte (Incomplete)",
            DeployStatus.NotProvisioned => "the device has no fleet key yet (NotProvisioned): run `edgemarl provision --port PORT --key FILE ...` first",
            DeployStatus.NotStarted => "device lost the upload (NotStarted; it may have rebooted): run the upload again",
            _ => status.ToString(),
        };
    }

    private UploadResult Result(UploadFailure failure, DeployStatus status, PolicyStatus policyStatus, int errorOffset, byte[] image, uint crc, int resumedFrom, int acked, string message) =>
        new(failure, status, policyStatus, errorOffset, image.Length, crc, resumedFrom, acked, _retries, message);
}
