// docs/design.md §2 L-step "Mean field": P̃_g(s_g'|s_g) = Σ_a P(π_g(s_g, c) = a) P_g(s_g'|s_g, a), c ~ Multinomial(k, μ(·|s_g)).
// The stationary μ evaluates it for one π_g and many μ, so what depends on π_g alone (where its action changes along the
// rank order) is found once, and each evaluation sums probabilities over runs of equal action.
namespace EdgeMarl.Host.Training;

/// <summary>
/// The law of the gateway's action <c>π_g(s_g, c)</c> under <c>c ~ Multinomial(k, μ(·|s_g))</c> for a fixed π_g, L ≥ 3.
/// <para>
/// Rank order is lexicographic, so the count vectors that share a head <c>(c_0 .. c_{L−4})</c> are one block of consecutive
/// ranks, the <c>(r+1)(r+2)/2</c> tails <c>(c_{L−3}, c_{L−2}, c_{L−1})</c> of sum <c>r = k − Σ head</c>. P(c) = P(head)·W_r(tail)
/// with P(head) and W_r chains of binomials, <c>P(c) = Π_{i &lt; L−1} Binom(c_i; r_i, μ_i / Σ_{j ≥ i} μ_j)</c>. Built once per π_g:
/// each block cut into runs of equal action (π_g changes rarely between neighbouring count vectors). Per μ: W_r for every r
/// (C(k+3, 3) products) and its running sums, then per head and run <c>mass[a] += P(head)·(S_r(end) − S_r(start))</c>: the
/// work per μ is the number of runs (≈ 97,000 at zones k = 50 against 1.58 million (s_g, c) rows), not of count vectors.
/// </para>
/// <para>
/// A head whose probability is below 1e−30 is skipped with all its count vectors: at most 1e−30 per skipped head, and fewer
/// than L·2³¹ heads, so &lt; 1.1e−20 in all. A run's sum as a difference of running sums (each ≤ 1) is off by at most a few
/// ulps of 1 times P(head): ≲ (runs per block)·1e−16 per s_g in all, absolute (InducedGlobalTransitionTests: within 1e−13
/// of a log-space sum over every c).
/// </para>
/// </summary>
internal sealed class ActionRuns
{
    private const double Negligible = 1e-30;
    private readonly int _l, _k;
    private readonly int[] _blockStart; // [b] rank of block b's first count vector, [blocks] = |C_k|
    private readonly int[][] _runFirst; // [s_g][b] index of block b's first run, [s_g][blocks] = runs
    private readonly int[][] _runEnd; // [s_g][run] end of the run, exclusive, relative to its block's first rank
    private readonly byte[][] _runAction; // [s_g][run] the run's action
    private readonly int[] _completions; // [m][r] = C(r+m−1, m−1): count vectors of length m and sum r
    private readonly double[] _binomial; // [i][r][v] = Binom(v; r, q_i), scratch of one s_g
    private readonly double[] _tail; // running sums of W_r, r = 0..k one after the other, (r+1)(r+2)/2 + 1 each
    private readonly int[] _tailOffset; // [r] Σ_{r' < r} (r'+1)(r'+2)/2; W_r's running sums start at _tailOffset[r] + r

    private ActionRuns(byte[] source, int l, int k, int[] blockStart, int[][] runFirst, int[][] runEnd, byte[][] runAction)
    {
        Source = source;
        _l = l;
        _k = k;
        _blockStart = blockStart;
        _runFirst = runFirst;
        _runEnd = runEnd;
        _runAction = runAction;
        int width = k + 1;
        _completions = new int[(l + 1) * width];
        for (int m = 1; m <= l; m++)
        {
            for (int r = 0; r <= k; r++)
            {
                _completions[(m * width) + r] = m == 1 || r == 0 ? 1 : _completions[((m - 1) * width) + r] + _completions[(m * width) + r - 1];
            }
        }

        _binomial = new double[(l - 1) * width * width];
        _tailOffset = new int[width + 1];
        for (int r = 0; r <= k; r++)
        {
            _tailOffset[r + 1] = _tailOffset[r] + ((r + 1) * (r + 2) / 2);
        }

        _tail = new double[_tailOffset[width] + width];
    }

    /// <summary>Gets the π_g these runs were found in (unchanged while they are used).</summary>
    public byte[] Source { get; }

    /// <summary>Gets the runs of equal action, over every s_g.</summary>
    public long Runs
    {
        get
        {
            long runs = 0;
            foreach (int[] ends in _runEnd)
            {
                runs += ends.Length;
            }

            return runs;
        }
    }

    /// <summary>Finds the runs of equal action of π_g (flat <c>[rank(c)·|S_g| + s_g]</c>, sum k, L = <paramref name="l"/> ≥ 3).</summary>
    public static ActionRuns Build(byte[] globalActions, int g, int l, int k)
    {
        if (l < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(l), l, "action runs need at least 3 local states");
        }

        var remaining = new List<int>();
        Heads(0, l - 3, k, remaining);
        int blocks = remaining.Count;
        var blockStart = new int[blocks + 1];
        for (int b = 0; b < blocks; b++)
        {
            int r = remaining[b];
            blockStart[b + 1] = blockStart[b] + ((r + 1) * (r + 2) / 2);
        }

        if ((long)blockStart[blocks] * g != globalActions.Length)
        {
            throw new ArgumentException($"π_g has {globalActions.Length} entries, expected {(long)blockStart[blocks] * g} for k = {k}, |S_l| = {l}, |S_g| = {g}", nameof(globalActions));
        }

        var runFirst = new int[g][];
        var ends = new List<int>[g];
        var actions = new List<byte>[g];
        for (int sg = 0; sg < g; sg++)
        {
            runFirst[sg] = new int[blocks + 1];
            ends[sg] = new List<int>(blocks * 2);
            actions[sg] = new List<byte>(blocks * 2);
        }

        var current = new byte[g];
        for (int b = 0; b < blocks; b++)
        {
            int start = blockStart[b], length = blockStart[b + 1] - start;
            for (int sg = 0; sg < g; sg++)
            {
                runFirst[sg][b] = ends[sg].Count;
                current[sg] = globalActions[(start * g) + sg];
            }

            for (int j = 1; j < length; j++)
            {
                int row = (start + j) * g;
                for (int sg = 0; sg < g; sg++)
                {
                    byte a = globalActions[row + sg];
                    if (a != current[sg])
                    {
                        ends[sg].Add(j);
                        actions[sg].Add(current[sg]);
                        current[sg] = a;
                    }
                }
            }

            for (int sg = 0; sg < g; sg++)
            {
                ends[sg].Add(length);
                actions[sg].Add(current[sg]);
            }
        }

        var runEnd = new int[g][];
        var runAction = new byte[g][];
        for (int sg = 0; sg < g; sg++)
        {
            runFirst[sg][blocks] = ends[sg].Count;
            runEnd[sg] = [.. ends[sg]];
            runAction[sg] = [.. actions[sg]];
        }

        return new ActionRuns(globalActions, l, k, blockStart, runFirst, runEnd, runAction);
    }

    /// <summary>Writes P(π_g(s_g, c) = a) into <paramref name="mass"/> (cleared first) under <paramref name="mu"/> = μ(·|s_g).</summary>
    public void Mass(int sg, ReadOnlySpan<double> mu, double[] mass)
    {
        int l = _l, k = _k, width = k + 1;
        ConditionalBinomials.Fill(mu, l, k, _binomial);

        // W_r(c_{L−3}, c_{L−2}) = Binom(c_{L−3}; r, q_{L−3})·Binom(c_{L−2}; r − c_{L−3}, q_{L−2}), tails in rank order.
        int third = (l - 3) * width * width, second = (l - 2) * width * width;
        for (int r = 0; r <= k; r++)
        {
            int at = _tailOffset[r] + r; // W_r's running sums, 0 first: one entry more than W_r
            double running = 0;
            _tail[at++] = 0;
            for (int a = 0; a <= r; a++)
            {
                double pa = _binomial[third + (r * width) + a];
                int row = second + ((r - a) * width);
                for (int b = 0; b <= r - a; b++)
                {
                    running += pa * _binomial[row + b];
                    _tail[at++] = running;
                }
            }
        }

        Array.Clear(mass);
        int rank = 0, block = 0;
        Heads(sg, 0, k, 1.0, ref rank, ref block, mass);
    }

    private static void Heads(int i, int headLength, int remaining, List<int> blocks)
    {
        if (i == headLength)
        {
            blocks.Add(remaining);
            return;
        }

        for (int v = 0; v <= remaining; v++)
        {
            Heads(i + 1, headLength, remaining - v, blocks);
        }
    }

    private void Heads(int sg, int i, int remaining, double prefix, ref int rank, ref int block, double[] mass)
    {
        int l = _l, width = _k + 1;
        if (i == l - 3)
        {
            int[] ends = _runEnd[sg];
            byte[] actions = _runAction[sg];
            int length = _tailOffset[remaining + 1] - _tailOffset[remaining];
            ReadOnlySpan<double> cumulative = _tail.AsSpan(_tailOffset[remaining] + remaining, length + 1);
            int from = 0;
            for (int run = _runFirst[sg][block], last = _runFirst[sg][block + 1]; run < last; run++)
            {
                int to = ends[run];
                mass[actions[run]] += prefix * (cumulative[to] - cumulative[from]); // Σ_{c in run} P(c) = P(head)·Σ W_r
                from = to;
            }

            rank += length;
            block++;
            return;
        }

        int row = (i * width * width) + (remaining * width);
        int after = l - 1 - i; // entries after i
        for (int v = 0; v <= remaining; v++)
        {
            double p = prefix * _binomial[row + v];
            if (p < Negligible)
            {
                rank += _completions[(after * width) + remaining - v];
                while (_blockStart[block] < rank)
                {
                    block++; // the skipped heads' blocks
                }

                continue;
            }

            Heads(sg, i + 1, remaining - v, p, ref rank, ref block, mass);
        }
    }
}
