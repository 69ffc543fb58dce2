using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// A validated policy file (<c>docs/policy-format.md</c>), read in place: <c>π_g(s_g, c)</c> for every
    /// <c>k' ∈ [k_min, k]</c> and draws from <c>π_l(· | s_l, s_g)</c>, by index arithmetic over the file's bytes.
    /// </summary>
    /// <remarks>
    /// Open once with a <c>TryOpen</c> overload, which checks magic, version, length, CRC, every size, section
    /// offset and bound, every table entry and, when given a key, the HMAC; after that lookups cannot read out
    /// of bounds and allocate nothing. The bytes stay owned by the caller (array or <see cref="IPolicySource"/>)
    /// and must not change while this instance is used; the table owns only the rank tables and page cache it
    /// allocates when opened. Lookups are not thread-safe in slice mode (shared page cache).
    /// </remarks>
    public sealed partial class PolicyTable : IPolicyLookup, IStoredGlobalTables
    {
        private readonly byte[] _buffer;
        private readonly int _base;
        private readonly PolicyPageCache _cache;
        private readonly IPolicySource _source;
        private readonly int _length;
        private int _globalStates;
        private int _globalActions;
        // Count classes T·|S_l| (the global tables' and the local weights' index space); |S_l| itself is _statesPerType.
        private int _localStates;
        private int _statesPerType;
        private int _robotTypes;
        private int _localActions;
        private int _agentCount;
        private int _kMin;
        private int _k;
        private int _bitsPerEntry;
        private int _sectionCount;
        private bool _hasHmac;
        private bool _hmacVerified;
        private CountRanker _ranker;
        private int[] _tableStart;
        private int[] _rankCount;
        private int _localStart;

        private PolicyTable(byte[] buffer, int offset, int length, IPolicySource source, PolicyPageCache cache)
        {
            _buffer = buffer;
            _base = offset;
            _length = length;
            _source = source;
            _cache = cache;
        }

        /// <inheritdoc/>
        public int GlobalStates
        {
            get { return _globalStates; }
        }

        /// <inheritdoc/>
        public int LocalStates
        {
            get { return _statesPerType; }
        }

        /// <inheritdoc/>
        public int RobotTypes
        {
            get { return _robotTypes; }
        }

        /// <inheritdoc/>
        public int GlobalActions
        {
            get { return _globalActions; }
        }

        /// <inheritdoc/>
        public int LocalActions
        {
            get { return _localActions; }
        }

        /// <inheritdoc/>
        public int KMin
        {
            get { return _kMin; }
        }

        /// <inheritdoc/>
        public int K
        {
            get { return _k; }
        }

        /// <summary>Gets the fleet size <c>n</c> the policy was trained for.</summary>
        public int AgentCount
        {
            get { return _agentCount; }
        }

        /// <summary>Gets the file length in bytes.</summary>
        public int FileLength
        {
            get { return _length; }
        }

        /// <summary>Gets the bits per global entry <c>b = ⌈log2 |A_g|⌉</c>.</summary>
        public int BitsPerEntry
        {
            get { return _bitsPerEntry; }
        }

        /// <summary>Gets the number of sections.</summary>
        public int SectionCount
        {
            get { return _sectionCount; }
        }

        /// <summary>Gets a value indicating whether the file carries an HMAC section.</summary>
        public bool HasHmac
        {
            get { return _hasHmac; }
        }

        /// <summary>Gets a value indicating whether the HMAC was checked against a key at open (and matched).</summary>
        public bool HmacVerified
        {
            get { return _hmacVerified; }
        }

        /// <summary>Returns the number of count vectors (ranks) in the table of <paramref name="sampleSize"/>, or 0 outside <c>[k_min, k]</c>.</summary>
        /// <param name="sampleSize"><c>k'</c>.</param>
        /// <returns><c>C(k'+|S_l|−1, |S_l|−1)</c>, or 0.</returns>
        public int RankCount(int sampleSize)
        {
            return sampleSize < _kMin || sampleSize > _k || _tableStart[sampleSize - _kMin] < 0 ? 0 : _rankCount[sampleSize - _kMin];
        }

        /// <inheritdoc/>
        public bool TryGetGlobalAction(int globalState, int[] counts, int offset, out int globalAction)
        {
            globalAction = 0;
            if (counts == null || offset < 0 || offset > counts.Length - _localStates)
            {
                return false;
            }

            // k' = Σ_j c_j, refusing negative entries and sums above k before they could overflow.
            int sampleSize = 0;
            for (int j = 0; j < _localStates; j++)
            {
                int c = counts[offset + j];
                if (c < 0 || c > _k - sampleSize)
                {
                    return false;
                }

                sampleSize += c;
            }

            if (sampleSize < _kMin || globalState < 0 || globalState >= _globalStates)
            {
                return false;
            }

            int slot = sampleSize - _kMin;
            if (_tableStart[slot] < 0)
            {
                return false;
            }

            if (_tableKind[slot] == PolicyFileLayout.SectionCompactGlobalTable)
            {
                // The rule reads the counts the caller has; no unranking.
                return TryGetCompactAction(slot, globalState, _ranker.Rank(counts, offset, sampleSize), counts, offset, out globalAction);
            }

            return TryGetGlobalActionByRank(globalState, sampleSize, _ranker.Rank(counts, offset, sampleSize), out globalAction);
        }

        /// <summary>Looks up <c>π_g</c> by rank: entry <c>s_g · C(k'+|S_l|−1, |S_l|−1) + rank</c> of the table of <c>k'</c>.</summary>
        /// <param name="globalState"><c>s_g</c>.</param>
        /// <param name="sampleSize"><c>k' ∈ [k_min, k]</c>.</param>
        /// <param name="rank">Lexicographic rank of the count vector (<see cref="CountRanker"/>).</param>
        /// <param name="globalAction">The action, when found; otherwise 0.</param>
        /// <returns>True when every index was in range (and, in slice mode, the read succeeded).</returns>
        public bool TryGetGlobalActionByRank(int globalState, int sampleSize, int rank, out int globalAction)
        {
            globalAction = 0;
            if (globalState < 0 || globalState >= _globalStates || sampleSize < _kMin || sampleSize > _k)
            {
                return false;
            }

            int ranks = _rankCount[sampleSize - _kMin];
            if (rank < 0 || rank >= ranks || _tableStart[sampleSize - _kMin] < 0)
            {
                return false;
            }

            if (_tableKind[sampleSize - _kMin] == PolicyFileLayout.SectionCompactGlobalTable)
            {
                return TryGetCompactAction(sampleSize - _kMin, globalState, rank, null, 0, out globalAction);
            }

            // Open already refused entries ≥ |A_g|; the compare is one more guard against a slice source whose
            // bytes changed after open (flash rewritten underneath), so a lookup never returns a non-action.
            int value = ReadEntry(_tableStart[sampleSize - _kMin], ((long)globalState * ranks) + rank);
            if (value < 0 || value >= _globalActions)
            {
                return false;
            }

            globalAction = value;
            return true;
        }

        /// <inheritdoc/>
        public int GetLocalAction(int globalState, int localState, byte randomByte)
        {
            if (globalState < 0 || globalState >= _globalStates || localState < 0 || localState >= _localStates)
            {
                return -1;
            }

            // Row weights w_j (in 1/256): the first a_l whose cumulative threshold T_{a_l} = Σ_{j≤a_l} w_j
            // exceeds the byte. Only a deterministic row stored as a single 255 (docs/policy-format.md)
            // can leave byte 255 uncovered; it belongs to that row's one action.
            int row = _localStart + (((globalState * _localStates) + localState) * _localActions);
            int threshold = 0;
            int lastNonZero = -1;
            for (int a = 0; a < _localActions; a++)
            {
                int w = ReadByte(row + a);
                if (w < 0)
                {
                    return -1;
                }

                if (w > 0)
                {
                    lastNonZero = a;
                }

                threshold += w;
                if (threshold > randomByte)
                {
                    return a;
                }
            }

            return lastNonZero;
        }

        /// <summary>Returns the quantised <c>π_l(a_l | s_l, s_g)</c> in 1/256 units (0..256), or -1 when out of range.</summary>
        /// <param name="globalState"><c>s_g</c>.</param>
        /// <param name="localState"><c>s_l</c>.</param>
        /// <param name="localAction"><c>a_l</c>.</param>
        /// <returns>The weight; the weights of a row sum to 256.</returns>
        public int GetLocalWeight(int globalState, int localState, int localAction)
        {
            if (globalState < 0 || globalState >= _globalStates || localState < 0 || localState >= _localStates
                || localAction < 0 || localAction >= _localActions)
            {
                return -1;
            }

            int row = _localStart + (((globalState * _localStates) + localState) * _localActions);
            int sum = 0;
            for (int a = 0; a < _localActions; a++)
            {
                int w = ReadByte(row + a);
                if (w < 0)
                {
                    return -1;
                }

                sum += w;
            }

            int weight = ReadByte(row + localAction);
            return sum == 255 && weight == 255 ? 256 : weight;
        }

        /// <summary>Copies raw file bytes (for header fields such as the hashes and names).</summary>
        /// <param name="position">First file byte.</param>
        /// <param name="destination">Caller-owned destination.</param>
        /// <param name="destinationOffset">First destination byte.</param>
        /// <param name="count">Bytes to copy.</param>
        /// <returns>False when a range is invalid or a read failed.</returns>
        public bool CopyBytes(int position, byte[] destination, int destinationOffset, int count)
        {
            if (destination == null || position < 0 || count < 0 || position > _length - count
                || destinationOffset < 0 || destinationOffset > destination.Length - count)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                int value = ReadByte(position + i);
                if (value < 0)
                {
                    return false;
                }

                destination[destinationOffset + i] = (byte)value;
            }

            return true;
        }

        /// <summary>Reads section table entry <paramref name="index"/>.</summary>
        /// <param name="index">Entry, in <c>[0, SectionCount)</c>.</param>
        /// <param name="kind">Section kind (<see cref="PolicyFileLayout.SectionGlobalTable"/> …).</param>
        /// <param name="parameter">Kind-specific parameter (<c>k'</c> for a global table).</param>
        /// <param name="position">First byte of the section in the file.</param>
        /// <param name="length">Section length in bytes.</param>
        /// <returns>False when the index is out of range or a read failed.</returns>
        public bool TryGetSection(int index, out int kind, out int parameter, out int position, out int length)
        {
            kind = 0;
            parameter = 0;
            position = 0;
            length = 0;
            if (index < 0 || index >= _sectionCount)
            {
                return false;
            }

            int entry = _headerLength + (index * PolicyFileLayout.SectionEntryLength);
            kind = ReadU16(entry);
            parameter = ReadU16(entry + 2);
            long p = ReadU32(entry + 4);
            long l = ReadU32(entry + 8);
            if (kind < 0 || parameter < 0 || p < 0 || l < 0)
            {
                return false;
            }

            position = (int)p;
            length = (int)l;
            return true;
        }

        // Entry `index` of a bit-packed table: bits [index·b, (index+1)·b) of the table's little-endian bit stream.
        private int ReadEntry(int tableStart, long index)
        {
            if (_bitsPerEntry == 0)
            {
                return 0;
            }

            long bit = index * _bitsPerEntry;
            int position = tableStart + (int)(bit >> 3);
            int shift = (int)(bit & 7);
            int bytesNeeded = (shift + _bitsPerEntry + 7) >> 3;
            int word = 0;
            for (int i = 0; i < bytesNeeded; i++)
            {
                int value = ReadByte(position + i);
                if (value < 0)
                {
                    return -1;
                }

                word |= value << (8 * i);
            }

            return (word >> shift) & ((1 << _bitsPerEntry) - 1);
        }

        private int ReadByte(int position)
        {
            if (_cache == null)
            {
                return _buffer[_base + position];
            }

            return _cache.ReadByte(position);
        }

        private int ReadU16(int position)
        {
            int lo = ReadByte(position);
            int hi = ReadByte(position + 1);
            return lo < 0 || hi < 0 ? -1 : lo | (hi << 8);
        }

        private long ReadU32(int position)
        {
            int lo = ReadU16(position);
            int hi = ReadU16(position + 2);
            return lo < 0 || hi < 0 ? -1 : (long)(uint)lo | ((long)hi << 16);
        }
    }
}
