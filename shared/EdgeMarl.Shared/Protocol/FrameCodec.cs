using EdgeMarl.Shared.Integrity;

namespace EdgeMarl.Shared.Protocol
{
    /// <summary>
    /// Encodes and decodes protocol-version-2 frames (<see cref="FrameLayout"/>, docs/protocol.md) into and from
    /// caller-owned byte arrays. One instance per node: it holds the fleet id, the optional authenticator and a
    /// 32-byte MAC scratch buffer it owns. Allocates nothing per call (beyond what the authenticator does).
    /// Not thread-safe.
    /// </summary>
    /// <remarks>
    /// Encoding a frame with invalid arguments is a programming error and throws; decoding received bytes never
    /// throws and reports a <see cref="FrameStatus"/>. Replay protection is not the codec's job: the tag binds
    /// tick and sequence to the frame, and the nodes reject old ones (docs/protocol.md §6).
    /// </remarks>
    public sealed class FrameCodec
    {
        private readonly int _fleetId;
        private readonly IFrameAuthenticator _authenticator;
        private readonly byte[] _mac;

        /// <summary>Initializes a new instance of the <see cref="FrameCodec"/> class: tags every frame and requires a tag on every frame.</summary>
        /// <param name="fleetId">This fleet's id, 0 … 65,535.</param>
        /// <param name="authenticator">HMAC with the fleet key; required (issue 11, finding 4: untagged frames can be forged by anyone in radio range).</param>
        /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="fleetId"/> does not fit 16 bits.</exception>
        /// <exception cref="System.ArgumentNullException"><paramref name="authenticator"/> is null.</exception>
        public FrameCodec(int fleetId, IFrameAuthenticator authenticator)
            : this(fleetId, authenticator, false)
        {
        }

        private FrameCodec(int fleetId, IFrameAuthenticator authenticator, bool insecureUntagged)
        {
            if (fleetId < 0 || fleetId > 0xFFFF)
            {
                throw new System.ArgumentOutOfRangeException(nameof(fleetId));
            }

            if (authenticator == null && !insecureUntagged)
            {
                throw new System.ArgumentNullException(nameof(authenticator), "frame codec: a frame authenticator (fleet key) is required; untagged frames are insecure and exist only for host simulations (InsecureUntaggedForHostSimulation)");
            }

            _fleetId = fleetId;
            _authenticator = authenticator;
            _mac = new byte[32];
        }

        /// <summary>
        /// INSECURE: makes a codec that sends untagged frames and accepts only untagged frames. Anyone in radio range can
        /// forge any frame (a broadcast with sequence 0xFFFFFFFF locks robots out until they reboot). For host
        /// simulations and tests that measure the cost of tags only; never for a device.
        /// </summary>
        /// <param name="fleetId">This fleet's id, 0 … 65,535.</param>
        /// <returns>An untagged codec.</returns>
        public static FrameCodec InsecureUntaggedForHostSimulation(int fleetId)
        {
            return new FrameCodec(fleetId, null, true);
        }

        /// <summary>Gets this fleet's id.</summary>
        public int FleetId
        {
            get { return _fleetId; }
        }

        /// <summary>Gets a value indicating whether frames are tagged and tags required.</summary>
        public bool Authenticated
        {
            get { return _authenticator != null; }
        }

        /// <summary>Gets the size of a frame with <paramref name="payloadBytes"/> of payload under this codec's tagging.</summary>
        /// <param name="payloadBytes">Payload length.</param>
        /// <returns>The frame size in bytes.</returns>
        public int FrameBytes(int payloadBytes)
        {
            return FrameLayout.FrameBytes(payloadBytes, _authenticator != null);
        }

        /// <summary>Writes a <see cref="FrameKind.Poll"/> asking robot <paramref name="targetId"/> for its state.</summary>
        /// <param name="senderId">Gateway id.</param>
        /// <param name="epoch">Gateway epoch.</param>
        /// <param name="tick">Gateway tick.</param>
        /// <param name="sequence">Gateway frame sequence.</param>
        /// <param name="targetId">Polled robot id.</param>
        /// <param name="frame">Caller-owned output buffer.</param>
        /// <param name="offset">First byte written.</param>
        /// <returns>The frame length.</returns>
        public int EncodePoll(int senderId, uint epoch, uint tick, uint sequence, int targetId, byte[] frame, int offset)
        {
            CheckU16(targetId);
            CheckOutput(frame, offset, FrameLayout.PollPayloadBytes);
            WireBytes.WriteUInt16(frame, offset + FrameLayout.HeaderBytes, targetId);
            return Seal(FrameKind.Poll, senderId, epoch, tick, sequence, FrameLayout.PollPayloadBytes, frame, offset);
        }

        /// <summary>Writes a <see cref="FrameKind.Report"/> answering the poll with sequence <paramref name="echoSequence"/>.</summary>
        /// <param name="senderId">Robot id.</param>
        /// <param name="epoch">The robot's session epoch (the poll's).</param>
        /// <param name="tick">The polled tick (copied from the poll).</param>
        /// <param name="sequence">Robot frame sequence.</param>
        /// <param name="echoSequence">Sequence of the poll being answered.</param>
        /// <param name="localState">Local state <c>s_l</c>, 0 … 65,535.</param>
        /// <param name="frame">Caller-owned output buffer.</param>
        /// <param name="offset">First byte written.</param>
        /// <returns>The frame length.</returns>
        public int EncodeReport(int senderId, uint epoch, uint tick, uint sequence, uint echoSequence, int localState, byte[] frame, int offset)
        {
            CheckU16(localState);
            CheckOutput(frame, offset, FrameLayout.ReportPayloadBytes);
            int p = offset + FrameLayout.HeaderBytes;
            WireBytes.WriteUInt32(frame, p, echoSequence);
            WireBytes.WriteUInt16(frame, p + 4, localState);
            return Seal(FrameKind.Report, senderId, epoch, tick, sequence, FrameLayout.ReportPayloadBytes, frame, offset);
        }

        /// <summary>Writes a <see cref="FrameKind.Broadcast"/> carrying the tick's decision.</summary>
        /// <param name="senderId">Gateway id.</param>
        /// <param name="epoch">Gateway epoch.</param>
        /// <param name="tick">Gateway tick.</param>
        /// <param name="sequence">Gateway frame sequence.</param>
        /// <param name="globalState">Global state <c>s_g</c>.</param>
        /// <param name="globalAction">Global action <c>a_g</c>.</param>
        /// <param name="sampleCount">Number of reports <c>k'</c> the decision used.</param>
        /// <param name="frame">Caller-owned output buffer.</param>
        /// <param name="offset">First byte written.</param>
        /// <returns>The frame length.</returns>
        public int EncodeBroadcast(int senderId, uint epoch, uint tick, uint sequence, int globalState, int globalAction, int sampleCount, byte[] frame, int offset)
        {
            CheckU16(globalState);
            CheckU16(globalAction);
            CheckU16(sampleCount);
            CheckOutput(frame, offset, FrameLayout.BroadcastPayloadBytes);
            int p = offset + FrameLayout.HeaderBytes;
            WireBytes.WriteUInt16(frame, p, globalState);
            WireBytes.WriteUInt16(frame, p + 2, globalAction);
            WireBytes.WriteUInt16(frame, p + 4, sampleCount);
            return Seal(FrameKind.Broadcast, senderId, epoch, tick, sequence, FrameLayout.BroadcastPayloadBytes, frame, offset);
        }

        /// <summary>Writes a <see cref="FrameKind.Join"/>: a robot asks for a session (docs/protocol.md §6).</summary>
        /// <param name="senderId">Robot id.</param>
        /// <param name="epoch">The highest gateway epoch the robot knows (0 if none): a gateway below it moves above it.</param>
        /// <param name="tick">The last gateway tick the robot heard (informational).</param>
        /// <param name="sequence">Robot frame sequence.</param>
        /// <param name="nonce">A nonce never used before by this robot (fresh per join).</param>
        /// <param name="frame">Caller-owned output buffer.</param>
        /// <param name="offset">First byte written.</param>
        /// <returns>The frame length.</returns>
        public int EncodeJoin(int senderId, uint epoch, uint tick, uint sequence, ulong nonce, byte[] frame, int offset)
        {
            CheckOutput(frame, offset, FrameLayout.JoinPayloadBytes);
            WireBytes.WriteUInt64(frame, offset + FrameLayout.HeaderBytes, nonce);
            return Seal(FrameKind.Join, senderId, epoch, tick, sequence, FrameLayout.JoinPayloadBytes, frame, offset);
        }

        /// <summary>Writes a <see cref="FrameKind.JoinAccept"/>: the gateway's answer to one join, echoing its nonce.</summary>
        /// <param name="senderId">Gateway id.</param>
        /// <param name="epoch">Gateway epoch.</param>
        /// <param name="tick">Gateway tick.</param>
        /// <param name="sequence">Gateway frame sequence: the robot's floor.</param>
        /// <param name="targetId">The joining robot's id.</param>
        /// <param name="nonce">The join's nonce.</param>
        /// <param name="leaseTicks">Ticks the membership lasts without a renewed join.</param>
        /// <param name="frame">Caller-owned output buffer.</param>
        /// <param name="offset">First byte written.</param>
        /// <returns>The frame length.</returns>
        public int EncodeJoinAccept(int senderId, uint epoch, uint tick, uint sequence, int targetId, ulong nonce, uint leaseTicks, byte[] frame, int offset)
        {
            CheckU16(targetId);
            CheckOutput(frame, offset, FrameLayout.JoinAcceptPayloadBytes);
            int p = offset + FrameLayout.HeaderBytes;
            WireBytes.WriteUInt16(frame, p, targetId);
            WireBytes.WriteUInt64(frame, p + 2, nonce);
            WireBytes.WriteUInt32(frame, p + 10, leaseTicks);
            return Seal(FrameKind.JoinAccept, senderId, epoch, tick, sequence, FrameLayout.JoinAcceptPayloadBytes, frame, offset);
        }

        /// <summary>Writes a frame of any kind with a payload copied from <paramref name="payload"/> (used for the reserved policy kinds).</summary>
        /// <param name="kind">Frame kind (not <see cref="FrameKind.None"/>).</param>
        /// <param name="senderId">Sender id.</param>
        /// <param name="epoch">Epoch (the gateway's, or the robot's session epoch).</param>
        /// <param name="tick">Tick.</param>
        /// <param name="sequence">Sender frame sequence.</param>
        /// <param name="payload">Payload source.</param>
        /// <param name="payloadOffset">First payload byte.</param>
        /// <param name="payloadLength">Payload length, at most <see cref="FrameLayout.MaxPayloadBytes"/> and the kind's fixed length if it has one.</param>
        /// <param name="frame">Caller-owned output buffer.</param>
        /// <param name="offset">First byte written.</param>
        /// <returns>The frame length.</returns>
        /// <exception cref="System.ArgumentException">The kind is unknown or the payload length is wrong for it.</exception>
        public int Encode(FrameKind kind, int senderId, uint epoch, uint tick, uint sequence, byte[] payload, int payloadOffset, int payloadLength, byte[] frame, int offset)
        {
            if (!IsKnownKind((byte)kind) || !PayloadLengthFits(kind, payloadLength))
            {
                throw new System.ArgumentException("kind/payload length", nameof(kind));
            }

            if (payloadLength > 0 && (payload == null || payloadOffset < 0 || payloadOffset > payload.Length - payloadLength))
            {
                throw new System.ArgumentOutOfRangeException(nameof(payload));
            }

            CheckOutput(frame, offset, payloadLength);
            if (payloadLength > 0)
            {
                System.Array.Copy(payload, payloadOffset, frame, offset + FrameLayout.HeaderBytes, payloadLength);
            }

            return Seal(kind, senderId, epoch, tick, sequence, payloadLength, frame, offset);
        }

        /// <summary>
        /// Decodes <c>buffer[offset .. offset+length)</c> into <paramref name="result"/>. Never throws for any byte
        /// content; checks, in order, range and size, version, flags, length arithmetic, CRC, kind, payload length,
        /// fleet id and tag.
        /// </summary>
        /// <param name="buffer">Received bytes (caller-owned; the payload is left in place).</param>
        /// <param name="offset">First byte of the frame.</param>
        /// <param name="length">Received length.</param>
        /// <param name="result">Caller-owned holder that receives the fields.</param>
        /// <returns><see cref="FrameStatus.Ok"/> or the first defect found.</returns>
        public FrameStatus Decode(byte[] buffer, int offset, int length, DecodedFrame result)
        {
            if (buffer == null || result == null || offset < 0 || length < FrameLayout.MinFrameBytes || offset > buffer.Length - length)
            {
                return FrameStatus.TooShort;
            }

            if (length > FrameLayout.MaxFrameBytes)
            {
                return FrameStatus.TooLong;
            }

            if (buffer[offset + FrameLayout.VersionOffset] != FrameLayout.Version)
            {
                return FrameStatus.BadVersion;
            }

            byte flags = buffer[offset + FrameLayout.FlagsOffset];
            if ((flags & ~FrameLayout.FlagTagged) != 0)
            {
                return FrameStatus.BadFlags;
            }

            bool tagged = (flags & FrameLayout.FlagTagged) != 0;
            int payloadLength = buffer[offset + FrameLayout.PayloadLengthOffset];
            if (FrameLayout.FrameBytes(payloadLength, tagged) != length)
            {
                return FrameStatus.BadLength;
            }

            int crcOffset = offset + length - FrameLayout.CrcBytes;
            if (Crc32.Compute(buffer, offset, length - FrameLayout.CrcBytes) != WireBytes.ReadUInt32(buffer, crcOffset))
            {
                return FrameStatus.BadCrc;
            }

            byte kindByte = buffer[offset + FrameLayout.KindOffset];
            if (!IsKnownKind(kindByte))
            {
                return FrameStatus.UnknownKind;
            }

            FrameKind kind = (FrameKind)kindByte;
            if (!PayloadLengthFits(kind, payloadLength))
            {
                return FrameStatus.BadPayloadLength;
            }

            if (WireBytes.ReadUInt16(buffer, offset + FrameLayout.FleetIdOffset) != _fleetId)
            {
                return FrameStatus.ForeignFleet;
            }

            int signedBytes = FrameLayout.HeaderBytes + payloadLength;
            if (_authenticator != null)
            {
                if (!tagged)
                {
                    return FrameStatus.MissingTag;
                }

                _authenticator.ComputeHmacSha256(buffer, offset, signedBytes, _mac, 0);
                if (!TagMatches(buffer, offset + signedBytes))
                {
                    return FrameStatus.BadTag;
                }
            }
            else if (tagged)
            {
                return FrameStatus.UnexpectedTag;
            }

            int p = offset + FrameLayout.HeaderBytes;
            result.Kind = kind;
            result.FleetId = _fleetId;
            result.SenderId = WireBytes.ReadUInt16(buffer, offset + FrameLayout.SenderIdOffset);
            result.Epoch = WireBytes.ReadUInt32(buffer, offset + FrameLayout.EpochOffset);
            result.Tick = WireBytes.ReadUInt32(buffer, offset + FrameLayout.TickOffset);
            result.Sequence = WireBytes.ReadUInt32(buffer, offset + FrameLayout.SequenceOffset);
            result.PayloadOffset = p;
            result.PayloadLength = payloadLength;
            result.Tagged = tagged;
            switch (kind)
            {
                case FrameKind.Poll:
                    result.TargetId = WireBytes.ReadUInt16(buffer, p);
                    break;
                case FrameKind.Report:
                    result.EchoSequence = WireBytes.ReadUInt32(buffer, p);
                    result.LocalState = WireBytes.ReadUInt16(buffer, p + 4);
                    break;
                case FrameKind.Broadcast:
                    result.GlobalState = WireBytes.ReadUInt16(buffer, p);
                    result.GlobalAction = WireBytes.ReadUInt16(buffer, p + 2);
                    result.SampleCount = WireBytes.ReadUInt16(buffer, p + 4);
                    break;
                case FrameKind.Join:
                    result.Nonce = WireBytes.ReadUInt64(buffer, p);
                    break;
                case FrameKind.JoinAccept:
                    result.TargetId = WireBytes.ReadUInt16(buffer, p);
                    result.Nonce = WireBytes.ReadUInt64(buffer, p + 2);
                    result.LeaseTicks = WireBytes.ReadUInt32(buffer, p + 10);
                    break;
            }

            return FrameStatus.Ok;
        }

        /// <summary>Returns whether <paramref name="kind"/> is a kind this protocol version defines (including reserved ones).</summary>
        /// <param name="kind">Kind byte.</param>
        /// <returns>True for Poll, Report, Broadcast, Join, JoinAccept, PolicyChunk, PolicyRequest, PolicyAck.</returns>
        public static bool IsKnownKind(byte kind)
        {
            return (kind >= (byte)FrameKind.Poll && kind <= (byte)FrameKind.JoinAccept)
                || (kind >= (byte)FrameKind.PolicyChunk && kind <= (byte)FrameKind.PolicyAck);
        }

        private static bool PayloadLengthFits(FrameKind kind, int payloadLength)
        {
            switch (kind)
            {
                case FrameKind.Poll:
                    return payloadLength == FrameLayout.PollPayloadBytes;
                case FrameKind.Report:
                    return payloadLength == FrameLayout.ReportPayloadBytes;
                case FrameKind.Broadcast:
                    return payloadLength == FrameLayout.BroadcastPayloadBytes;
                case FrameKind.Join:
                    return payloadLength == FrameLayout.JoinPayloadBytes;
                case FrameKind.JoinAccept:
                    return payloadLength == FrameLayout.JoinAcceptPayloadBytes;
                default:
                    // Reserved policy kinds: their payloads are defined by the deployment protocol.
                    return payloadLength >= 0 && payloadLength <= FrameLayout.MaxPayloadBytes;
            }
        }

        /// <summary>Fills the header, tag and CRC around a payload already in place.</summary>
        private int Seal(FrameKind kind, int senderId, uint epoch, uint tick, uint sequence, int payloadLength, byte[] frame, int offset)
        {
            CheckU16(senderId);
            bool tagged = _authenticator != null;
            frame[offset + FrameLayout.VersionOffset] = FrameLayout.Version;
            frame[offset + FrameLayout.KindOffset] = (byte)kind;
            frame[offset + FrameLayout.FlagsOffset] = tagged ? FrameLayout.FlagTagged : (byte)0;
            frame[offset + FrameLayout.PayloadLengthOffset] = (byte)payloadLength;
            WireBytes.WriteUInt16(frame, offset + FrameLayout.FleetIdOffset, _fleetId);
            WireBytes.WriteUInt16(frame, offset + FrameLayout.SenderIdOffset, senderId);
            WireBytes.WriteUInt32(frame, offset + FrameLayout.EpochOffset, epoch);
            WireBytes.WriteUInt32(frame, offset + FrameLayout.TickOffset, tick);
            WireBytes.WriteUInt32(frame, offset + FrameLayout.SequenceOffset, sequence);
            int end = offset + FrameLayout.HeaderBytes + payloadLength;
            if (tagged)
            {
                _authenticator.ComputeHmacSha256(frame, offset, end - offset, _mac, 0);
                System.Array.Copy(_mac, 0, frame, end, FrameLayout.TagBytes);
                end += FrameLayout.TagBytes;
            }

            WireBytes.WriteUInt32(frame, end, Crc32.Compute(frame, offset, end - offset));
            return end + FrameLayout.CrcBytes - offset;
        }

        /// <summary>Constant-time comparison of the received tag with the first bytes of the computed MAC.</summary>
        private bool TagMatches(byte[] buffer, int tagOffset)
        {
            int difference = 0;
            for (int i = 0; i < FrameLayout.TagBytes; i++)
            {
                difference |= buffer[tagOffset + i] ^ _mac[i];
            }

            return difference == 0;
        }

        private void CheckOutput(byte[] frame, int offset, int payloadLength)
        {
            if (frame == null || offset < 0 || offset > frame.Length - FrameBytes(payloadLength))
            {
                throw new System.ArgumentOutOfRangeException(nameof(frame));
            }
        }

        private static void CheckU16(int value)
        {
            if (value < 0 || value > 0xFFFF)
            {
                throw new System.ArgumentOutOfRangeException(nameof(value));
            }
        }
    }
}
