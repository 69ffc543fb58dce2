using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// Device side of the serial upload (docs/protocol.md §10): reads frames from an <see cref="ISerialLink"/>, writes
    /// the image into the <see cref="PolicyStore"/>'s free slot, answers every request with a status, and at finish
    /// verifies the whole image and (when <c>commitOnFinish</c>) switches to it.
    /// </summary>
    /// <remarks>
    /// <para>Resume: a begin naming the image already in progress is answered with the number of bytes received, so
    /// an uploader restarted in the same device session continues there. A retransmitted chunk (its ack was lost) is
    /// acknowledged again without being written twice.</para>
    /// <para>On a gateway, <c>commitOnFinish = false</c> leaves the verified image staged for the radio dissemination,
    /// which switches the whole fleet at one announced tick. Owns its read, frame and reply buffers.</para>
    /// <para>Without a store (a blank device: no record, no key) it is provisioning-only: provision and device-info go
    /// to the <see cref="Extension"/>, begin/data/finish are answered <see cref="DeployStatus.NotProvisioned"/>.</para>
    /// </remarks>
    public sealed class SerialPolicyReceiver
    {
        private readonly ISerialLink _link;
        private readonly PolicyStore _store;
        private readonly bool _commitOnFinish;
        private readonly SerialFrameDecoder _decoder;
        private readonly byte[] _input;
        private readonly byte[] _reply;

        /// <summary>Line silence after which a half-received candidate frame is given up (well below the uploader's 1 s response timeout, well above USB-UART latency).</summary>
        public const int IdleResyncMs = 250;

        private bool _uploading;
        private bool _adopted;
        private int _idleMs;
        private int _length;
        private uint _crc;
        private int _next;

        /// <summary>Initializes a new instance of the <see cref="SerialPolicyReceiver"/> class.</summary>
        /// <param name="link">The serial link.</param>
        /// <param name="store">The node's policy store (booted), or null to refuse uploads with <see cref="DeployStatus.NotProvisioned"/>.</param>
        /// <param name="commitOnFinish">True to switch to a verified image at finish; false to leave it staged.</param>
        public SerialPolicyReceiver(ISerialLink link, PolicyStore store, bool commitOnFinish)
        {
            if (link == null)
            {
                throw new System.ArgumentNullException(nameof(link));
            }

            _link = link;
            _store = store;
            _commitOnFinish = commitOnFinish;
            _decoder = new SerialFrameDecoder();
            _input = new byte[256];
            _reply = new byte[SerialFrameLayout.HeaderBytes + SerialFrameLayout.ResponsePayloadBytes + SerialFrameLayout.CrcBytes];
        }

        /// <summary>Gets or sets the handler of request types other than the upload's (null: they are answered BadRequest).</summary>
        public ISerialRequestHandler Extension { get; set; }

        /// <summary>Gets the number of uploads that ended verified (and committed when configured).</summary>
        public int Completed { get; private set; }

        /// <summary>Gets the status of the last finish.</summary>
        public DeployStatus LastFinishStatus { get; private set; }

        /// <summary>Gets the number of uploads that reached verification at finish, accepted or refused (<see cref="LastFinishStatus"/> says which).</summary>
        public int Finished { get; private set; }

        /// <summary>Gets the number of bytes received of the upload in progress.</summary>
        public int BytesReceived
        {
            get { return _next; }
        }

        /// <summary>Reads what arrives within <paramref name="timeoutMs"/> and answers every complete request.</summary>
        /// <param name="timeoutMs">Longest wait for the first bytes; use a positive wait (e.g. 20 ms) so that line silence is noticed
        /// and a frame stuck behind a corrupted header is released after <see cref="IdleResyncMs"/>.</param>
        /// <returns>The number of requests handled.</returns>
        public int Poll(int timeoutMs)
        {
            int read = _link.Read(_input, 0, _input.Length, timeoutMs);
            int handled = 0;
            _idleMs = read > 0 ? 0 : (_idleMs < IdleResyncMs ? _idleMs + timeoutMs : _idleMs);
            if (read == 0 && _idleMs >= IdleResyncMs && _decoder.Idle())
            {
                // Silence for longer than any gap inside a frame: frames stuck behind a corrupted header are released.
                do
                {
                    Handle();
                    handled++;
                }
                while (_decoder.Consume());
            }

            for (int i = 0; i < read; i++)
            {
                if (!_decoder.Push(_input[i]))
                {
                    continue;
                }

                do
                {
                    Handle();
                    handled++;
                }
                while (_decoder.Consume());
            }

            return handled;
        }

        private void Handle()
        {
            byte[] frame = _decoder.Buffer;
            int p = SerialFrameLayout.HeaderBytes;
            int length = _decoder.PayloadLength;
            byte type = _decoder.Type;
            byte sequence = _decoder.Sequence;
            if (_store == null && (type == SerialFrameLayout.TypeBegin || type == SerialFrameLayout.TypeData || type == SerialFrameLayout.TypeFinish))
            {
                Reply(type, sequence, DeployStatus.NotProvisioned, 0);
                return;
            }

            switch (type)
            {
                case SerialFrameLayout.TypeBegin:
                    if (length != SerialFrameLayout.IdentityPayloadBytes)
                    {
                        Reply(type, sequence, DeployStatus.BadRequest, 0);
                        return;
                    }

                    Begin(type, sequence, ReadLength(frame, p), WireBytes.ReadUInt32(frame, p + 4));
                    return;
                case SerialFrameLayout.TypeData:
                    if (length < 5)
                    {
                        Reply(type, sequence, DeployStatus.BadRequest, (uint)_next);
                        return;
                    }

                    Data(type, sequence, ReadLength(frame, p), frame, p + 4, length - 4);
                    return;
                case SerialFrameLayout.TypeFinish:
                    Finish(type, sequence, length == SerialFrameLayout.IdentityPayloadBytes ? ReadLength(frame, p) : -1, WireBytes.ReadUInt32(frame, p + 4));
                    return;
                case SerialFrameLayout.TypeStatus:
                    Reply(type, sequence, DeployStatus.Ok, 0);
                    return;
                default:
                    // Request types beyond the upload's (provision, device info: docs/protocol.md §10.4) go to the extension.
                    if (Extension == null || !Extension.Handle(type, sequence, frame, p, length, _link))
                    {
                        Reply(type, sequence, DeployStatus.BadRequest, 0);
                    }

                    return;
            }
        }

        private void Begin(byte type, byte sequence, int length, uint crc)
        {
            if (_uploading && length == _length && crc == _crc)
            {
                // Same image again: the uploader restarted or lost our answer; resume where the bytes end.
                Reply(type, sequence, DeployStatus.Ok, (uint)_next);
                return;
            }

            if (_store.HasPolicy && _store.CurrentLength == length && _store.CurrentCrc == crc)
            {
                _uploading = false;
                Reply(type, sequence, DeployStatus.AlreadyActive, (uint)length);
                return;
            }

            _length = length;
            _crc = crc;
            if (length >= 0 && _store.TryAdoptStaged(length, crc))
            {
                // The whole image is already in the free slot (sent before a reboot, or staged for a rollout): only finish remains.
                _uploading = true;
                _adopted = true;
                _next = length;
                Reply(type, sequence, DeployStatus.Ok, (uint)_next);
                return;
            }

            DeployStatus status = length < 0 ? DeployStatus.TooLarge : _store.BeginStage(length, crc);
            _uploading = status == DeployStatus.Ok;
            _adopted = false;
            _next = 0;
            Reply(type, sequence, status, 0);
        }

        private void Data(byte type, byte sequence, int offset, byte[] frame, int dataOffset, int count)
        {
            if (!_uploading)
            {
                Reply(type, sequence, DeployStatus.NotStarted, 0);
                return;
            }

            if (offset < 0 || offset > _next)
            {
                Reply(type, sequence, DeployStatus.OutOfOrder, (uint)_next);
                return;
            }

            if (offset + count <= _next)
            {
                // A retransmission of bytes we already hold: acknowledge, write nothing.
                Reply(type, sequence, DeployStatus.Ok, (uint)_next);
                return;
            }

            int skip = _next - offset;
            if (_next + (count - skip) > _length)
            {
                Reply(type, sequence, DeployStatus.BadRequest, (uint)_next);
                return;
            }

            DeployStatus status = _store.WriteStage(_next, frame, dataOffset + skip, count - skip);
            if (status == DeployStatus.Ok)
            {
                _next += count - skip;
            }
            else
            {
                _uploading = false;
            }

            Reply(type, sequence, status, (uint)_next);
        }

        private void Finish(byte type, byte sequence, int length, uint crc)
        {
            DeployStatus status;
            if (!_uploading || length != _length || crc != _crc)
            {
                status = _store.HasPolicy && _store.CurrentLength == length && _store.CurrentCrc == crc ? DeployStatus.Ok : DeployStatus.NotStarted;
                Reply(type, sequence, status, (uint)_next);
                return;
            }

            if (_next != _length)
            {
                Reply(type, sequence, DeployStatus.Incomplete, (uint)_next);
                return;
            }

            _uploading = false;
            status = _adopted ? DeployStatus.Ok : _store.FinishStage();
            _adopted = false;
            if (status == DeployStatus.Ok && _commitOnFinish)
            {
                status = _store.Commit();
            }

            LastFinishStatus = status;
            Finished++;
            if (status == DeployStatus.Ok)
            {
                Completed++;
            }

            Reply(type, sequence, status, (uint)_length);
        }

        private static int ReadLength(byte[] frame, int offset)
        {
            uint value = WireBytes.ReadUInt32(frame, offset);
            return value > int.MaxValue ? -1 : (int)value;
        }

        private void Reply(byte type, byte sequence, DeployStatus status, uint value)
        {
            int p = SerialFrameLayout.HeaderBytes;
            if (_store == null)
            {
                for (int i = 0; i < SerialFrameLayout.ResponsePayloadBytes; i++)
                {
                    _reply[p + i] = 0;
                }

                _reply[p] = (byte)status;
                WireBytes.WriteUInt32(_reply, p + 8, 0xFFFFFFFF);
                _link.Write(_reply, 0, SerialFrameWriter.Seal(_reply, (byte)(type | SerialFrameLayout.ResponseBit), sequence, SerialFrameLayout.ResponsePayloadBytes));
                return;
            }

            bool policyError = status == DeployStatus.PolicyRejected || status == DeployStatus.WrongGame;
            _reply[p] = (byte)status;
            _reply[p + 1] = (byte)(status == DeployStatus.PolicyRejected ? _store.LastPolicyError.Status : PolicyStatus.Ok);
            _reply[p + 2] = 0;
            _reply[p + 3] = 0;
            WireBytes.WriteUInt32(_reply, p + 4, value);
            // Anti-rollback refusals carry the device's highest accepted policy version in the error-offset field (docs/protocol.md §10).
            bool versionError = status == DeployStatus.Rollback || status == DeployStatus.VersionReused;
            WireBytes.WriteUInt32(_reply, p + 8, versionError ? _store.HighestVersion : (uint)(policyError ? _store.LastErrorOffset : -1));
            WireBytes.WriteUInt32(_reply, p + 12, (uint)_store.Capacity);
            WireBytes.WriteUInt32(_reply, p + 16, _store.HasPolicy ? (uint)_store.CurrentLength : 0);
            WireBytes.WriteUInt32(_reply, p + 20, _store.HasPolicy ? _store.CurrentCrc : 0);
            int frameLength = SerialFrameWriter.Seal(_reply, (byte)(type | SerialFrameLayout.ResponseBit), sequence, SerialFrameLayout.ResponsePayloadBytes);
            _link.Write(_reply, 0, frameLength);
        }
    }
}
