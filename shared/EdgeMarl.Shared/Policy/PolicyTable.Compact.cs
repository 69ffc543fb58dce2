namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// Format version 3: only some <c>k'</c> stored, and compact global tables (section kind 4, <see cref="CompactGlobalLayout"/>):
    /// a per-<c>s_g</c> linear rule over the counts plus the runs of entries where the table differs from it.
    /// </summary>
    /// <remarks>
    /// Lookup cost (docs/policy-format.md "Compact global tables"): the rule, <c>|A_g| · (|S_l| + 2)</c> bytes and as many
    /// multiply-adds; a binary search over the block index, <c>⌈log2(M + 1)⌉</c> probes of 4 bytes; one block, at most
    /// <c>B ≤ 64</c> runs of two varints of at most 5 bytes. No allocation: the count vector comes from the caller or, for
    /// a lookup by rank, is unranked into a buffer made at open.
    /// </remarks>
    public sealed partial class PolicyTable
    {
        private int[] _tableKind;
        private int[] _runsPerBlock;
        private int[] _blockCount;
        private int[] _runCount;
        private int[] _ruleStart;
        private int[] _indexStart;
        private int[] _dataStart;
        private int[] _sectionEnd;
        private int[] _scratchCounts;

        /// <summary>Returns whether the file stores a global table for <paramref name="sampleSize"/>.</summary>
        /// <param name="sampleSize"><c>k'</c>.</param>
        /// <returns>True when a table of <c>k'</c> is stored (in version 1: every <c>k' ∈ [k_min, k]</c>).</returns>
        public bool HasGlobalTable(int sampleSize)
        {
            return sampleSize >= _kMin && sampleSize <= _k && _tableStart[sampleSize - _kMin] >= 0;
        }

        /// <summary>Returns the section kind of the table of <paramref name="sampleSize"/> (1 bit-packed, 4 compact), or 0 when none is stored.</summary>
        /// <param name="sampleSize"><c>k'</c>.</param>
        /// <returns>The kind, or 0.</returns>
        public int GlobalTableKind(int sampleSize)
        {
            return HasGlobalTable(sampleSize) ? _tableKind[sampleSize - _kMin] : 0;
        }

        /// <summary>Returns the encoding id of a compact table (1 rule + varint runs, 2 rule + bit-coded runs), or 0 for a bit-packed or absent one.</summary>
        /// <param name="sampleSize"><c>k'</c>.</param>
        /// <returns>The encoding id, or 0.</returns>
        public int CompactEncoding(int sampleSize)
        {
            return GlobalTableKind(sampleSize) == PolicyFileLayout.SectionCompactGlobalTable ? _encoding[sampleSize - _kMin] : 0;
        }

        /// <summary>Returns the exception runs of a compact table (0 for a bit-packed or absent one), for reports.</summary>
        /// <param name="sampleSize"><c>k'</c>.</param>
        /// <returns>The run count <c>N</c>.</returns>
        public int CompactRunCount(int sampleSize)
        {
            return GlobalTableKind(sampleSize) == PolicyFileLayout.SectionCompactGlobalTable ? _runCount[sampleSize - _kMin] : 0;
        }

        // Version 3 section table: global tables (kind 1 or 4) for strictly increasing k', the first k_min and the last k,
        // then the local weights, then the optional HMAC tag; contiguous from the end of the section table to the CRC.
        private PolicyFileError ReadSectionsCompact(int crcPosition, out int hmacPosition)
        {
            hmacPosition = -1;
            int slots = _k - _kMin + 1;
            int trailing = 1 + (_hasHmac ? 1 : 0);
            _sectionCount = ReadU16(PolicyFileLayout.SectionCountOffset);
            long cursor = _headerLength + ((long)_sectionCount * PolicyFileLayout.SectionEntryLength);
            int tables = _sectionCount - trailing;
            if (_sectionCount < 0 || tables < 1 || tables > slots || cursor > crcPosition)
            {
                return Fail(PolicyStatus.BadSectionCount, PolicyFileLayout.SectionCountOffset);
            }

            _tableStart = new int[slots];
            _rankCount = new int[slots];
            _tableKind = new int[slots];
            _runsPerBlock = new int[slots];
            _blockCount = new int[slots];
            _runCount = new int[slots];
            _ruleStart = new int[slots];
            _indexStart = new int[slots];
            _dataStart = new int[slots];
            _sectionEnd = new int[slots];
            _scratchCounts = new int[_localStates];
            AllocateCoded(slots);
            for (int s = 0; s < slots; s++)
            {
                _tableStart[s] = -1;
                _rankCount[s] = _ranker.Count(_kMin + s);
            }

            long ruleLength = CompactGlobalLayout.RuleLength(_globalStates, _globalActions, _localStates);
            int previous = -1;
            for (int i = 0; i < _sectionCount; i++)
            {
                int entry = _headerLength + (i * PolicyFileLayout.SectionEntryLength);
                int kind = ReadU16(entry);
                int parameter = ReadU16(entry + 2);
                long length = ReadU32(entry + 8);
                if (ReadU32(entry + 4) != cursor)
                {
                    return Fail(PolicyStatus.BadSectionOffset, entry + 4);
                }

                if (i < tables)
                {
                    // k' strictly increasing, from k_min (first) to k (last).
                    bool first = i == 0;
                    bool last = i == tables - 1;
                    if (kind != PolicyFileLayout.SectionGlobalTable && kind != PolicyFileLayout.SectionCompactGlobalTable)
                    {
                        return Fail(PolicyStatus.BadSectionKind, entry);
                    }

                    if (parameter <= previous || parameter < _kMin || parameter > _k || (first && parameter != _kMin) || (last && parameter != _k))
                    {
                        return Fail(PolicyStatus.BadSectionKind, entry + 2);
                    }

                    int slot = parameter - _kMin;
                    long entries = (long)_globalStates * _rankCount[slot];
                    if (kind == PolicyFileLayout.SectionGlobalTable)
                    {
                        long expected = PolicyFileLayout.GlobalTableLength(entries, _bitsPerEntry);
                        if (expected < 0)
                        {
                            return Fail(PolicyStatus.TooLarge, entry + 8);
                        }

                        if (length != expected)
                        {
                            return Fail(PolicyStatus.BadSectionLength, entry + 8);
                        }
                    }
                    else if (entries > int.MaxValue)
                    {
                        return Fail(PolicyStatus.TooLarge, entry + 8);
                    }
                    else if (length < CompactGlobalLayout.HeaderLength + ruleLength)
                    {
                        return Fail(PolicyStatus.BadSectionLength, entry + 8);
                    }

                    if (length < 0 || cursor + length > crcPosition)
                    {
                        return Fail(PolicyStatus.BadSectionLength, entry + 8);
                    }

                    _tableStart[slot] = (int)cursor;
                    _tableKind[slot] = kind;
                    _sectionEnd[slot] = (int)(cursor + length);
                    previous = parameter;
                }
                else
                {
                    bool local = i == tables;
                    int expectedKind = local ? PolicyFileLayout.SectionLocalWeights : PolicyFileLayout.SectionHmac;
                    long expectedLength = local ? (long)_globalStates * _localStates * _localActions : PolicyFileLayout.HmacLength;
                    if (kind != expectedKind)
                    {
                        return Fail(PolicyStatus.BadSectionKind, entry);
                    }

                    if (parameter != 0)
                    {
                        return Fail(PolicyStatus.BadSectionKind, entry + 2);
                    }

                    if (length != expectedLength || cursor + length > crcPosition)
                    {
                        return Fail(PolicyStatus.BadSectionLength, entry + 8);
                    }

                    if (local)
                    {
                        _localStart = (int)cursor;
                    }
                    else
                    {
                        hmacPosition = (int)cursor;
                    }
                }

                cursor += length;
            }

            return cursor == crcPosition ? Fail(PolicyStatus.Ok, -1) : Fail(PolicyStatus.LengthMismatch, PolicyFileLayout.FileLengthOffset);
        }

        private PolicyFileError CheckStoredTable(int slot)
        {
            if (_tableStart[slot] < 0)
            {
                return Fail(PolicyStatus.Ok, -1);
            }

            long entries = (long)_globalStates * _rankCount[slot];
            if (_tableKind[slot] == PolicyFileLayout.SectionGlobalTable)
            {
                return CheckGlobalTable(_tableStart[slot], entries);
            }

            return CheckCompactTable(slot, (int)entries);
        }

        // Structural check of a compact section, so that a lookup can never leave it: header fields, the block index
        // tiling the run data exactly, every varint canonical and inside the section, runs sorted, disjoint, inside the table.
        private PolicyFileError CheckCompactTable(int slot, int entries)
        {
            int start = _tableStart[slot];
            int end = _sectionEnd[slot];
            int encoding = ReadByte(start + CompactGlobalLayout.EncodingOffset);
            _encoding[slot] = encoding;
            if (encoding == CompactGlobalLayout.EncodingCodedRuns && _formatVersion >= PolicyFileLayout.FormatVersionCodedRuns)
            {
                return CheckCodedTable(slot, entries);
            }

            if (encoding != CompactGlobalLayout.EncodingRuleRuns)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.EncodingOffset);
            }

            int runsPerBlock = ReadByte(start + CompactGlobalLayout.RunsPerBlockOffset);
            if (runsPerBlock < 1 || runsPerBlock > CompactGlobalLayout.MaxRunsPerBlock)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.RunsPerBlockOffset);
            }

            if (ReadU16(start + CompactGlobalLayout.ReservedOffset) != 0)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.ReservedOffset);
            }

            long runs = ReadU32(start + CompactGlobalLayout.RunCountOffset);
            if (runs < 0 || runs > entries)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.RunCountOffset);
            }

            long blocks = ReadU32(start + CompactGlobalLayout.BlockCountOffset);
            long ruleStart = start + CompactGlobalLayout.HeaderLength;
            long indexStart = ruleStart + CompactGlobalLayout.RuleLength(_globalStates, _globalActions, _localStates);
            if (blocks != (runs + runsPerBlock - 1) / runsPerBlock || indexStart + (blocks * CompactGlobalLayout.IndexEntryLength) > end)
            {
                return Fail(PolicyStatus.BadCompactTable, start + CompactGlobalLayout.BlockCountOffset);
            }

            int dataStart = (int)(indexStart + (blocks * CompactGlobalLayout.IndexEntryLength));
            long previousEnd = 0;
            int cursor = dataStart;
            int runsLeft = (int)runs;
            for (int b = 0; b < (int)blocks; b++)
            {
                int indexEntry = (int)indexStart + (b * CompactGlobalLayout.IndexEntryLength);
                long firstStart = ReadU32(indexEntry);
                if (firstStart < previousEnd || firstStart >= entries)
                {
                    return Fail(PolicyStatus.BadCompactTable, indexEntry);
                }

                if (ReadU32(indexEntry + 4) != cursor - dataStart)
                {
                    return Fail(PolicyStatus.BadCompactTable, indexEntry + 4);
                }

                long position = firstStart;
                int inBlock = runsLeft < runsPerBlock ? runsLeft : runsPerBlock;
                for (int r = 0; r < inBlock; r++)
                {
                    int at = cursor;
                    if (r > 0)
                    {
                        long gap = ReadVarint(ref cursor, end);
                        if (gap < 0)
                        {
                            return Fail(PolicyStatus.BadCompactTable, at);
                        }

                        position += gap;
                        at = cursor;
                    }

                    long code = ReadVarint(ref cursor, end);
                    if (code < 0)
                    {
                        return Fail(PolicyStatus.BadCompactTable, at);
                    }

                    long length = (code / _globalActions) + 1;
                    if (position + length > entries)
                    {
                        return Fail(PolicyStatus.BadCompactTable, at);
                    }

                    position += length;
                }

                previousEnd = position;
                runsLeft -= inBlock;
            }

            if (cursor != end)
            {
                return Fail(PolicyStatus.BadCompactTable, cursor);
            }

            _runsPerBlock[slot] = runsPerBlock;
            _runCount[slot] = (int)runs;
            _blockCount[slot] = (int)blocks;
            _ruleStart[slot] = (int)ruleStart;
            _indexStart[slot] = (int)indexStart;
            _dataStart[slot] = dataStart;
            return Fail(PolicyStatus.Ok, -1);
        }

        // LEB128, at most 5 bytes, canonical (no trailing zero group), value ≤ Int32.MaxValue, entirely before `limit`.
        // Returns -1 on a violation or a failed read; advances `position` past the varint.
        private long ReadVarint(ref int position, int limit)
        {
            long value = 0;
            for (int i = 0; i < CompactGlobalLayout.MaxVarintLength; i++)
            {
                if (position >= limit)
                {
                    return -1;
                }

                int b = ReadByte(position);
                position++;
                if (b < 0)
                {
                    return -1;
                }

                value |= (long)(b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0)
                {
                    return (b == 0 && i > 0) || value > int.MaxValue ? -1 : value;
                }
            }

            return -1;
        }

        // π_g from a compact table: the run containing entry e, else the rule's prediction from the counts.
        private bool TryGetCompactAction(int slot, int globalState, int rank, int[] counts, int offset, out int globalAction)
        {
            globalAction = 0;
            _steps = 0;
            long entry = ((long)globalState * _rankCount[slot]) + rank;
            int found = _encoding[slot] == CompactGlobalLayout.EncodingCodedRuns ? FindCodedRunAction(slot, (int)entry) : FindRunAction(slot, (int)entry);
            if (found == -2)
            {
                return false;
            }

            if (found >= 0)
            {
                globalAction = found;
                return true;
            }

            if (counts == null)
            {
                _ranker.Unrank(rank, _kMin + slot, _scratchCounts, 0);
                counts = _scratchCounts;
                offset = 0;
            }

            int predicted = Predict(slot, globalState, counts, offset);
            if (_encoding[slot] == CompactGlobalLayout.EncodingCodedRuns)
            {
                _steps += _globalActions * _localStates;
            }

            if (predicted < 0)
            {
                return false;
            }

            globalAction = predicted;
            return true;
        }

        // The action of the run holding `entry`, -1 when no run holds it, -2 when a read failed.
        private int FindRunAction(int slot, int entry)
        {
            int blocks = _blockCount[slot];
            int indexStart = _indexStart[slot];

            // Last block whose first run starts at or before `entry`.
            int lo = 0;
            int hi = blocks - 1;
            int block = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                long first = ReadU32(indexStart + (mid * CompactGlobalLayout.IndexEntryLength));
                if (first < 0)
                {
                    return -2;
                }

                if (first <= entry)
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

            int indexEntry = indexStart + (block * CompactGlobalLayout.IndexEntryLength);
            long position = ReadU32(indexEntry);
            long dataOffset = ReadU32(indexEntry + 4);
            if (position < 0 || dataOffset < 0)
            {
                return -2;
            }

            int cursor = _dataStart[slot] + (int)dataOffset;
            int limit = _sectionEnd[slot];
            int runsPerBlock = _runsPerBlock[slot];
            int inBlock = _runCount[slot] - (block * runsPerBlock);
            if (inBlock > runsPerBlock)
            {
                inBlock = runsPerBlock;
            }

            for (int r = 0; r < inBlock; r++)
            {
                if (r > 0)
                {
                    long gap = ReadVarint(ref cursor, limit);
                    if (gap < 0)
                    {
                        return -2;
                    }

                    position += gap;
                }

                if (entry < position)
                {
                    return -1;
                }

                long code = ReadVarint(ref cursor, limit);
                if (code < 0)
                {
                    return -2;
                }

                position += (code / _globalActions) + 1;
                if (entry < position)
                {
                    return (int)(code % _globalActions);
                }
            }

            return -1;
        }

        // argmax_a Σ_j W[s_g,a,j]·c_j + bias[s_g,a], ties to the lowest a; |W| ≤ 128, so |score| < 2^24 for k' ≤ 65535.
        private int Predict(int slot, int globalState, int[] counts, int offset)
        {
            int rowLength = _localStates + 2;
            int row = _ruleStart[slot] + (globalState * _globalActions * rowLength);
            int best = -1;
            int bestScore = 0;
            for (int a = 0; a < _globalActions; a++)
            {
                int score = 0;
                for (int j = 0; j < _localStates; j++)
                {
                    int w = ReadByte(row + j);
                    if (w < 0)
                    {
                        return -1;
                    }

                    score += (w >= 128 ? w - 256 : w) * counts[offset + j];
                }

                int bias = ReadU16(row + _localStates);
                if (bias < 0)
                {
                    return -1;
                }

                score += bias >= 32768 ? bias - 65536 : bias;
                if (best < 0 || score > bestScore)
                {
                    best = a;
                    bestScore = score;
                }

                row += rowLength;
            }

            return best;
        }
    }
}
