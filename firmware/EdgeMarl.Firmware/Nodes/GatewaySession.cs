using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// The gateway's frame counter, ordered by (epoch, sequence) (docs/protocol.md §6). Every gateway frame (polls,
    /// broadcasts, join accepts, policy frames) takes its sequence here, so a robot's session floor covers them all.
    /// A boot takes a new epoch, persisted in two copies before the first frame; the sequence restarts at 0 in each
    /// epoch; before the sequence would wrap the session moves to the next epoch (persisted first).
    /// </summary>
    /// <remarks>
    /// Losing one copy costs nothing. With no valid copy (first boot, or both lost) the epoch starts at a random point of
    /// the upper half of the epoch space (from the caller's entropy), so it almost surely differs from every epoch an
    /// earlier incarnation used, and frames recorded from those are not in any session of this one (a restart at a fixed
    /// value would reuse epochs: the freshness property test found exactly that). Robots in an older epoch re-join and
    /// report it; <see cref="ObserveRobotEpoch"/> moves the gateway above a reported epoch higher than its own, so no lost
    /// file silences the fleet. Allocation-free after construction.
    /// </remarks>
    public sealed class GatewaySession
    {
        private readonly PersistentCounter _store;
        private uint _epoch;
        private uint _sequence;
        private bool _unconfirmed;

        /// <summary>Initializes a new instance of the <see cref="GatewaySession"/> class: boots a new epoch from <paramref name="store"/>.</summary>
        /// <param name="store">The persisted epoch (two copies), or null for a simulation without flash (then <paramref name="firstEpoch"/> is used).</param>
        /// <param name="firstEpoch">The epoch when <paramref name="store"/> is null (at least 1).</param>
        /// <param name="firstSequence">The sequence before the first frame (0 on a device; tests start near the wrap).</param>
        /// <param name="entropy">Random bits for the start epoch when no persisted copy is valid (hardware randomness on a device; from the seed in simulations).</param>
        public GatewaySession(PersistentCounter store, uint firstEpoch, uint firstSequence, uint entropy)
        {
            _store = store;
            if (store != null)
            {
                uint persisted = store.Boot();
                _unconfirmed = store.ValidCopies == 0;
                _epoch = _unconfirmed ? RandomStart(entropy) : persisted + 1;
                if (_epoch == 0)
                {
                    _epoch = RandomStart(entropy);
                }

                store.Persist(_epoch);
            }
            else
            {
                _epoch = firstEpoch == 0 ? 1 : firstEpoch;
            }

            _sequence = firstSequence;
        }

        /// <summary>Gets the current epoch.</summary>
        public uint Epoch
        {
            get { return _epoch; }
        }

        /// <summary>Gets the sequence of the last frame sent in the current epoch.</summary>
        public uint LastSequence
        {
            get { return _sequence; }
        }

        /// <summary>Gets the number of epoch changes since boot (sequence wrap or a robot reporting a higher epoch).</summary>
        public int EpochChanges { get; private set; }

        /// <summary>The start epoch without a valid copy: 2^31 + entropy mod (2^31 − 2^24), leaving 2^24 epochs of headroom.</summary>
        public static uint RandomStart(uint entropy)
        {
            return 0x80000000u + (entropy % 0x7F000000u);
        }

        /// <summary>Gets a value indicating whether the epoch was booted with no valid persisted copy (first boot, or both lost).</summary>
        public bool Unconfirmed
        {
            get { return _unconfirmed; }
        }

        /// <summary>Returns the next sequence number in the current epoch.</summary>
        /// <returns>The sequence for the next frame.</returns>
        public uint Next()
        {
            if (_sequence == 0xFFFFFFFF)
            {
                MoveTo(_epoch + 1);
            }

            _sequence++;
            return _sequence;
        }

        /// <summary>Moves to the next epoch now if fewer than <paramref name="count"/> sequences are left in this one, so a group of frames (one tick's polls) never straddles the wrap.</summary>
        /// <param name="count">Sequences the caller is about to take.</param>
        public void Reserve(uint count)
        {
            if (0xFFFFFFFF - _sequence < count)
            {
                MoveTo(_epoch + 1);
            }
        }

        /// <summary>
        /// A joining robot reports the highest epoch it knows. If that is above ours (we lost our persisted epoch and
        /// restarted lower), move above it, so robots in that epoch follow us into the next one.
        /// </summary>
        /// <param name="reported">The epoch in the join's header.</param>
        /// <returns>True when the epoch moved.</returns>
        public bool ObserveRobotEpoch(uint reported)
        {
            if (reported == 0xFFFFFFFF || reported <= _epoch)
            {
                return false;
            }

            MoveTo(reported + 1);
            return true;
        }

        private void MoveTo(uint epoch)
        {
            // Persist before use: a reboot after this point boots above it.
            if (_store != null)
            {
                _store.Persist(epoch);
            }

            _epoch = epoch;
            _sequence = 0;
            _unconfirmed = false;
            EpochChanges++;
        }
    }
}
