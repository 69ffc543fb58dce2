// docs/design.md §2 G-step, mode `rounded` (docs/reference-benchmark.md reference): c' = LargestRemainder(Σ_j c_j P̄_l(·|j,s_g)).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Training;

/// <summary>Builds the deterministic next-count map of the reference: one rank per <c>(s_g, c)</c>, computed once per G-step.</summary>
/// <remarks>
/// Speed without changing a bit: E[c'] = (((0 + c_0 P̄_0) + c_1 P̄_1) + …) + c_{L−1} P̄_{L−1} is summed in index order as
/// before, but the products <c>v·P̄_l(·|j,s_g)</c> come from a table and the prefix sums over <c>j</c> are kept between
/// consecutive count vectors (in rank order they usually differ only in their last two entries). Adding a zero product
/// is exact, so skipping zero counts (as <see cref="ExpectedNext"/> does) gives the same doubles. Ranks come from a
/// local binomial table (<c>C(d+m, m)</c>, the hockey-stick formula of <see cref="CountRanker"/>).
/// </remarks>
internal static class RoundedNextCounts
{
    private const int Block = 4096;

    public static NextCountModel Build(LocalMarginals marginals, CountSpace space, CountRanker ranker, ParallelOptions parallel, int[]? reuse = null)
    {
        int g = marginals.GlobalStates, size = space.Size;
        int[] next = reuse != null && reuse.Length == size * g ? reuse : new int[size * g]; // every entry is written below
        var builder = new Builder(marginals, space);
        int blocks = (size + Block - 1) / Block;
        if (blocks == 1 || parallel.MaxDegreeOfParallelism == 1)
        {
            builder.Fill(0, size, next);
        }
        else
        {
            Parallel.For(0, blocks, parallel, b => builder.Fill(b * Block, Math.Min(size, (b + 1) * Block), next));
        }

        return NextCountModel.Uniform(size * g, 1, next);
    }

    /// <summary>E[c'_{s'}] = Σ_j c_j P̄_l(s'|j,s_g), summed over j in index order (the definition; tests compare with it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ExpectedNext(LocalMarginals marginals, CountSpace space, int rank, int globalState, double[] expected)
    {
        int l = marginals.LocalStates;
        Array.Clear(expected);
        for (int j = 0; j < l; j++)
        {
            int cj = space.Counts[(rank * l) + j];
            if (cj == 0)
            {
                continue;
            }

            for (int next = 0; next < l; next++)
            {
                expected[next] += cj * marginals.P(globalState, j, next);
            }
        }
    }

    /// <summary>The shared read-only tables; <see cref="Fill"/> keeps its scratch on the stack, so blocks run in parallel.</summary>
    private sealed class Builder
    {
        private readonly int _g, _l, _k;
        private readonly byte[] _counts;
        private readonly double[] _product; // [s_g][j][v][s'] = v · P̄_l(s'|j,s_g)
        private readonly int[] _hockey;     // [m][d] = C(d+m, m), m ≤ L−1, d ≤ k

        public Builder(LocalMarginals marginals, CountSpace space)
        {
            _g = marginals.GlobalStates;
            _l = marginals.LocalStates;
            _k = space.K;
            _counts = space.Counts;
            int l = _l, k = _k;
            _product = new double[_g * l * (k + 1) * l];
            for (int sg = 0; sg < _g; sg++)
            {
                for (int j = 0; j < l; j++)
                {
                    for (int v = 0; v <= k; v++)
                    {
                        for (int s2 = 0; s2 < l; s2++)
                        {
                            _product[((((((sg * l) + j) * (k + 1)) + v) * l) + s2)] = v * marginals.P(sg, j, s2);
                        }
                    }
                }
            }

            _hockey = new int[l * (k + 1)];
            for (int m = 0; m < l; m++)
            {
                for (int d = 0; d <= k; d++)
                {
                    _hockey[(m * (k + 1)) + d] = m == 0 || d == 0 ? 1 : _hockey[((m - 1) * (k + 1)) + d] + _hockey[(m * (k + 1)) + d - 1];
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Fill(int first, int end, int[] next)
        {
            int g = _g, l = _l, k = _k, width = k + 1;
            var prefix = new double[g * l * l]; // [s_g][j][s'] = Σ_{i ≤ j} c_i P̄_l(s'|i,s_g), summed in index order
            var previous = new int[l];
            var counts = new int[l];
            var remainders = new double[l];
            ref double sum = ref MemoryMarshal.GetArrayDataReference(prefix);
            ref double product = ref MemoryMarshal.GetArrayDataReference(_product);
            ref byte vectors = ref MemoryMarshal.GetArrayDataReference(_counts);
            int valid = 0; // prefix rows [0, valid) are up to date for `previous`
            for (int c = first; c < end; c++)
            {
                ref byte counted = ref Unsafe.Add(ref vectors, c * l);
                int from = 0;
                while (from < valid && Unsafe.Add(ref counted, from) == previous[from])
                {
                    from++;
                }

                for (int j = from; j < l; j++)
                {
                    int cj = Unsafe.Add(ref counted, j);
                    previous[j] = cj;
                    for (int sg = 0; sg < g; sg++)
                    {
                        ref double to = ref Unsafe.Add(ref sum, ((sg * l) + j) * l);
                        ref double term = ref Unsafe.Add(ref product, ((((sg * l) + j) * width) + cj) * l);
                        if (j == 0)
                        {
                            for (int s2 = 0; s2 < l; s2++)
                            {
                                Unsafe.Add(ref to, s2) = Unsafe.Add(ref term, s2);
                            }
                        }
                        else
                        {
                            ref double before = ref Unsafe.Subtract(ref to, l);
                            for (int s2 = 0; s2 < l; s2++)
                            {
                                Unsafe.Add(ref to, s2) = Unsafe.Add(ref before, s2) + Unsafe.Add(ref term, s2);
                            }
                        }
                    }
                }

                valid = l;
                for (int sg = 0; sg < g; sg++)
                {
                    ref double expected = ref Unsafe.Add(ref sum, ((sg * l) + l - 1) * l);
                    next[(c * g) + sg] = l == 5 ? RoundAndRank5(ref expected, counts, remainders) : RoundAndRank(ref expected, counts, remainders);
                }
            }
        }

        /// <summary><see cref="RoundAndRank"/> unrolled for L = 5 (zones): the same comparisons, no loops.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int RoundAndRank5(ref double expected, int[] counts, double[] remainders)
        {
            double x0 = Math.Max(0, expected), x1 = Math.Max(0, Unsafe.Add(ref expected, 1)), x2 = Math.Max(0, Unsafe.Add(ref expected, 2));
            double x3 = Math.Max(0, Unsafe.Add(ref expected, 3)), x4 = Math.Max(0, Unsafe.Add(ref expected, 4));
            int f0 = (int)x0, f1 = (int)x1, f2 = (int)x2, f3 = (int)x3, f4 = (int)x4;
            double r0 = x0 - f0, r1 = x1 - f1, r2 = x2 - f2, r3 = x3 - f3, r4 = x4 - f4;
            int k = _k, deficit = k - (f0 + f1 + f2 + f3 + f4);
            if ((uint)deficit > 5)
            {
                return RoundAndRank(ref expected, counts, remainders);
            }

            // j gets one of the deficit when fewer than `deficit` entries precede it in (remainder desc, index asc) order.
            f0 += ((r1 > r0 ? 1 : 0) + (r2 > r0 ? 1 : 0) + (r3 > r0 ? 1 : 0) + (r4 > r0 ? 1 : 0)) < deficit ? 1 : 0;
            f1 += ((r0 >= r1 ? 1 : 0) + (r2 > r1 ? 1 : 0) + (r3 > r1 ? 1 : 0) + (r4 > r1 ? 1 : 0)) < deficit ? 1 : 0;
            f2 += ((r0 >= r2 ? 1 : 0) + (r1 >= r2 ? 1 : 0) + (r3 > r2 ? 1 : 0) + (r4 > r2 ? 1 : 0)) < deficit ? 1 : 0;
            f3 += ((r0 >= r3 ? 1 : 0) + (r1 >= r3 ? 1 : 0) + (r2 >= r3 ? 1 : 0) + (r4 > r3 ? 1 : 0)) < deficit ? 1 : 0;

            // rank = Σ_{i < 4} C(r+m, m) − C(r−c_i+m, m), m = 4−i (CountRanker's formula); c_4 is what remains.
            int w = k + 1;
            int[] h = _hockey;
            int rest = k;
            int rank = h[(4 * w) + rest] - h[(4 * w) + rest - f0];
            rest -= f0;
            rank += h[(3 * w) + rest] - h[(3 * w) + rest - f1];
            rest -= f1;
            rank += h[(2 * w) + rest] - h[(2 * w) + rest - f2];
            rest -= f2;
            rank += h[w + rest] - h[w + rest - f3];
            return rank;
        }

        /// <summary>Largest-remainder rounding of the L values at <paramref name="expected"/> (as <see cref="LargestRemainder.Round"/>) and its rank.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int RoundAndRank(ref double expected, int[] counts, double[] remainders)
        {
            int l = _l, k = _k, floorSum = 0;
            for (int j = 0; j < l; j++)
            {
                double x = Unsafe.Add(ref expected, j);
                x = x < 0 ? 0 : x;
                int f = (int)x; // = ⌊x⌋ for x ≥ 0
                counts[j] = f;
                remainders[j] = x - f;
                floorSum += f;
            }

            int deficit = k - floorSum;
            if (deficit < 0 || deficit > l)
            {
                // Float edge cases (Σ⌊x⌋ > k by a hair): the general routine, identical by construction.
                double[] x = new double[l];
                for (int j = 0; j < l; j++)
                {
                    x[j] = Unsafe.Add(ref expected, j);
                }

                LargestRemainder.Round(x, k, counts, new double[l]);
            }
            else if (deficit > 0)
            {
                // The deficit goes to the largest remainders, ties to the lowest index: j gets one when fewer than
                // `deficit` entries come before it in that order (branch-free; the same set as picking one at a time).
                for (int j = 0; j < l; j++)
                {
                    double rj = remainders[j];
                    int before = 0;
                    for (int i = 0; i < j; i++)
                    {
                        before += remainders[i] >= rj ? 1 : 0;
                    }

                    for (int i = j + 1; i < l; i++)
                    {
                        before += remainders[i] > rj ? 1 : 0;
                    }

                    counts[j] += before < deficit ? 1 : 0;
                }
            }

            // rank = Σ_{i < L−1} C(r+m, m) − C(r−c_i+m, m), m = L−1−i, r = remaining sum (CountRanker's formula).
            int rank = 0, remaining = k, width = k + 1;
            for (int i = 0; i < l - 1; i++)
            {
                int m = l - 1 - i;
                rank += _hockey[(m * width) + remaining] - _hockey[(m * width) + remaining - counts[i]];
                remaining -= counts[i];
            }

            return rank;
        }
    }
}
