using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// A robot's session with the gateway (docs/protocol.md §6): after boot the robot has none and acts on nothing;
    /// it sends a tagged Join with a fresh nonce, and the JoinAccept echoing that nonce sets its floor to the
    /// accept's (epoch, sequence). From then on a gateway frame is taken only if it is above the floor, in the
    /// session's epoch or the next one (the gateway's sequence wrapped, or it rebooted with its epoch intact), and new
    /// for its class: node frames (polls, broadcasts) must be above the last one taken (strict: an overtaken broadcast
    /// is stale); policy frames (kinds 16–18, sent in bursts that the air may reorder) must not have been taken before,
    /// within a 64-frame window behind the newest (as IPsec's anti-replay window).
    /// Every frame sent before the robot's boot precedes the accept, so none is acted on.
    /// </summary>
    /// <remarks>
    /// <para>Joins are retried with a randomized exponential backoff (windows of 1 … 32 robot ticks, drawn from the nonce
    /// stream), so a fleet powering up together does not flood the gateway in lockstep. A joined robot joins again when
    /// it has heard no acceptable gateway frame for its silence limit (keeping its session until a new accept replaces
    /// it), when half the lease has passed, and when the epoch moved (a rebooted gateway has an empty roster).</para>
    /// <para>The nonce stream must never repeat across boots: seed it from a boot counter persisted on flash
    /// (<see cref="Deployment.PersistentCounter"/>) mixed with whatever entropy the board has (docs/protocol.md §6).
    /// Allocation-free after construction; shared by the <see cref="RobotNode"/> and the radio policy receiver.</para>
    /// </remarks>
    public sealed class RobotSession
    {
        /// <summary>Largest join backoff window, in robot ticks.</summary>
        public const int MaxBackoffTicks = 32;

        private readonly Pcg32 _nonces;
        private bool _joined;
        private uint _epoch;
        private uint _lastNode;
        private uint _lastPolicy;
        private ulong _policyWindow;
        private uint _policyFloor;
        private ulong _pendingNonce;
        private bool _pending;
        private uint _highestEpoch;
        private uint _leaseTicks;
        private uint _ticksSinceJoin;
        private int _waitTicks;
        private int _attempts;
        private bool _renewNow;

        /// <summary>Initializes a new instance of the <see cref="RobotSession"/> class: not joined.</summary>
        /// <param name="nonceSeed">Seed of the nonce stream; must differ on every boot (boot counter ⊕ entropy).</param>
        /// <param name="lastKnownEpoch">The highest gateway epoch this robot knew before the boot (persisted), or 0.</param>
        public RobotSession(ulong nonceSeed, uint lastKnownEpoch)
        {
            _nonces = new Pcg32(nonceSeed, 0x4A4F494E);
            _highestEpoch = lastKnownEpoch;
        }

        /// <summary>Gets a value indicating whether the robot has a session (a JoinAccept for its nonce arrived since boot).</summary>
        public bool Joined
        {
            get { return _joined; }
        }

        /// <summary>Gets the session's epoch (0 before the first join).</summary>
        public uint Epoch
        {
            get { return _epoch; }
        }

        /// <summary>Gets the highest gateway epoch this robot has taken a frame in (persist it to report it after a reboot).</summary>
        public uint HighestEpoch
        {
            get { return _highestEpoch; }
        }

        /// <summary>Gets the number of JoinAccepts taken (sessions started or renewed).</summary>
        public int Generation { get; private set; }

        /// <summary>Gets the number of joins sent.</summary>
        public int JoinsSent { get; private set; }

        /// <summary>Takes a gateway poll or broadcast if it is fresh in this session.</summary>
        /// <param name="epoch">Frame epoch.</param>
        /// <param name="sequence">Frame sequence.</param>
        /// <returns>True when the frame may be acted on.</returns>
        public bool AcceptNodeFrame(uint epoch, uint sequence)
        {
            return Accept(epoch, sequence, true, true);
        }

        /// <summary>Takes a gateway policy frame (kinds 16–18) if it is fresh in this session.</summary>
        /// <param name="epoch">Frame epoch.</param>
        /// <param name="sequence">Frame sequence.</param>
        /// <returns>True when the frame may be acted on.</returns>
        public bool AcceptPolicyFrame(uint epoch, uint sequence)
        {
            return Accept(epoch, sequence, false, true);
        }

        /// <summary>Whether <see cref="AcceptNodeFrame"/> would take the frame, without taking it.</summary>
        /// <param name="epoch">Frame epoch.</param>
        /// <param name="sequence">Frame sequence.</param>
        /// <returns>True when fresh.</returns>
        public bool WouldAcceptNodeFrame(uint epoch, uint sequence)
        {
            return Accept(epoch, sequence, true, false);
        }

        /// <summary>Draws the nonce of the next join; only the latest nonce is answered.</summary>
        /// <returns>A fresh nonce.</returns>
        public ulong NextJoinNonce()
        {
            _pendingNonce = ((ulong)_nonces.NextUInt32() << 32) | _nonces.NextUInt32();
            _pending = true;
            JoinsSent++;
            return _pendingNonce;
        }

        /// <summary>Takes a decoded, authenticated JoinAccept from the gateway if it answers this robot's latest join.</summary>
        /// <param name="frame">The decoded frame (kind JoinAccept).</param>
        /// <param name="robotId">This robot's id.</param>
        /// <returns>True when the session (re)started with the accept's (epoch, sequence) as floor.</returns>
        public bool TryJoin(DecodedFrame frame, int robotId)
        {
            if (!_pending || frame.Kind != FrameKind.JoinAccept || frame.TargetId != robotId || frame.Nonce != _pendingNonce)
            {
                return false;
            }

            // The nonce is fresh, so this accept was made after our join, after our boot: a floor below it excludes every
            // frame sent before the boot, even when the gateway's epoch went down (it lost its persisted copies).
            _pending = false;
            _joined = true;
            _epoch = frame.Epoch;
            _lastNode = frame.Sequence;
            _lastPolicy = frame.Sequence;
            _policyFloor = frame.Sequence;
            _policyWindow = 0;
            if (frame.Epoch > _highestEpoch)
            {
                _highestEpoch = frame.Epoch;
            }

            _leaseTicks = frame.LeaseTicks;
            _ticksSinceJoin = 0;
            _attempts = 0;
            _waitTicks = 0;
            _renewNow = false;
            Generation++;
            return true;
        }

        /// <summary>Called once per robot tick: returns whether to send a join now (not joined, silent, lease half over, epoch moved), with backoff.</summary>
        /// <param name="silentTicks">Consecutive robot ticks without an accepted broadcast.</param>
        /// <param name="silentLimit">The robot's silence limit.</param>
        /// <returns>True when the caller must send a Join with <see cref="NextJoinNonce"/>.</returns>
        public bool JoinDue(int silentTicks, int silentLimit)
        {
            if (_ticksSinceJoin != 0xFFFFFFFF)
            {
                _ticksSinceJoin++;
            }

            // Silence counts only once the session is as old as the silence limit (right after an accept, nothing was due yet).
            bool silent = silentTicks >= silentLimit && _ticksSinceJoin >= (uint)silentLimit;
            bool want = !_joined || _renewNow || silent || (_leaseTicks > 0 && _ticksSinceJoin >= _leaseTicks / 2);
            if (!want)
            {
                _attempts = 0;
                _waitTicks = 0;
                return false;
            }

            if (_waitTicks > 0)
            {
                _waitTicks--;
                return false;
            }

            int window = _attempts >= 5 ? MaxBackoffTicks : 1 << _attempts;
            _waitTicks = (int)_nonces.NextBelow((uint)window) + (window >> 1);
            _attempts++;
            return true;
        }

        private bool Accept(uint epoch, uint sequence, bool node, bool take)
        {
            if (!_joined)
            {
                return false;
            }

            if (epoch == _epoch)
            {
                if (node)
                {
                    if (sequence <= _lastNode)
                    {
                        return false;
                    }

                    if (take)
                    {
                        _lastNode = sequence;
                    }

                    return true;
                }

                return TakePolicy(sequence, take);
            }

            if (_epoch == 0xFFFFFFFF || epoch != _epoch + 1)
            {
                return false;
            }

            if (take)
            {
                // The gateway's next epoch (its sequence wrapped, or it rebooted with its epoch files intact): everything in
                // it is newer than our floor. Join again: a rebooted gateway has lost its roster.
                _epoch = epoch;
                _lastNode = node ? sequence : 0;
                _lastPolicy = node ? 0 : sequence;
                _policyFloor = 0;
                _policyWindow = node ? 0UL : 1UL;
                if (epoch > _highestEpoch)
                {
                    _highestEpoch = epoch;
                }

                _renewNow = true;
            }

            return true;
        }

        /// <summary>Policy frames: above the floor, and not seen before within 64 frames behind the newest (bit i = newest − i).</summary>
        private bool TakePolicy(uint sequence, bool take)
        {
            if (sequence <= _policyFloor)
            {
                return false;
            }

            if (sequence > _lastPolicy)
            {
                if (take)
                {
                    uint shift = sequence - _lastPolicy;
                    _policyWindow = shift >= 64 ? 1UL : (_policyWindow << (int)shift) | 1UL;
                    _lastPolicy = sequence;
                }

                return true;
            }

            uint behind = _lastPolicy - sequence;
            if (behind >= 64 || (_policyWindow & (1UL << (int)behind)) != 0)
            {
                return false;
            }

            if (take)
            {
                _policyWindow |= 1UL << (int)behind;
            }

            return true;
        }
    }
}
