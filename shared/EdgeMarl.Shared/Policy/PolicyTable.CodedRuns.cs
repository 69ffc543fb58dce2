namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// Format version 4: compact global tables in encoding 2 (<see cref="CompactGlobalLayout.EncodingCodedRuns"/>,
    /// docs/policy-format.md "Encoding 2: bit-coded runs"): the rule of encoding 1 plus the exception runs as a bit stream
    /// of Exp-Golomb gaps and lengths and truncated-unary action ranks, in blocks of at most 64 runs and a bit cap ≤ 1,024.
    /// </summary>
    /// <remarks>
    /// Lookup cost: a binary search over the bit-packed block index (<c>⌈log2(M + 1)⌉</c> probes), then at most one block
    /// (≤ cap bits; every bit costs one step of a decode loop, every field one more), then either the rule at the caller's
    /// counts or, inside a run, the rule at the run's first entry (one unrank). Bits are read LSB first within each byte.
    /// No allocation: the buffers used are made at open.
    /// </remarks>
    public sealed partial class PolicyTable
    {
        private int[] _encoding;
        private int[] _gapOrder;
        private int[] _lengthOrder;
        private int[] _startBits;
        private int[] _offsetBits;
        private int[] _dataBits;
        private int[] _rankListStart;
        private int[] _blockBitCap;
        private int[] _runCounts;
        private int[] _scores;

        // Bit cursor of the decode in progress: stream bits [_bitPosition, _bitLimit) of the stream starting at byte
        // _bitBase; the byte last read is kept so that consecutive bits cost one byte read.
        private int _bitBase;
        private int _bitPosition;
        private int _bitLimit;
        private int _bitByteIndex;
        private int _bitByteValue;
        private int _steps;

        /// <summary>
        /// Gets the decode steps of the last lookup in a compact table, counted for encoding 2 only (0 for encoding 1): index
        /// probes, bits and fields decoded, rule multiply-adds and unrank iterations. A diagnostic for the worst-case
        /// measurement (docs/policy-format.md); it does not change the result.
        /// </summary>
        public int LastLookupSteps
        {
            get { return _steps; }
        }

        /// <summary>
        /// Returns the most decode steps (<see cref="LastLookupSteps"/>) a lookup in the encoding-2 table of
        /// <paramref name="sampleSize"/> can take, or 0 for another table: <c>⌈log2(M + 1)⌉</c> index probes, at most the
        /// block bit cap in bits, <c>2 · 64</c> fields, and the rule once (<c>|A_g|·|S_l|</c> multiply-adds) after an unrank
        /// of <c>k' + |S_l|</c> iterations.
        /// </summary>
        /// <param name="sampleSize"><c>k'</c>.</param>
        /// <returns>The bound.</returns>
        public int CodedWorstCaseSteps(int sampleSize)
        {
            if (CompactEncoding(sampleSize) != CompactGlobalLayout.EncodingCodedRuns)
            {
                return 0;
            }

            int slot = sampleSize - _kMin;
            int probes = 0;
            for (int m = _blockCount[slot] + 1; m > 1; m = (m + 1) >> 1)
            {
                probes++;
            }

            return probes + _blockBitCap[slot] + (2 * CompactGlobalLayout.MaxRunsPerBlock) + (_globalActions * _localStates) + sampleSize + _localStates;
        }

        private void AllocateCoded(int slots)
        {
            _encoding = new int[slots];
            _gapOrder = new int[slots];
            _lengthOrder = new int[slots];
            _startBits = new int[slots];
            _offsetBits = new int[slots];
            _dataBits = new int[slots];
            _rankListStart = new int[slots];
            _blockBitCap = new int[slots];
            _runCounts = new int[_localStates];
            _scores = new int[_globalActions <= CompactGlobalLayout.MaxCodedActions ? _globalActions : 1];
        }

        // Structural check of an encoding-2 section, so that a lookup can never leave it and always ends: header fields,
        // the rank list a permutation, the index and data exactly filling the section with zero padding, every block
        // starting where the previous one ended (in bits), within the cap and 64 runs, every code well formed, runs sorted,
        // disjoint and inside the table, N runs in all.
        private PolicyFileError CheckCodedTable(int slot, int entries)
        {
            int start = _tableStart[slot];
            int end = _sectionEnd[slot];
            int actions = _globalActions;
            if (actions < 2 || actions > CompactGlobalLayout.MaxCodedActions)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.EncodingOffset);
            }

            int gapOrder = ReadByte(start + CompactGlobalLayout.CodedGapOrderOffset);
            int lengthOrder = ReadByte(start + CompactGlobalLayout.CodedLengthOrderOffset);
            int startBits = ReadByte(start + CompactGlobalLayout.CodedStartBitsOffset);
            int offsetBits = ReadByte(start + CompactGlobalLayout.CodedOffsetBitsOffset);
            int cap = ReadU16(start + CompactGlobalLayout.CodedBlockBitsOffset);
            long runs = ReadU32(start + CompactGlobalLayout.CodedRunCountOffset);
            long blocks = ReadU32(start + CompactGlobalLayout.CodedBlockCountOffset);
            long dataBits = ReadU32(start + CompactGlobalLayout.CodedDataBitsOffset);
            if (gapOrder < 0 || gapOrder > CompactGlobalLayout.MaxGolombOrder)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedGapOrderOffset);
            }

            if (lengthOrder < 0 || lengthOrder > CompactGlobalLayout.MaxGolombOrder)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedLengthOrderOffset);
            }

            if (ReadByte(start + CompactGlobalLayout.CodedReservedOffset) != 0)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedReservedOffset);
            }

            if (startBits < 1 || startBits > 31)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedStartBitsOffset);
            }

            if (offsetBits < 1 || offsetBits > 31)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedOffsetBitsOffset);
            }

            if (cap < CompactGlobalLayout.MinBlockBits || cap > CompactGlobalLayout.MaxBlockBits)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedBlockBitsOffset);
            }

            if (runs < 0 || runs > entries)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedRunCountOffset);
            }

            if (blocks < 0 || blocks > runs || (runs > 0 && blocks == 0))
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedBlockCountOffset);
            }

            long ruleStart = start + CompactGlobalLayout.CodedHeaderLength;
            long listStart = ruleStart + CompactGlobalLayout.RuleLength(_globalStates, actions, _localStates);
            long indexStart = listStart + actions - 1;
            long indexBits = blocks * (startBits + offsetBits);
            long dataStart = indexStart + ((indexBits + 7) / 8);
            if (dataBits < 0 || indexBits > int.MaxValue || dataBits > int.MaxValue || dataStart + ((dataBits + 7) / 8) != end)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedDataBitsOffset);
            }

            // The rank list: a permutation of 1 … |A_g| − 1.
            for (int i = 0; i < actions - 1; i++)
            {
                int rank = ReadByte((int)listStart + i);
                bool repeated = false;
                for (int j = 0; j < i; j++)
                {
                    repeated |= ReadByte((int)listStart + j) == rank;
                }

                if (rank < 1 || rank >= actions || repeated)
                {
                    return Fail(PolicyStatus.BadCompactTable, (int)listStart + i);
                }
            }

            if (!ZeroPadding((int)indexStart, (int)indexBits))
            {
                return Fail(PolicyStatus.BadCompactTable, (int)dataStart - 1);
            }

            if (!ZeroPadding((int)dataStart, (int)dataBits))
            {
                return Fail(PolicyStatus.BadCompactTable, end - 1);
            }

            _gapOrder[slot] = gapOrder;
            _lengthOrder[slot] = lengthOrder;
            _startBits[slot] = startBits;
            _offsetBits[slot] = offsetBits;
            _dataBits[slot] = (int)dataBits;
            _rankListStart[slot] = (int)listStart;
            _blockBitCap[slot] = cap;
            _ruleStart[slot] = (int)ruleStart;
            _indexStart[slot] = (int)indexStart;
            _dataStart[slot] = (int)dataStart;
            _runCount[slot] = (int)runs;
            _blockCount[slot] = (int)blocks;

            int entryBits = startBits + offsetBits;
            long previousEnd = 0;
            long decoded = 0;
            int maxUnary = actions - 2;
            for (int b = 0; b < (int)blocks; b++)
            {
                int indexEntry = (int)indexStart + ((b * entryBits) >> 3);
                long position = ReadBitsAt((int)indexStart, b * entryBits, startBits);
                int blockStart = ReadBitsAt((int)indexStart, (b * entryBits) + startBits, offsetBits);
                int blockEnd = b + 1 < (int)blocks ? ReadBitsAt((int)indexStart, ((b + 1) * entryBits) + startBits, offsetBits) : (int)dataBits;
                if (position < previousEnd || position >= entries)
                {
                    return Fail(PolicyStatus.BadCompactTable, indexEntry);
                }

                if ((b == 0 && blockStart != 0) || blockStart < 0 || blockEnd <= blockStart || blockEnd > dataBits || blockEnd - blockStart > cap)
                {
                    return Fail(PolicyStatus.BadCompactTable, (int)indexStart + (((b * entryBits) + startBits) >> 3));
                }

                StartBits((int)dataStart, blockStart, blockEnd);
                int inBlock = 0;
                while (_bitPosition < blockEnd)
                {
                    int at = (int)dataStart + (_bitPosition >> 3);
                    if (inBlock > 0)
                    {
                        int gap = ReadExpGolomb(gapOrder);
                        if (gap < 0)
                        {
                            return Fail(PolicyStatus.BadCompactTable, at);
                        }

                        position += gap;
                    }

                    int length = ReadExpGolomb(lengthOrder);
                    int code = length < 0 ? -1 : ReadTruncatedUnary(maxUnary);
                    if (code < 0 || ++inBlock > CompactGlobalLayout.MaxRunsPerBlock || position + length + 1 > entries)
                    {
                        return Fail(PolicyStatus.BadCompactTable, at);
                    }

                    position += length + 1;
                }

                decoded += inBlock;
                previousEnd = position;
            }

            _steps = 0;
            if (decoded != runs)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.CodedRunCountOffset);
            }

            return Fail(PolicyStatus.Ok, -1);
        }

        // True when the bits after the first `bits` of the stream at `byteStart`, up to its last byte, are all zero.
        private bool ZeroPadding(int byteStart, int bits)
        {
            int used = bits & 7;
            if (used == 0)
            {
                return true;
            }

            int last = ReadByte(byteStart + (bits >> 3));
            return last >= 0 && (last >> used) == 0;
        }

        // The action of the run holding `entry`, -1 when no run holds it, -2 when a read failed.
        private int FindCodedRunAction(int slot, int entry)
        {
            int blocks = _blockCount[slot];
            int indexStart = _indexStart[slot];
            int startBits = _startBits[slot];
            int entryBits = startBits + _offsetBits[slot];

            // Last block whose first run starts at or before `entry`.
            int lo = 0;
            int hi = blocks - 1;
            int block = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                int firstStart = ReadBitsAt(indexStart, mid * entryBits, startBits);
                _steps++;
                if (firstStart < 0)
                {
                    return -2;
                }

                if (firstStart <= entry)
                {
                    block = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            if (block < 0)
            {
                return -1;
            }

            int position = ReadBitsAt(indexStart, block * entryBits, startBits);
            int blockStart = ReadBitsAt(indexStart, (block * entryBits) + startBits, _offsetBits[slot]);
            int blockEnd = block + 1 < blocks ? ReadBitsAt(indexStart, ((block + 1) * entryBits) + startBits, _offsetBits[slot]) : _dataBits[slot];
            if (position < 0 || blockStart < 0 || blockEnd < 0)
            {
                return -2;
            }

            StartBits(_dataStart[slot], blockStart, blockEnd);
            int gapOrder = _gapOrder[slot];
            int lengthOrder = _lengthOrder[slot];
            int maxUnary = _globalActions - 2;
            bool first = true;
            while (_bitPosition < blockEnd)
            {
                if (!first)
                {
                    int gap = ReadExpGolomb(gapOrder);
                    if (gap < 0)
                    {
                        return -2;
                    }

                    position += gap;
                }

                first = false;
                if (entry < position)
                {
                    return -1;
                }

                int length = ReadExpGolomb(lengthOrder);
                int code = length < 0 ? -1 : ReadTruncatedUnary(maxUnary);
                if (code < 0)
                {
                    return -2;
                }

                if (entry <= position + length)
                {
                    int rank = ReadByte(_rankListStart[slot] + code);
                    return rank < 0 ? -2 : ActionOfRank(slot, position, rank);
                }

                position += length + 1;
            }

            return -1;
        }

        // The action at `rank` in the rule's order (decreasing score, ties to the lower index) at entry `entry`.
        private int ActionOfRank(int slot, int entry, int rank)
        {
            int ranks = _rankCount[slot];
            int globalState = entry / ranks;
            _ranker.Unrank(entry - (globalState * ranks), _kMin + slot, _runCounts, 0);
            _steps += _kMin + slot + _localStates;
            if (!Scores(slot, globalState, _runCounts, 0))
            {
                return -2;
            }

            for (int a = 0; a < _globalActions; a++)
            {
                int above = 0;
                for (int b = 0; b < _globalActions; b++)
                {
                    if (_scores[b] > _scores[a] || (_scores[b] == _scores[a] && b < a))
                    {
                        above++;
                    }
                }

                if (above == rank)
                {
                    return a;
                }
            }

            return -2;
        }

        // Scores Σ_j W[s_g,a,j]·c_j + bias[s_g,a] of every action into _scores; false when a read failed.
        private bool Scores(int slot, int globalState, int[] counts, int offset)
        {
            int rowLength = _localStates + 2;
            int row = _ruleStart[slot] + (globalState * _globalActions * rowLength);
            for (int a = 0; a < _globalActions; a++)
            {
                int score = 0;
                for (int j = 0; j < _localStates; j++)
                {
                    int w = ReadByte(row + j);
                    if (w < 0)
                    {
                        return false;
                    }

                    score += (w >= 128 ? w - 256 : w) * counts[offset + j];
                }

                int bias = ReadU16(row + _localStates);
                if (bias < 0)
                {
                    return false;
                }

                _scores[a] = score + (bias >= 32768 ? bias - 65536 : bias);
                _steps += _localStates;
                row += rowLength;
            }

            return true;
        }

        private void StartBits(int byteBase, int position, int limit)
        {
            _bitBase = byteBase;
            _bitPosition = position;
            _bitLimit = limit;
            _bitByteIndex = -1;
        }

        // One bit of the current stream, or -1 past its limit or on a failed read.
        private int ReadBit()
        {
            if (_bitPosition >= _bitLimit)
            {
                return -1;
            }

            int index = _bitPosition >> 3;
            if (index != _bitByteIndex)
            {
                _bitByteValue = ReadByte(_bitBase + index);
                _bitByteIndex = index;
                if (_bitByteValue < 0)
                {
                    _bitByteIndex = -1;
                    return -1;
                }
            }

            int bit = (_bitByteValue >> (_bitPosition & 7)) & 1;
            _bitPosition++;
            _steps++;
            return bit;
        }

        // A `width`-bit field (0 … 31) of the current stream, bit i at stream bit position + i; -1 past the limit.
        private int ReadField(int width)
        {
            if (width > _bitLimit - _bitPosition)
            {
                return -1;
            }

            int value = ReadBitsAt(_bitBase, _bitPosition, width);
            _bitPosition += width;
            _bitByteIndex = -1;
            _steps++;
            return value;
        }

        // Order-k Exp-Golomb: z zero bits, a one bit, a (z + k)-bit field F; value 2^(z+k) + F − 2^k. -1 when malformed
        // (z + k > 30, so every value stays below 2^31) or past the limit.
        private int ReadExpGolomb(int order)
        {
            int zeros = 0;
            while (true)
            {
                int bit = ReadBit();
                if (bit < 0)
                {
                    return -1;
                }

                if (bit == 1)
                {
                    break;
                }

                if (++zeros + order > 30)
                {
                    return -1;
                }
            }

            int field = ReadField(zeros + order);
            return field < 0 ? -1 : (1 << (zeros + order)) + field - (1 << order);
        }

        // Truncated unary: the number of one bits before a zero bit, at most `max` (then no zero follows).
        private int ReadTruncatedUnary(int max)
        {
            int ones = 0;
            while (ones < max)
            {
                int bit = ReadBit();
                if (bit < 0)
                {
                    return -1;
                }

                if (bit == 0)
                {
                    break;
                }

                ones++;
            }

            return ones;
        }

        // `width` bits (0 … 31) at bit `bitPosition` of the stream starting at byte `byteBase`; -1 on a failed read.
        private int ReadBitsAt(int byteBase, int bitPosition, int width)
        {
            int value = 0;
            int got = 0;
            while (got < width)
            {
                int b = ReadByte(byteBase + (bitPosition >> 3));
                if (b < 0)
                {
                    return -1;
                }

                int shift = bitPosition & 7;
                int take = 8 - shift;
                if (take > width - got)
                {
                    take = width - got;
                }

                value |= ((b >> shift) & ((1 << take) - 1)) << got;
                got += take;
                bitPosition += take;
            }

            return value;
        }
    }
}
