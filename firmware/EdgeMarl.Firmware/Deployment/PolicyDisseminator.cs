using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// Gateway side of the radio dissemination (docs/protocol.md §11). Between ticks, <see cref="Pump"/> broadcasts the
    /// chunks robots still miss and one status poll; robots answer with a bitmap of missing chunks or an ack. Once every
    /// robot of the roster has the image staged, the switch tick <c>T = next tick + LeadTicks</c> is announced in every
    /// policy frame; the gateway commits its own staged copy before running tick <c>T</c> (<see cref="SwitchDue"/>),
    /// and robots commit at the broadcast of <c>T</c>, so the fleet changes policy between two ticks.
    /// </summary>
    /// <remarks>
    /// <para>A robot that refuses the image (wrong game, bad tag) stops the rollout: nothing is announced and
    /// <see cref="Aborted"/> tells the operator. Owns its bitmap, roster state and buffers (made here).</para>
    /// <para>Freshness (issue 11, finding 3): a robot's request or ack counts only if it is in the gateway's current
    /// epoch, answers this tick's or the previous tick's policy frames (its header tick) and is newer, by (tick, sequence),
    /// than the last one accepted from that robot. The gateway's own policy frames take their (epoch, sequence) from the
    /// gateway's <see cref="Nodes.GatewaySession"/>, so robots order them with polls and broadcasts (docs/protocol.md §6). A recorded frame replayed later is refused (<see cref="ReplaysRefused"/>), so it can neither
    /// reset a ready robot nor re-queue chunks.</para>
    /// <para>Bound: the switch is announced when every robot is ready or <see cref="DisseminatorOptions.GiveUpTicks"/>
    /// ticks after the first pump, whichever is first, so the rollout finishes (<see cref="Finished"/>) at the latest in the
    /// pump of tick <c>first + GiveUpTicks + LeadTicks + LingerTicks + 1</c>, whatever the loss. Robots not ready when the switch is
    /// announced, and robots that have not acked the new policy active by the end of the linger, are stragglers (<see cref="CopyStragglers"/>); after the rollout finishes the gateway keeps sending one
    /// status poll per tick (and the chunks they ask for) while any remain, and a straggler holds its safe action from
    /// the switch tick until it has switched (<see cref="RadioPolicyReceiver.HoldSafeAction"/>).</para>
    /// </remarks>
    public sealed class PolicyDisseminator : IPolicyFrameHandler
    {
        private readonly IPolicySource _image;
        private readonly int _length;
        private readonly uint _crc;
        private readonly FrameCodec _codec;
        private readonly IRadio _radio;
        private readonly int _gatewayId;
        private readonly int[] _robots;
        private readonly byte[] _robotState;
        private readonly int _framesPerTick;
        private readonly int _leadTicks;
        private readonly int _lingerTicks;
        private readonly int _giveUpTicks;
        private readonly int _chunks;
        private readonly byte[] _needed;
        private readonly byte[] _payload;
        private readonly byte[] _tx;
        private readonly DecodedFrame _frame;

        private readonly uint[] _robotTick;
        private readonly uint[] _robotSequence;
        private readonly bool[] _robotHeard;
        private readonly bool[] _straggler;

        private readonly Nodes.GatewaySession _session;
        private uint _lastTick;
        private uint _switchTick;
        private uint _firstTick;
        private bool _started;
        private int _cursor;

        /// <summary>Initializes a new instance of the <see cref="PolicyDisseminator"/> class.</summary>
        /// <param name="options">Configuration (copied).</param>
        /// <param name="image">The verified image (e.g. <see cref="PolicyStore.StagedSource"/>); must not change during the rollout.</param>
        /// <param name="imageCrc">Image CRC (<see cref="PolicyIdentity.ImageCrc"/>).</param>
        /// <param name="codec">A codec of its own with the fleet id and key.</param>
        /// <param name="radio">The real radio.</param>
        public PolicyDisseminator(DisseminatorOptions options, IPolicySource image, uint imageCrc, FrameCodec codec, IRadio radio)
        {
            if (options == null || options.RobotIds == null || options.Session == null || image == null || codec == null || radio == null)
            {
                throw new System.ArgumentNullException(nameof(options));
            }

            if (options.FramesPerTick < 1 || options.LeadTicks < 1 || options.LingerTicks < 0 || options.GiveUpTicks < 1)
            {
                throw new System.ArgumentException("disseminator: frames per tick, lead and give-up >= 1, linger >= 0", nameof(options));
            }

            _image = image;
            _length = image.Length;
            _crc = imageCrc;
            _codec = codec;
            _radio = radio;
            _gatewayId = options.GatewayId;
            _robots = new int[options.RobotIds.Length];
            System.Array.Copy(options.RobotIds, _robots, _robots.Length);
            _robotState = new byte[_robots.Length];
            _robotTick = new uint[_robots.Length];
            _robotSequence = new uint[_robots.Length];
            _robotHeard = new bool[_robots.Length];
            _straggler = new bool[_robots.Length];
            _framesPerTick = options.FramesPerTick;
            _leadTicks = options.LeadTicks;
            _lingerTicks = options.LingerTicks;
            _giveUpTicks = options.GiveUpTicks;
            _session = options.Session;
            _chunks = RadioPolicyLayout.ChunkCount(_length);
            _needed = new byte[(_chunks + 7) / 8];
            for (int c = 0; c < _chunks; c++)
            {
                _needed[c >> 3] |= (byte)(1 << (c & 7));
            }

            _payload = new byte[FrameLayout.MaxPayloadBytes];
            _tx = new byte[FrameLayout.MaxFrameBytes];
            _frame = new DecodedFrame();
        }

        /// <summary>Gets the announced switch tick, or 0 before the announcement.</summary>
        public uint SwitchTick
        {
            get { return _switchTick; }
        }

        /// <summary>Gets a value indicating whether a robot refused the image (the rollout then stops).</summary>
        public bool Aborted { get; private set; }

        /// <summary>Gets the id of the first robot that refused the image, or −1.</summary>
        public int RejectingRobot { get; private set; } = -1;

        /// <summary>Gets the status the rejecting robot reported.</summary>
        public DeployStatus RejectStatus { get; private set; }

        /// <summary>Gets the number of chunk frames sent (status polls excluded).</summary>
        public int ChunksSent { get; private set; }

        /// <summary>Gets the number of robot policy frames refused as not fresh (replays, or answers to an earlier tick).</summary>
        public int ReplaysRefused { get; private set; }

        /// <summary>Gets the number of status polls sent.</summary>
        public int PollsSent { get; private set; }

        /// <summary>Gets the number of roster robots that reported the image staged or active.</summary>
        public int RobotsReady
        {
            get
            {
                int ready = 0;
                for (int i = 0; i < _robotState.Length; i++)
                {
                    if (_robotState[i] == RadioPolicyLayout.StateStaged || _robotState[i] == RadioPolicyLayout.StateActive)
                    {
                        ready++;
                    }
                }

                return ready;
            }
        }

        /// <summary>Gets the number of robots that were not ready when the switch was announced and have not reported the new policy active since.</summary>
        public int StragglerCount
        {
            get
            {
                int count = 0;
                for (int i = 0; i < _straggler.Length; i++)
                {
                    if (_straggler[i])
                    {
                        count++;
                    }
                }

                return count;
            }
        }

        /// <summary>Copies the ids of the current stragglers into <paramref name="destination"/> from <paramref name="offset"/>.</summary>
        /// <param name="destination">Caller-owned buffer with room for the roster.</param>
        /// <param name="offset">First entry written.</param>
        /// <returns>The number of ids written.</returns>
        public int CopyStragglers(int[] destination, int offset)
        {
            int count = 0;
            for (int i = 0; i < _straggler.Length; i++)
            {
                if (_straggler[i])
                {
                    destination[offset + count] = _robots[i];
                    count++;
                }
            }

            return count;
        }

        /// <summary>Gets a value indicating whether the rollout is over (switched and lingered, or aborted); stragglers may remain (<see cref="StragglerCount"/>).</summary>
        public bool Finished { get; private set; }

        /// <summary>Returns whether the gateway must commit its staged policy before running <paramref name="nextTick"/>.</summary>
        /// <param name="nextTick">The tick about to run.</param>
        /// <returns>True from the switch tick on.</returns>
        public bool SwitchDue(uint nextTick)
        {
            return _switchTick != 0 && nextTick >= _switchTick;
        }

        /// <summary>Sends this tick's policy frames; call once before each gateway tick.</summary>
        /// <param name="nextTick">The tick about to run (frames carry <c>nextTick − 1</c>, the last tick run).</param>
        public void Pump(uint nextTick)
        {
            _lastTick = nextTick - 1;
            _session.Reserve((uint)_framesPerTick);
            if (Finished)
            {
                if (!Aborted && StragglerCount > 0)
                {
                    // Keep serving stragglers: their requests and one status poll (carrying the passed switch tick) a tick.
                    SendFrames(nextTick - 1);
                }

                return;
            }

            if (!_started)
            {
                _started = true;
                _firstTick = nextTick;
            }

            if (Aborted)
            {
                Finished = true;
                return;
            }

            if (_switchTick == 0 && (RobotsReady == _robots.Length || nextTick - _firstTick >= (uint)_giveUpTicks))
            {
                _switchTick = nextTick + (uint)_leadTicks;
                for (int i = 0; i < _robots.Length; i++)
                {
                    _straggler[i] = _robotState[i] != RadioPolicyLayout.StateStaged && _robotState[i] != RadioPolicyLayout.StateActive;
                }
            }

            if (_switchTick != 0 && nextTick > _switchTick + (uint)_lingerTicks)
            {
                // Whoever has not said "active" by now is a straggler too: e.g. a robot that acked staged, then rebooted
                // and had to join again before it could hear the announcement (it switches when it hears a status poll).
                for (int i = 0; i < _robots.Length; i++)
                {
                    if (_robotState[i] != RadioPolicyLayout.StateActive)
                    {
                        _straggler[i] = true;
                    }
                }

                Finished = true;
                return;
            }

            SendFrames(nextTick - 1);
        }

        private void SendFrames(uint tick)
        {
            for (int sent = 0; sent < _framesPerTick - 1; sent++)
            {
                int chunk = NextNeeded();
                if (chunk < 0)
                {
                    break;
                }

                _needed[chunk >> 3] &= (byte)~(1 << (chunk & 7));
                SendChunk(tick, chunk);
                ChunksSent++;
            }

            // The status poll (and announcement): every robot answers it with a request or an ack.
            SendFrame(tick, _length, 0);
            PollsSent++;
        }

        /// <inheritdoc/>
        public void HandlePolicyFrame(byte[] frame, int offset, int length)
        {
            if (_codec.Decode(frame, offset, length, _frame) != FrameStatus.Ok)
            {
                return;
            }

            int robot = IndexOf(_frame.SenderId);
            int p = _frame.PayloadOffset;
            if (robot < 0 || _frame.PayloadLength < 8 || WireBytes.ReadUInt32(frame, p) != (uint)_length || WireBytes.ReadUInt32(frame, p + 4) != _crc)
            {
                return;
            }

            if (_frame.Epoch != _session.Epoch || !IsFresh(robot, _frame.Tick, _frame.Sequence))
            {
                ReplaysRefused++;
                return;
            }

            if (_frame.Kind == FrameKind.PolicyAck && _frame.PayloadLength == RadioPolicyLayout.AckPayloadBytes)
            {
                byte state = frame[p + 8];
                var status = (DeployStatus)frame[p + 9];
                bool final = state == RadioPolicyLayout.StateRejected && RadioPolicyLayout.IsFinalRefusal(status);
                _robotState[robot] = state == RadioPolicyLayout.StateRejected && !final ? (byte)0 : state;
                if (state == RadioPolicyLayout.StateActive || (state == RadioPolicyLayout.StateStaged && _switchTick == 0))
                {
                    _straggler[robot] = false;
                }
                if (final && !Aborted)
                {
                    Aborted = true;
                    RejectingRobot = _frame.SenderId;
                    RejectStatus = status;
                }
            }
            else if (_frame.Kind == FrameKind.PolicyRequest && _frame.PayloadLength >= RadioPolicyLayout.RequestHeaderBytes)
            {
                // Missing chunks: a robot that rebooted asks for everything again and is no longer ready.
                _robotState[robot] = 0;
                uint first = WireBytes.ReadUInt32(frame, p + 8);
                int count = WireBytes.ReadUInt16(frame, p + 12);
                if (_frame.PayloadLength < RadioPolicyLayout.RequestHeaderBytes + ((count + 7) / 8))
                {
                    return;
                }

                for (int i = 0; i < count; i++)
                {
                    long chunk = first + (long)i;
                    if (chunk < _chunks && (frame[p + RadioPolicyLayout.RequestHeaderBytes + (i >> 3)] & (1 << (i & 7))) != 0)
                    {
                        _needed[chunk >> 3] |= (byte)(1 << (int)(chunk & 7));
                    }
                }
            }
        }

        /// <inheritdoc/>
        public void SeeBroadcast(byte[] frame, int offset, int length)
        {
            // The gateway's own broadcasts are not echoed to it; nothing to do.
        }

        /// <summary>
        /// A robot frame is fresh when it answers this tick's or the previous tick's policy frames and is newer, by
        /// (tick, sequence), than the last one accepted from that robot. A robot that reboots restarts its sequence but
        /// answers a later tick, so it is heard again from its first answer.
        /// </summary>
        private bool IsFresh(int robot, uint tick, uint sequence)
        {
            if (tick > _lastTick || _lastTick - tick > 1)
            {
                return false;
            }

            if (_robotHeard[robot] && (tick < _robotTick[robot] || (tick == _robotTick[robot] && sequence <= _robotSequence[robot])))
            {
                return false;
            }

            _robotHeard[robot] = true;
            _robotTick[robot] = tick;
            _robotSequence[robot] = sequence;
            return true;
        }

        private int NextNeeded()
        {
            for (int i = 0; i < _chunks; i++)
            {
                int c = (_cursor + i) % _chunks;
                if ((_needed[c >> 3] & (1 << (c & 7))) != 0)
                {
                    _cursor = c + 1;
                    return c;
                }
            }

            return -1;
        }

        private int IndexOf(int robotId)
        {
            for (int i = 0; i < _robots.Length; i++)
            {
                if (_robots[i] == robotId)
                {
                    return i;
                }
            }

            return -1;
        }

        private void SendChunk(uint tick, int chunk)
        {
            int offset = chunk * RadioPolicyLayout.ChunkDataBytes;
            int count = _length - offset < RadioPolicyLayout.ChunkDataBytes ? _length - offset : RadioPolicyLayout.ChunkDataBytes;
            if (_image.Read(offset, _payload, RadioPolicyLayout.ChunkHeaderBytes, count) != count)
            {
                return;
            }

            SendFrame(tick, offset, count);
        }

        private void SendFrame(uint tick, int chunkOffset, int dataLength)
        {
            WireBytes.WriteUInt32(_payload, 0, (uint)_length);
            WireBytes.WriteUInt32(_payload, 4, _crc);
            WireBytes.WriteUInt32(_payload, RadioPolicyLayout.SwitchTickOffset, _switchTick);
            WireBytes.WriteUInt32(_payload, RadioPolicyLayout.ChunkOffsetOffset, (uint)chunkOffset);
            int frameLength = _codec.Encode(FrameKind.PolicyChunk, _gatewayId, _session.Epoch, tick, _session.Next(), _payload, 0, RadioPolicyLayout.ChunkHeaderBytes + dataLength, _tx, 0);
            _radio.Broadcast(_tx, 0, frameLength);
        }
    }
}
