using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// Robot side of the radio dissemination (docs/protocol.md §11): writes the gateway's chunks into the store's
    /// free slot, answers status polls with a bitmap of missing chunks or an ack, and at the first broadcast of the
    /// announced switch tick commits the verified image, so the robot acts on that tick with the new <c>π_l</c>.
    /// </summary>
    /// <remarks>
    /// <para>A reboot loses only the chunk bitmap in RAM: the next chunk of the same image restarts the transfer,
    /// unless the free slot already holds the complete image (then it is adopted without a transfer). The old
    /// policy stays in force until the switch.</para>
    /// <para>Replays: a policy frame is taken only inside the robot's session (<see cref="RobotSession"/>, shared with the
    /// robot node): after a boot, nothing until the robot has joined, then only frames above the JoinAccept's (epoch,
    /// sequence). So no frame sent before the boot, such as a chunk of an old rollout whose image still sits in the free
    /// slot, is acted on. Within a session, frames older (by gateway tick) than the newest one accepted are dropped too.</para>
    /// <para>Owns its codec state, bitmap and transmit buffer (made here). Broadcasts are decoded a second time only
    /// while a switch is pending.</para>
    /// </remarks>
    public sealed class RadioPolicyReceiver : IPolicyFrameHandler, IActionGate
    {
        private readonly PolicyStore _store;
        private readonly FrameCodec _codec;
        private readonly IRadio _radio;
        private readonly RobotSession _session;
        private readonly int _robotId;
        private readonly int _gatewayId;
        private readonly DecodedFrame _frame;
        private readonly byte[] _missing;
        private readonly byte[] _tx;
        private readonly byte[] _payload;

        private bool _receiving;
        private bool _rejected;
        private DeployStatus _rejectStatus;
        private int _length;
        private uint _crc;
        private int _chunks;
        private int _received;
        private uint _switchTick;
        private uint _latestTick;
        private bool _heard;
        private bool _hold;
        private uint _sequence;
        private int _sessionSeen;
        private uint _epochSeen;

        /// <summary>Initializes a new instance of the <see cref="RadioPolicyReceiver"/> class.</summary>
        /// <param name="store">The robot's store (booted).</param>
        /// <param name="codec">A codec of its own with the fleet id and key (not shared with the node: it keeps no state, but decodes into its own frame).</param>
        /// <param name="radio">The real radio (to send requests and acks).</param>
        /// <param name="session">The robot's session, the same object as its <see cref="RobotNode"/>'s (<see cref="RobotOptions.Session"/>).</param>
        /// <param name="robotId">This robot's id.</param>
        /// <param name="gatewayId">The gateway's id; other senders are ignored.</param>
        /// <param name="firstSequence">Sequence before the first frame this receiver sends.</param>
        public RadioPolicyReceiver(PolicyStore store, FrameCodec codec, IRadio radio, RobotSession session, int robotId, int gatewayId, uint firstSequence)
        {
            if (store == null || codec == null || radio == null || session == null)
            {
                throw new System.ArgumentNullException(nameof(store));
            }

            _store = store;
            _codec = codec;
            _radio = radio;
            _session = session;
            _robotId = robotId;
            _gatewayId = gatewayId;
            _sequence = firstSequence;
            _frame = new DecodedFrame();
            _missing = new byte[(RadioPolicyLayout.ChunkCount(store.Capacity) + 7) / 8];
            _tx = new byte[FrameLayout.MaxFrameBytes];
            _payload = new byte[FrameLayout.MaxPayloadBytes];
        }

        /// <summary>Gets the chunks written so far of the image being received.</summary>
        public int ChunksReceived
        {
            get { return _received; }
        }

        /// <summary>Gets the announced switch tick (0 before an announcement).</summary>
        public uint SwitchTick
        {
            get { return _switchTick; }
        }

        /// <summary>Gets the gateway tick of the broadcast at which the robot switched last, or 0.</summary>
        public uint SwitchedAtTick { get; private set; }

        /// <summary>
        /// Gets a value indicating whether the robot is a straggler: the gateway announced a switch to an image this robot
        /// does not run, and that switch tick has passed. The robot node then applies its safe action (via
        /// <see cref="IActionGate"/>) until the image is staged and committed.
        /// </summary>
        public bool HoldSafeAction
        {
            get { return _hold; }
        }

        /// <summary>Gets the number of policy frames refused (bad decode, wrong sender, stale, malformed).</summary>
        public int Refused { get; private set; }

        /// <summary>Gets the status of the last image refused by the store, or Ok.</summary>
        public DeployStatus LastRejectStatus
        {
            get { return _rejectStatus; }
        }

        /// <inheritdoc/>
        public void HandlePolicyFrame(byte[] frame, int offset, int length)
        {
            if (_codec.Decode(frame, offset, length, _frame) != FrameStatus.Ok || _frame.SenderId != _gatewayId
                || _frame.Kind != FrameKind.PolicyChunk || _frame.PayloadLength < RadioPolicyLayout.ChunkHeaderBytes)
            {
                Refused++;
                return;
            }

            if (!_session.AcceptPolicyFrame(_frame.Epoch, _frame.Sequence))
            {
                // Before the robot joined, or not newer than the session floor: sent before this boot, or a replay.
                Refused++;
                return;
            }

            if (_session.Generation != _sessionSeen || _session.Epoch != _epochSeen)
            {
                // A new session or a new gateway epoch: its ticks may have restarted, so the tick floor restarts with it, and
                // a switch tick announced before means nothing now (the gateway re-announces in every policy frame).
                _sessionSeen = _session.Generation;
                _epochSeen = _session.Epoch;
                _heard = false;
                _switchTick = 0;
            }

            if (_heard && _frame.Tick < _latestTick)
            {
                Refused++;
                return;
            }

            _heard = true;
            _latestTick = _frame.Tick;
            int p = _frame.PayloadOffset;
            uint imageLength = WireBytes.ReadUInt32(frame, p);
            uint crc = WireBytes.ReadUInt32(frame, p + 4);
            uint switchTick = WireBytes.ReadUInt32(frame, p + RadioPolicyLayout.SwitchTickOffset);
            uint chunkOffset = WireBytes.ReadUInt32(frame, p + RadioPolicyLayout.ChunkOffsetOffset);
            int dataLength = _frame.PayloadLength - RadioPolicyLayout.ChunkHeaderBytes;
            if (imageLength > int.MaxValue)
            {
                Refused++;
                return;
            }

            int length32 = (int)imageLength;
            if (_store.HasPolicy && _store.CurrentLength == length32 && _store.CurrentCrc == crc)
            {
                // Already running it (switched, or updated another way): say so when asked.
                _receiving = false;
                _hold = false;
                if (dataLength == 0)
                {
                    SendAck(RadioPolicyLayout.StateActive, DeployStatus.Ok, length32, crc);
                }

                return;
            }

            if (length32 != _length || crc != _crc || (!_receiving && !_rejected && !_store.HasStaged))
            {
                Start(length32, crc);
            }

            if (switchTick != 0)
            {
                _switchTick = switchTick;
                _hold = _frame.Tick >= switchTick;
            }

            if (_rejected)
            {
                if (dataLength == 0)
                {
                    SendAck(RadioPolicyLayout.StateRejected, _rejectStatus, length32, crc);
                }

                return;
            }

            if (_receiving && dataLength > 0)
            {
                Write(chunkOffset, frame, p + RadioPolicyLayout.ChunkHeaderBytes, dataLength);
            }

            if (_store.HasStaged && !_receiving)
            {
                if (_switchTick != 0 && _latestTick >= _switchTick)
                {
                    // The announced tick has passed (we missed its broadcast): switch now rather than stay mixed.
                    Switch(_latestTick);
                    return;
                }

                if (dataLength == 0)
                {
                    SendAck(RadioPolicyLayout.StateStaged, DeployStatus.Ok, length32, crc);
                }
            }
            else if (_receiving && dataLength == 0)
            {
                SendRequest();
            }
        }

        /// <inheritdoc/>
        public void SeeBroadcast(byte[] frame, int offset, int length)
        {
            if (_switchTick == 0 || !_store.HasStaged || _receiving)
            {
                return;
            }

            if (_codec.Decode(frame, offset, length, _frame) == FrameStatus.Ok && _frame.SenderId == _gatewayId
                && _frame.Kind == FrameKind.Broadcast && _frame.Tick >= _switchTick && _session.WouldAcceptNodeFrame(_frame.Epoch, _frame.Sequence))
            {
                Switch(_frame.Tick);
            }
        }

        private void Start(int length, uint crc)
        {
            _length = length;
            _crc = crc;
            _switchTick = 0;
            _rejected = false;
            _received = 0;
            _chunks = RadioPolicyLayout.ChunkCount(length);
            if (_store.TryAdoptStaged(length, crc))
            {
                _receiving = false;
                return;
            }

            DeployStatus status = _store.BeginStage(length, crc);
            if (status != DeployStatus.Ok)
            {
                Reject(status);
                return;
            }

            _receiving = true;
            for (int i = 0; i < _missing.Length; i++)
            {
                _missing[i] = 0;
            }

            for (int c = 0; c < _chunks; c++)
            {
                _missing[c >> 3] |= (byte)(1 << (c & 7));
            }
        }

        private void Write(uint chunkOffset, byte[] frame, int dataOffset, int dataLength)
        {
            int expected = chunkOffset < (uint)_length ? (_length - (int)chunkOffset < RadioPolicyLayout.ChunkDataBytes ? _length - (int)chunkOffset : RadioPolicyLayout.ChunkDataBytes) : -1;
            if (chunkOffset % RadioPolicyLayout.ChunkDataBytes != 0 || dataLength != expected)
            {
                Refused++;
                return;
            }

            int chunk = (int)(chunkOffset / RadioPolicyLayout.ChunkDataBytes);
            byte bit = (byte)(1 << (chunk & 7));
            if ((_missing[chunk >> 3] & bit) == 0)
            {
                return;
            }

            DeployStatus status = _store.WriteStage((int)chunkOffset, frame, dataOffset, dataLength);
            if (status != DeployStatus.Ok)
            {
                Reject(status);
                return;
            }

            _missing[chunk >> 3] &= (byte)~bit;
            _received++;
            if (_received < _chunks)
            {
                return;
            }

            _receiving = false;
            status = _store.FinishStage();
            if (status != DeployStatus.Ok)
            {
                Reject(status);
                SendAck(RadioPolicyLayout.StateRejected, status, _length, _crc);
                return;
            }

            SendAck(RadioPolicyLayout.StateStaged, DeployStatus.Ok, _length, _crc);
        }

        private void Reject(DeployStatus status)
        {
            // Only a verdict on the image itself is final; a flash failure or a bad read-back is retried from scratch
            // at the next chunk frame (the old policy stays in force meanwhile).
            _receiving = false;
            _rejected = RadioPolicyLayout.IsFinalRefusal(status);
            _rejectStatus = status;
        }

        private void Switch(uint tick)
        {
            if (_store.Commit() == DeployStatus.Ok)
            {
                _hold = false;
                SwitchedAtTick = tick;
                _switchTick = 0;
            }
        }

        private void SendRequest()
        {
            int first = 0;
            while (first < _chunks && (_missing[first >> 3] & (1 << (first & 7))) == 0)
            {
                first++;
            }

            int count = _chunks - first;
            if (count > RadioPolicyLayout.MaxBitmapBytes * 8)
            {
                count = RadioPolicyLayout.MaxBitmapBytes * 8;
            }

            int bitmapBytes = (count + 7) / 8;
            WireBytes.WriteUInt32(_payload, 0, (uint)_length);
            WireBytes.WriteUInt32(_payload, 4, _crc);
            WireBytes.WriteUInt32(_payload, 8, (uint)first);
            WireBytes.WriteUInt16(_payload, 12, count);
            for (int i = 0; i < bitmapBytes; i++)
            {
                _payload[RadioPolicyLayout.RequestHeaderBytes + i] = 0;
            }

            for (int i = 0; i < count; i++)
            {
                int c = first + i;
                if ((_missing[c >> 3] & (1 << (c & 7))) != 0)
                {
                    _payload[RadioPolicyLayout.RequestHeaderBytes + (i >> 3)] |= (byte)(1 << (i & 7));
                }
            }

            Send(FrameKind.PolicyRequest, RadioPolicyLayout.RequestHeaderBytes + bitmapBytes);
        }

        private void SendAck(byte state, DeployStatus status, int length, uint crc)
        {
            WireBytes.WriteUInt32(_payload, 0, (uint)length);
            WireBytes.WriteUInt32(_payload, 4, crc);
            _payload[8] = state;
            _payload[9] = (byte)status;
            _payload[10] = (byte)(status == DeployStatus.PolicyRejected ? _store.LastPolicyError.Status : PolicyStatus.Ok);
            _payload[11] = 0;
            WireBytes.WriteUInt32(_payload, 12, (uint)(status == DeployStatus.Ok ? -1 : _store.LastErrorOffset));
            Send(FrameKind.PolicyAck, RadioPolicyLayout.AckPayloadBytes);
        }

        private void Send(FrameKind kind, int payloadLength)
        {
            _sequence++;
            int frameLength = _codec.Encode(kind, _robotId, _session.Epoch, _latestTick, _sequence, _payload, 0, payloadLength, _tx, 0);
            _radio.Send(_gatewayId, _tx, 0, frameLength);
        }
    }
}
