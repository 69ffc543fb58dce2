using System.Buffers.Binary;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>
/// Writes one global table as a compact section (kind 4, <see cref="CompactGlobalLayout"/>, docs/policy-format.md
/// "Compact global tables"): a per-<c>s_g</c> linear rule over the counts, learned here, plus the runs of entries where the
/// table differs from the rule. Exact: the reader returns every entry of the input. Deterministic: same table, same bytes.
/// </summary>
public static class CompactTableEncoder
{
    /// <summary>Default runs per block: a lookup decodes at most this many runs (worst case 64 × 10 bytes).</summary>
    public const int DefaultRunsPerBlock = 64;

    /// <summary>Initial weight of count <c>c_a</c> in the score of action <c>a</c> (the "argmax of the counts" start).</summary>
    private const int IdentityWeight = 4;

    /// <summary>Coordinate-descent sweeps over the rule's parameters (each tries every parameter once).</summary>
    private const int MaxSweeps = 8;

    private static readonly int[] WeightSteps = [1, -1, 2, -2, 4, -4, 8, -8];
    private static readonly int[] BiasSteps = [1, -1, 2, -2, 4, -4, 8, -8, 16, -16, 32, -32];

    /// <summary>Encodes a table.</summary>
    /// <param name="actions">The table, <c>s_g · C(k'+|S_l|−1, |S_l|−1) + rank(c)</c> → <c>a_g</c>.</param>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="sampleSize"><c>k'</c>.</param>
    /// <param name="runsPerBlock">Runs per block <c>B</c>, 1 … 64.</param>
    /// <returns>The section's bytes.</returns>
    /// <exception cref="ArgumentException">The table's length or an entry is out of range.</exception>
    public static byte[] Encode(int[] actions, int globalStates, int globalActions, int localStates, int sampleSize, int runsPerBlock = DefaultRunsPerBlock)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (runsPerBlock < 1 || runsPerBlock > CompactGlobalLayout.MaxRunsPerBlock)
        {
            throw new ArgumentException($"runs per block {runsPerBlock} outside [1, {CompactGlobalLayout.MaxRunsPerBlock}]", nameof(runsPerBlock));
        }

        Learned learned = Learn(actions, globalStates, globalActions, localStates, sampleSize);
        return Write(learned.Rules, learned.Runs, globalStates, globalActions, localStates, localStates + 1, runsPerBlock);
    }

    /// <summary>
    /// Encodes a table as encoding 2 (format version 4): the same learned rule and runs as <see cref="Encode"/>, the runs
    /// bit-coded (<see cref="CodedRunsWriter"/>). Exact and deterministic like <see cref="Encode"/>.
    /// </summary>
    /// <param name="actions">The table.</param>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="sampleSize"><c>k'</c>.</param>
    /// <param name="blockBits">Block bit cap, <see cref="CompactGlobalLayout.MinBlockBits"/> … <see cref="CompactGlobalLayout.MaxBlockBits"/>.</param>
    /// <returns>The section's bytes.</returns>
    public static byte[] EncodeCoded(int[] actions, int globalStates, int globalActions, int localStates, int sampleSize, int blockBits = CodedRunsWriter.DefaultBlockBits)
    {
        Learned learned = Learn(actions, globalStates, globalActions, localStates, sampleSize);
        return CodedRunsWriter.Write(learned.Rules, learned.Runs, learned.Counts, learned.Ranks, globalStates, globalActions, localStates, blockBits);
    }

    /// <summary>Both encodings of one table from one learned rule: (encoding 1, encoding 2).</summary>
    /// <param name="actions">The table.</param>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="sampleSize"><c>k'</c>.</param>
    /// <returns>The two sections' bytes.</returns>
    public static (byte[] RuleRuns, byte[] CodedRuns) EncodeBoth(int[] actions, int globalStates, int globalActions, int localStates, int sampleSize)
    {
        Learned learned = Learn(actions, globalStates, globalActions, localStates, sampleSize);
        return (
            Write(learned.Rules, learned.Runs, globalStates, globalActions, localStates, localStates + 1, DefaultRunsPerBlock),
            CodedRunsWriter.Write(learned.Rules, learned.Runs, learned.Counts, learned.Ranks, globalStates, globalActions, localStates, CodedRunsWriter.DefaultBlockBits));
    }

    private sealed record Learned(int[][] Rules, List<(int Start, int Length, int Action)> Runs, int[] Counts, int Ranks);

    private static Learned Learn(int[] actions, int globalStates, int globalActions, int localStates, int sampleSize)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var ranker = new CountRanker(localStates, sampleSize);
        int ranks = ranker.Count(sampleSize);
        if ((long)globalStates * ranks != actions.Length)
        {
            throw new ArgumentException($"global table of k'={sampleSize} has {actions.Length} entries, needs {(long)globalStates * ranks}", nameof(actions));
        }

        for (int e = 0; e < actions.Length; e++)
        {
            if (actions[e] < 0 || actions[e] >= globalActions)
            {
                throw new ArgumentException($"global table of k'={sampleSize}, entry {e}: action {actions[e]} is outside [0, |A_g| = {globalActions})", nameof(actions));
            }
        }

        int[] counts = new int[ranks * localStates];
        for (int r = 0; r < ranks; r++)
        {
            ranker.Unrank(r, sampleSize, counts, r * localStates);
        }

        // One rule per s_g; independent, so learned in parallel without changing the result.
        int rowLength = localStates + 1;
        var rules = new int[globalStates][];
        Parallel.For(0, globalStates, sg =>
            rules[sg] = LearnRule(actions.AsSpan(sg * ranks, ranks), counts, ranks, localStates, globalActions));

        int[] predicted = new int[actions.Length];
        for (int sg = 0; sg < globalStates; sg++)
        {
            for (int r = 0; r < ranks; r++)
            {
                predicted[(sg * ranks) + r] = Predict(rules[sg], counts, r * localStates, localStates, globalActions);
            }
        }

        return new Learned(rules, FindRuns(actions, predicted), counts, ranks);
    }

    /// <summary>
    /// Lossy distillation of an encoded compact section (a measurement aid, not used by <c>export</c>): the same rule with
    /// only the <paramref name="maxRuns"/> longest exception runs (ties to the earlier start); entries of dropped runs then
    /// read as the rule's prediction. <c>maxRuns = 0</c> gives the rule alone.
    /// </summary>
    /// <param name="body">A section from <see cref="Encode"/>.</param>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="maxRuns">Runs to keep.</param>
    /// <returns>The distilled section.</returns>
    public static byte[] Distill(byte[] body, int globalStates, int globalActions, int localStates, int maxRuns)
    {
        ArgumentNullException.ThrowIfNull(body);
        int runsPerBlock = body[CompactGlobalLayout.RunsPerBlockOffset];
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(CompactGlobalLayout.RunCountOffset));
        int blocks = (int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(CompactGlobalLayout.BlockCountOffset));
        int rowLength = localStates + 1;
        int cursor = CompactGlobalLayout.HeaderLength;
        var rules = new int[globalStates][];
        for (int sg = 0; sg < globalStates; sg++)
        {
            rules[sg] = new int[globalActions * rowLength];
            for (int a = 0; a < globalActions; a++)
            {
                for (int j = 0; j < localStates; j++)
                {
                    rules[sg][(a * rowLength) + j] = (sbyte)body[cursor++];
                }

                rules[sg][(a * rowLength) + localStates] = BinaryPrimitives.ReadInt16LittleEndian(body.AsSpan(cursor));
                cursor += 2;
            }
        }

        int indexStart = cursor;
        int data = indexStart + (blocks * CompactGlobalLayout.IndexEntryLength);
        var runs = new List<(int Start, int Length, int Action)>(count);
        int position = 0;
        for (int i = 0; i < count; i++)
        {
            if (i % runsPerBlock == 0)
            {
                position = (int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(indexStart + (i / runsPerBlock * CompactGlobalLayout.IndexEntryLength)));
            }
            else
            {
                position += (int)ReadVarint(body, ref data);
            }

            long code = ReadVarint(body, ref data);
            int length = (int)(code / globalActions) + 1;
            runs.Add((position, length, (int)(code % globalActions)));
            position += length;
        }

        List<(int Start, int Length, int Action)> kept = [.. runs.OrderByDescending(r => r.Length).ThenBy(r => r.Start).Take(Math.Max(0, maxRuns)).OrderBy(r => r.Start)];
        return Write(rules, kept, globalStates, globalActions, localStates, rowLength, runsPerBlock);
    }

    private static long ReadVarint(byte[] body, ref int position)
    {
        long value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = body[position++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    /// <summary>Returns the runs a table has against a prediction (for measurements): maximal, disjoint, sorted.</summary>
    /// <param name="actions">The table.</param>
    /// <param name="predicted">The prediction per entry.</param>
    /// <returns>The runs.</returns>
    public static List<(int Start, int Length, int Action)> FindRuns(int[] actions, int[] predicted)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(predicted);

        // A run starts at an entry that differs from the prediction and extends over equal actions (entries the rule
        // already gets right may sit inside it); trailing entries the rule gets right are trimmed.
        var runs = new List<(int, int, int)>();
        int e = 0;
        while (e < actions.Length)
        {
            if (actions[e] == predicted[e])
            {
                e++;
                continue;
            }

            int a = actions[e];
            int end = e + 1;
            while (end < actions.Length && actions[end] == a)
            {
                end++;
            }

            while (predicted[end - 1] == a)
            {
                end--;
            }

            runs.Add((e, end - e, a));
            e = end;
        }

        return runs;
    }

    private static byte[] Write(int[][] rules, List<(int Start, int Length, int Action)> runs, int globalStates, int globalActions, int localStates, int rowLength, int runsPerBlock)
    {
        int blocks = (runs.Count + runsPerBlock - 1) / runsPerBlock;
        var data = new List<byte>();
        var index = new (int Start, int Offset)[blocks];
        int previousEnd = 0;
        for (int i = 0; i < runs.Count; i++)
        {
            (int start, int length, int action) = runs[i];
            if (i % runsPerBlock == 0)
            {
                index[i / runsPerBlock] = (start, data.Count);
            }
            else
            {
                WriteVarint(data, start - previousEnd);
            }

            WriteVarint(data, ((long)(length - 1) * globalActions) + action);
            previousEnd = start + length;
        }

        long ruleLength = CompactGlobalLayout.RuleLength(globalStates, globalActions, localStates);
        long total = CompactGlobalLayout.HeaderLength + ruleLength + ((long)blocks * CompactGlobalLayout.IndexEntryLength) + data.Count;
        if (total > int.MaxValue)
        {
            throw new ArgumentException("compact global table exceeds 2 GB");
        }

        var body = new byte[total];
        Span<byte> s = body;
        s[CompactGlobalLayout.EncodingOffset] = CompactGlobalLayout.EncodingRuleRuns;
        s[CompactGlobalLayout.RunsPerBlockOffset] = (byte)runsPerBlock;
        BinaryPrimitives.WriteUInt32LittleEndian(s[CompactGlobalLayout.RunCountOffset..], (uint)runs.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[CompactGlobalLayout.BlockCountOffset..], (uint)blocks);
        int cursor = CompactGlobalLayout.HeaderLength;
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

        foreach ((int start, int offset) in index)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[cursor..], (uint)start);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(cursor + 4)..], (uint)offset);
            cursor += CompactGlobalLayout.IndexEntryLength;
        }

        data.CopyTo(body, cursor);
        return body;
    }

    private static void WriteVarint(List<byte> data, long value)
    {
        if (value < 0 || value > int.MaxValue)
        {
            throw new ArgumentException($"compact table value {value} outside [0, 2^31)");
        }

        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            data.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
    }

    // argmax_a Σ_j W[a,j]·c_j + bias[a], ties to the lowest a: the reader's Predict.
    internal static int Predict(int[] rule, int[] counts, int offset, int localStates, int globalActions)
    {
        int rowLength = localStates + 1;
        int best = 0;
        int bestScore = int.MinValue;
        for (int a = 0; a < globalActions; a++)
        {
            int score = rule[(a * rowLength) + localStates];
            for (int j = 0; j < localStates; j++)
            {
                score += rule[(a * rowLength) + j] * counts[offset + j];
            }

            if (score > bestScore)
            {
                best = a;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>
    /// Learns one <c>s_g</c>'s rule, <c>|A_g|</c> rows of (<c>|S_l|</c> weights in [−127, 127], bias in [−32767, 32767]): start
    /// from the better of "argmax of the counts" and "always the most common action", then coordinate descent on single
    /// parameters (fixed step lists, fixed order) while the number of runs the encoder would store decreases.
    /// </summary>
    private static int[] LearnRule(ReadOnlySpan<int> table, int[] counts, int ranks, int localStates, int globalActions)
    {
        int rowLength = localStates + 1;
        int[] identity = new int[globalActions * rowLength];
        for (int a = 0; a < globalActions && a < localStates; a++)
        {
            identity[(a * rowLength) + a] = IdentityWeight;
        }

        int[] histogram = new int[globalActions];
        foreach (int a in table)
        {
            histogram[a]++;
        }

        int majority = 0;
        for (int a = 1; a < globalActions; a++)
        {
            majority = histogram[a] > histogram[majority] ? a : majority;
        }

        int[] constant = new int[globalActions * rowLength];
        constant[(majority * rowLength) + localStates] = 1;

        var search = new RuleSearch(table.ToArray(), counts, ranks, localStates, globalActions);
        int identityCost = search.Cost(identity);
        int constantCost = search.Cost(constant);
        int[] rule = constantCost < identityCost ? constant : identity;
        search.Load(rule);
        int cost = Math.Min(identityCost, constantCost);
        for (int sweep = 0; sweep < MaxSweeps && cost > 0; sweep++)
        {
            bool improved = false;
            for (int a = 0; a < globalActions; a++)
            {
                for (int p = 0; p < rowLength; p++)
                {
                    bool bias = p == localStates;
                    int[] steps = bias ? BiasSteps : WeightSteps;
                    int limit = bias ? short.MaxValue : sbyte.MaxValue;
                    foreach (int step in steps)
                    {
                        int value = rule[(a * rowLength) + p] + step;
                        if (value < -limit || value > limit)
                        {
                            continue;
                        }

                        int candidate = search.CostWithChange(a, p, step, cost);
                        if (candidate < cost)
                        {
                            rule[(a * rowLength) + p] = value;
                            search.Apply(a, p, step);
                            cost = candidate;
                            improved = true;
                        }
                    }
                }
            }

            if (!improved)
            {
                break;
            }
        }

        return rule;
    }

    /// <summary>Scores of every action for every rank of one <c>s_g</c>, updated one parameter at a time.</summary>
    private sealed class RuleSearch(int[] table, int[] counts, int ranks, int localStates, int globalActions)
    {
        private readonly int[] _scores = new int[ranks * globalActions];

        // Segment starts: maximal runs of equal actions in the table. The encoder stores one run per segment that holds
        // an entry the rule gets wrong (a run never spans two segments), so the cost is the number of such segments.
        private readonly bool[] _segmentStart = Segments(table);

        public void Load(int[] rule)
        {
            int rowLength = localStates + 1;
            for (int r = 0; r < ranks; r++)
            {
                for (int a = 0; a < globalActions; a++)
                {
                    int score = rule[(a * rowLength) + localStates];
                    for (int j = 0; j < localStates; j++)
                    {
                        score += rule[(a * rowLength) + j] * counts[(r * localStates) + j];
                    }

                    _scores[(r * globalActions) + a] = score;
                }
            }
        }

        public int Cost(int[] rule)
        {
            Load(rule);
            return CostWithChange(0, localStates, 0, int.MaxValue);
        }

        public void Apply(int action, int parameter, int step)
        {
            for (int r = 0; r < ranks; r++)
            {
                _scores[(r * globalActions) + action] += parameter == localStates ? step : step * counts[(r * localStates) + parameter];
            }
        }

        // Runs the encoder would store after adding `step` to parameter `parameter` of `action`; stops early at `bound`.
        public int CostWithChange(int action, int parameter, int step, int bound)
        {
            int cost = 0;
            bool segmentWrong = false;
            bool bias = parameter == localStates;
            for (int r = 0; r < ranks; r++)
            {
                if (_segmentStart[r])
                {
                    if (segmentWrong && ++cost >= bound)
                    {
                        return cost;
                    }

                    segmentWrong = false;
                }

                if (segmentWrong)
                {
                    continue;
                }

                int row = r * globalActions;
                int best = 0;
                int bestScore = int.MinValue;
                for (int a = 0; a < globalActions; a++)
                {
                    int score = _scores[row + a];
                    if (a == action)
                    {
                        score += bias ? step : step * counts[(r * localStates) + parameter];
                    }

                    if (score > bestScore)
                    {
                        best = a;
                        bestScore = score;
                    }
                }

                segmentWrong = best != table[r];
            }

            return segmentWrong ? cost + 1 : cost;
        }

        private static bool[] Segments(int[] table)
        {
            var start = new bool[table.Length];
            for (int r = 0; r < table.Length; r++)
            {
                start[r] = r == 0 || table[r] != table[r - 1];
            }

            return start;
        }
    }
}
