namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// Byte layout of a compact global table section (kind <see cref="PolicyFileLayout.SectionCompactGlobalTable"/>,
    /// docs/policy-format.md "Compact global tables"). Offsets are from the section's first byte; integers little-endian.
    /// </summary>
    /// <remarks>
    /// <code>
    /// [header 12 B][rule: |S_g|·|A_g| rows of (|S_l| × i8 weight, i16 bias)][index: M × (u32 first run start, u32 data offset)][runs]
    /// </code>
    /// Predicted action: <c>argmax_a (Σ_j W[s_g,a,j]·c_j + bias[s_g,a])</c>, ties to the lowest <c>a</c>. A run is
    /// <c>(start, length, action)</c> over entry indices <c>e = s_g·C(k'+|S_l|−1, |S_l|−1) + rank(c)</c>: every entry in it has
    /// that action; entries in no run have the predicted one. Runs are sorted, disjoint, and grouped <c>B</c> per block; a
    /// block's first start is in the index, then per run: <c>varint gap</c> (from the previous run's end; absent for the
    /// block's first run) and <c>varint (length − 1)·|A_g| + action</c>. Varints: LEB128, at most 5 bytes, canonical.
    /// </remarks>
    public static class CompactGlobalLayout
    {
        /// <summary>Encoding id at offset 0: linear rule + exception runs.</summary>
        public const int EncodingRuleRuns = 1;

        /// <summary>Offset of the encoding id (u8).</summary>
        public const int EncodingOffset = 0;

        /// <summary>Offset of the runs per block <c>B</c> (u8, 1 … <see cref="MaxRunsPerBlock"/>).</summary>
        public const int RunsPerBlockOffset = 1;

        /// <summary>Offset of 2 reserved bytes, zero.</summary>
        public const int ReservedOffset = 2;

        /// <summary>Offset of the run count <c>N</c> (u32).</summary>
        public const int RunCountOffset = 4;

        /// <summary>Offset of the block count <c>M = ⌈N / B⌉</c> (u32).</summary>
        public const int BlockCountOffset = 8;

        /// <summary>Length of the section header; the rule starts here.</summary>
        public const int HeaderLength = 12;

        /// <summary>Bytes per block index entry: first run start (u32), byte offset of the block in the run data (u32).</summary>
        public const int IndexEntryLength = 8;

        /// <summary>Largest <c>B</c>: bounds the runs a lookup decodes (and so its bytes read and steps).</summary>
        public const int MaxRunsPerBlock = 64;

        /// <summary>Longest varint (a u32 in 7-bit groups).</summary>
        public const int MaxVarintLength = 5;

        /// <summary>Encoding id at offset 0 (format version 4): linear rule + bit-coded exception runs (Exp-Golomb codes, actions as ranks in the rule's order).</summary>
        public const int EncodingCodedRuns = 2;

        /// <summary>Encoding 2: offset of the Exp-Golomb order of the gaps (u8, ≤ <see cref="MaxGolombOrder"/>).</summary>
        public const int CodedGapOrderOffset = 1;

        /// <summary>Encoding 2: offset of the Exp-Golomb order of <c>length − 1</c> (u8).</summary>
        public const int CodedLengthOrderOffset = 2;

        /// <summary>Encoding 2: offset of a reserved byte, zero.</summary>
        public const int CodedReservedOffset = 3;

        /// <summary>Encoding 2: largest <c>|A_g|</c> (a rank's truncated unary code has at most <c>|A_g| − 2</c> bits).</summary>
        public const int MaxCodedActions = 16;

        /// <summary>Encoding 2: offset of the bit width of an index entry's first-run start (u8, 1 … 31).</summary>
        public const int CodedStartBitsOffset = 4;

        /// <summary>Encoding 2: offset of the bit width of an index entry's bit offset into the run data (u8, 1 … 31).</summary>
        public const int CodedOffsetBitsOffset = 5;

        /// <summary>Encoding 2: offset of the block bit cap (u16, <see cref="MinBlockBits"/> … <see cref="MaxBlockBits"/>): no block's runs take more bits.</summary>
        public const int CodedBlockBitsOffset = 6;

        /// <summary>Encoding 2: offset of the run count <c>N</c> (u32).</summary>
        public const int CodedRunCountOffset = 8;

        /// <summary>Encoding 2: offset of the block count <c>M</c> (u32).</summary>
        public const int CodedBlockCountOffset = 12;

        /// <summary>Encoding 2: offset of the run data's length in bits (u32).</summary>
        public const int CodedDataBitsOffset = 16;

        /// <summary>Encoding 2: length of the section header; the rule starts here.</summary>
        public const int CodedHeaderLength = 20;

        /// <summary>Encoding 2: largest Exp-Golomb order.</summary>
        public const int MaxGolombOrder = 24;

        /// <summary>Encoding 2: smallest block bit cap (a block's first run, no gap, always fits: length and rank codes take at most 64 + 14 bits).</summary>
        public const int MinBlockBits = 160;

        /// <summary>Encoding 2: largest block bit cap; bounds the bits, and so the decode steps, of one lookup.</summary>
        public const int MaxBlockBits = 1024;

        /// <summary>Returns the rule's length in bytes: <c>|S_g| · |A_g| · (|S_l| + 2)</c>.</summary>
        /// <param name="globalStates"><c>|S_g|</c>.</param>
        /// <param name="globalActions"><c>|A_g|</c>.</param>
        /// <param name="localStates"><c>|S_l|</c>.</param>
        /// <returns>The length.</returns>
        public static long RuleLength(int globalStates, int globalActions, int localStates)
        {
            return (long)globalStates * globalActions * (localStates + 2);
        }
    }
}
