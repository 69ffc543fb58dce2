using System.Buffers.Binary;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>
/// Writes a compact global table in encoding 2 (format version 4, docs/policy-format.md "Encoding 2: bit-coded runs"): the
/// rule of encoding 1, then the same exception runs as a bit stream of Exp-Golomb codes — the gap from the previous run,
/// <c>length − 1</c>, and the run's action as its rank in the rule's score order at the run's first entry (a run starts
/// where the rule is wrong, so the rank is at least 1; most runs hold the rule's second choice). Runs are grouped into
/// blocks of at most <see cref="CompactGlobalLayout.MaxRunsPerBlock"/> runs and at most a cap of bits, found through a
/// bit-packed index of (first start, bit offset).
/// </summary>
public static class CodedRunsWriter
{
    /// <summary>Default block bit cap: a lookup decodes at most this many bits of runs.</summary>
    public const int DefaultBlockBits = 640;

    /// <summary>Writes the section.</summary>
    /// <param name="rules">Per <c>s_g</c>, <c>|A_g|</c> rows of (<c>|S_l|</c> weights, bias).</param>
    /// <param name="runs">Exception runs, sorted, disjoint, each starting at an entry the rule gets wrong.</param>
    /// <param name="counts">Count vectors of every rank, <c>|S_l|</c> each.</param>
    /// <param name="ranks">Ranks per <c>s_g</c>, <c>C(k'+|S_l|−1, |S_l|−1)</c>.</param>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="blockBits">Block bit cap.</param>
    /// <returns>The section's bytes.</returns>
    /// <exception cref="ArgumentException">The cap or <c>|A_g|</c> is out of range, a run starts where the rule is right, or the section exceeds 2 GB.</exception>
    public static byte[] Write(int[][] rules, List<(int Start, int Length, int Action)> runs, int[] counts, int ranks, int globalStates, int globalActions, int localStates, int blockBits)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(counts);
        if (blockBits < CompactGlobalLayout.MinBlockBits || blockBits > CompactGlobalLayout.MaxBlockBits)
        {
            throw new ArgumentException($"block bit cap {blockBits} outside [{CompactGlobalLayout.MinBlockBits}, {CompactGlobalLayout.MaxBlockBits}]", nameof(blockBits));
        }

        if (globalActions < 2 || globalActions > CompactGlobalLayout.MaxCodedActions)
        {
            throw new ArgumentException($"encoding 2 needs 2 ≤ |A_g| ≤ {CompactGlobalLayout.MaxCodedActions}, not {globalActions}", nameof(globalActions));
        }

        long entries = (long)globalStates * ranks;
        int n = runs.Count;
        long[] gaps = new long[n];
        long[] lengths = new long[n];
        long[] rankCodes = new long[n];
        long previousEnd = 0;
        for (int i = 0; i < n; i++)
        {
            (int start, int length, int action) = runs[i];
            gaps[i] = start - previousEnd;
            lengths[i] = length - 1;
            int sg = start / ranks;
            int rank = RankInRuleOrder(rules[sg], counts, (start % ranks) * localStates, localStates, globalActions, action);
            if (rank < 1)
            {
                throw new ArgumentException($"run at entry {start} holds the rule's own prediction", nameof(runs));
            }

            rankCodes[i] = rank - 1;
            previousEnd = start + length;
        }

        // Orders: each field's own best Exp-Golomb order over all runs (the blocks' first gaps, which are not stored,
        // included: close enough, and independent of the blocking). Ranks: truncated unary over the ranks sorted by
        // decreasing frequency (ties to the lower rank), so the commonest costs one bit.
        int gapOrder = BestOrder(gaps);
        int lengthOrder = BestOrder(lengths);
        int[] rankList = RankList(rankCodes, globalActions);
        for (int i = 0; i < n; i++)
        {
            rankCodes[i] = Array.IndexOf(rankList, (int)rankCodes[i] + 1);
        }

        int maxUnary = globalActions - 2;

        // Blocks: greedy, a new one when the next run would pass the bit cap or the run limit.
        var blockStarts = new List<int>();
        var blockOffsets = new List<long>();
        var data = new BitWriter();
        int inBlock = 0;
        long blockStartBit = 0;
        for (int i = 0; i < n; i++)
        {
            int withoutGap = ExpGolombBits(lengths[i], lengthOrder) + UnaryBits(rankCodes[i], maxUnary);
            bool first = inBlock == 0
                || inBlock == CompactGlobalLayout.MaxRunsPerBlock
                || data.Length - blockStartBit + ExpGolombBits(gaps[i], gapOrder) + withoutGap > blockBits;
            if (first)
            {
                blockStarts.Add(runs[i].Start);
                blockOffsets.Add(data.Length);
                blockStartBit = data.Length;
                inBlock = 0;
            }
            else
            {
                data.WriteExpGolomb(gaps[i], gapOrder);
            }

            data.WriteExpGolomb(lengths[i], lengthOrder);
            data.WriteTruncatedUnary(rankCodes[i], maxUnary);
            inBlock++;
        }

        int startBits = BitLength(Math.Max(1, entries - 1));
        int offsetBits = BitLength(Math.Max(1, data.Length));
        var index = new BitWriter();
        for (int b = 0; b < blockStarts.Count; b++)
        {
            index.WriteBits(blockStarts[b], startBits);
            index.WriteBits(blockOffsets[b], offsetBits);
        }

        long ruleLength = CompactGlobalLayout.RuleLength(globalStates, globalActions, localStates);
        long total = CompactGlobalLayout.CodedHeaderLength + ruleLength + (globalActions - 1) + index.ByteLength + data.ByteLength;
        if (total > int.MaxValue || data.Length > uint.MaxValue)
        {
            throw new ArgumentException("compact global table exceeds 2 GB");
        }

        var body = new byte[total];
        Span<byte> s = body;
        s[CompactGlobalLayout.EncodingOffset] = CompactGlobalLayout.EncodingCodedRuns;
        s[CompactGlobalLayout.CodedGapOrderOffset] = (byte)gapOrder;
        s[CompactGlobalLayout.CodedLengthOrderOffset] = (byte)lengthOrder;
        s[CompactGlobalLayout.CodedStartBitsOffset] = (byte)startBits;
        s[CompactGlobalLayout.CodedOffsetBitsOffset] = (byte)offsetBits;
        BinaryPrimitives.WriteUInt16LittleEndian(s[CompactGlobalLayout.CodedBlockBitsOffset..], (ushort)blockBits);
        BinaryPrimitives.WriteUInt32LittleEndian(s[CompactGlobalLayout.CodedRunCountOffset..], (uint)n);
        BinaryPrimitives.WriteUInt32LittleEndian(s[CompactGlobalLayout.CodedBlockCountOffset..], (uint)blockStarts.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[CompactGlobalLayout.CodedDataBitsOffset..], (uint)data.Length);
        int cursor = CompactGlobalLayout.CodedHeaderLength;
        int rowLength = localStates + 1;
        for (int sg = 0; sg < globalStates; sg++)
        {
            for (int a = 0; a < globalActions; a++)
            {
                for (int j = 0; j < localStates; j++)
                {
                    s[cursor++] = (byte)(sbyte)rules[sg][(a * rowLength) + j];
                }

                BinaryPrimitives.WriteInt16LittleEndian(s[cursor..], (short)rules[sg][(a * rowLength) + localStates]);
                cursor += 2;
            }
        }

        foreach (int rank in rankList)
        {
            s[cursor++] = (byte)rank;
        }

        index.CopyTo(body, cursor);
        data.CopyTo(body, cursor + index.ByteLength);
        return body;
    }

    /// <summary>
    /// Position of <paramref name="action"/> in the rule's order at one count vector: actions by decreasing score, equal
    /// scores by increasing index (so position 0 is the rule's prediction).
    /// </summary>
    /// <param name="rule">One <c>s_g</c>'s rule, <c>|A_g|</c> rows of (<c>|S_l|</c> weights, bias).</param>
    /// <param name="counts">Count vectors.</param>
    /// <param name="offset">First count of the vector.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="action">The action.</param>
    /// <returns>Its position, 0 … <c>|A_g| − 1</c>.</returns>
    public static int RankInRuleOrder(int[] rule, int[] counts, int offset, int localStates, int globalActions, int action)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(counts);
        int own = Score(rule, counts, offset, localStates, action);
        int position = 0;
        for (int b = 0; b < globalActions; b++)
        {
            int score = Score(rule, counts, offset, localStates, b);
            if (score > own || (score == own && b < action))
            {
                position++;
            }
        }

        return position;
    }

    /// <summary>Bits of the order-<paramref name="order"/> Exp-Golomb code of <paramref name="value"/> ≥ 0.</summary>
    /// <param name="value">The value.</param>
    /// <param name="order">The order.</param>
    /// <returns>Bits.</returns>
    public static int ExpGolombBits(long value, int order)
    {
        int z = BitLength((value >> order) + 1) - 1;
        return z + 1 + z + order;
    }

    private static int Score(int[] rule, int[] counts, int offset, int localStates, int action)
    {
        int row = action * (localStates + 1);
        int score = rule[row + localStates];
        for (int j = 0; j < localStates; j++)
        {
            score += rule[row + j] * counts[offset + j];
        }

        return score;
    }

    private static int UnaryBits(long position, int max) => (int)(position < max ? position + 1 : max);

    // Ranks 1 … |A_g| − 1 by decreasing count among the runs, ties to the lower rank.
    private static int[] RankList(long[] rankCodes, int globalActions)
    {
        long[] histogram = new long[globalActions];
        foreach (long code in rankCodes)
        {
            histogram[code + 1]++;
        }

        return [.. Enumerable.Range(1, globalActions - 1).OrderByDescending(r => histogram[r]).ThenBy(r => r)];
    }

    private static int BestOrder(long[] values)
    {
        int best = 0;
        long bestBits = long.MaxValue;
        for (int order = 0; order <= CompactGlobalLayout.MaxGolombOrder; order++)
        {
            long bits = 0;
            foreach (long v in values)
            {
                bits += ExpGolombBits(v, order);
            }

            if (bits < bestBits)
            {
                best = order;
                bestBits = bits;
            }
        }

        return best;
    }

    private static int BitLength(long value) => 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);

    /// <summary>Bits, least significant first within each byte; a field's bit <c>i</c> is stream bit <c>p + i</c>.</summary>
    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];

        public long Length { get; private set; }

        public int ByteLength => _bytes.Count;

        public void WriteBits(long value, int width)
        {
            for (int i = 0; i < width; i++)
            {
                if ((Length & 7) == 0)
                {
                    _bytes.Add(0);
                }

                if (((value >> i) & 1) != 0)
                {
                    _bytes[^1] |= (byte)(1 << (int)(Length & 7));
                }

                Length++;
            }
        }

        // z zero bits, a one bit, then the z + order bits F with value = 2^(z+order) + F − 2^order (docs/policy-format.md).
        public void WriteExpGolomb(long value, int order)
        {
            long v = (value >> order) + 1;
            int z = BitLength(v) - 1;
            WriteBits(0, z);
            WriteBits(1, 1);
            long field = value + (1L << order) - (1L << (z + order));
            WriteBits(field, z + order);
        }

        // `position` one bits then a zero bit; the zero is left out at the largest position `max`.
        public void WriteTruncatedUnary(long position, int max)
        {
            for (int i = 0; i < position; i++)
            {
                WriteBits(1, 1);
            }

            if (position < max)
            {
                WriteBits(0, 1);
            }
        }

        public void CopyTo(byte[] target, int offset) => _bytes.CopyTo(target, offset);
    }
}
