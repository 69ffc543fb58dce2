// docs/design.md §2 G-step, mode `rounded` (docs/reference-benchmark.md reference): c' = LargestRemainder(Σ_j c_j P̄_l(·|j,s_g)).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        private readonly double[]? _product3;         // L = 5: [s_g][s'][v] = v · P̄_l(s'|3,s_g)
        private readonly double[]? _product4Reversed; // L = 5: [s_g][s'][k − v] = v · P̄_l(s'|4,s_g)

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

            if (l == 5)
            {
                // For the 4-vector groups of Fill5: the products of entries 3 and 4 transposed, [s_g][s'][v], so lanes (four
                // consecutive c_3, i.e. four consecutive ranks) load contiguously; entry 4 reversed, [s_g][s'][k − v], because
                // c_4 = r − c_3 falls as c_3 rises.
                _product3 = new double[_g * l * (k + 1)];
                _product4Reversed = new double[_g * l * (k + 1)];
                for (int sg = 0; sg < _g; sg++)
                {
                    for (int s2 = 0; s2 < l; s2++)
                    {
                        for (int v = 0; v <= k; v++)
                        {
                            _product3[(((sg * l) + s2) * (k + 1)) + v] = _product[((((((sg * l) + 3) * (k + 1)) + v) * l) + s2)];
                            _product4Reversed[(((sg * l) + s2) * (k + 1)) + k - v] = _product[((((((sg * l) + 4) * (k + 1)) + v) * l) + s2)];
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
            bool groups = _product3 != null && Vector256.IsHardwareAccelerated;
            for (int c = first; c < end; c++)
            {
                ref byte counted = ref Unsafe.Add(ref vectors, c * l);
                int from = 0;
                while (from < valid && Unsafe.Add(ref counted, from) == previous[from])
                {
                    from++;
                }

                // L = 5: ranks c .. c+3 share (c_0, c_1, c_2) when c_3 + 3 ≤ r = c_3 + c_4 (rank = base + c_3): one vector lane each.
                if (groups && c + 3 < end && Unsafe.Add(ref counted, 4) >= 3)
                {
                    // Entries 0..2 as the scalar path sums them (rows 3 and 4 are the lanes' own).
                    for (int j = from; j < 3; j++)
                    {
                        int cj = Unsafe.Add(ref counted, j);
                        previous[j] = cj;
                        for (int sg = 0; sg < g; sg++)
                        {
                            ref double to = ref Unsafe.Add(ref sum, ((sg * l) + j) * l);
                            ref double term = ref Unsafe.Add(ref product, ((((sg * l) + j) * width) + cj) * l);
                            for (int s2 = 0; s2 < l; s2++)
                            {
                                Unsafe.Add(ref to, s2) = j == 0 ? Unsafe.Add(ref term, s2) : Unsafe.Add(ref Unsafe.Subtract(ref to, l), s2) + Unsafe.Add(ref term, s2);
                            }
                        }
                    }

                    valid = 3;
                    if (Fill5(c, Unsafe.Add(ref counted, 3), Unsafe.Add(ref counted, 3) + Unsafe.Add(ref counted, 4), prefix, next))
                    {
                        c += 3;
                        continue;
                    }

                    from = 3; // a float edge case in a lane: this vector (and the next ones) take the scalar path
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

        /// <summary>
        /// The next ranks of the four count vectors <c>c .. c+3</c> (entries 0..2 shared, c_3 = <paramref name="c3"/> + lane,
        /// c_4 = <paramref name="r"/> − c_3) for every s_g, one vector lane each: the same additions, in the same order, and the
        /// same comparisons as <see cref="RoundAndRank5"/>, so the same ranks. Returns false (writing nothing) when a lane needs
        /// the general rounding (Σ⌊x⌋ off by more than L), which the caller then takes vector by vector.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Fill5(int c, int c3, int r, double[] prefix, int[] next)
        {
            const int l = 5;
            int g = _g, k = _k, width = k + 1;
            Span<int> ranks = stackalloc int[4 * 8];
            if (g > 8)
            {
                ranks = new int[4 * g];
            }

            ref double sum = ref MemoryMarshal.GetArrayDataReference(prefix);
            ref double p3 = ref MemoryMarshal.GetArrayDataReference(_product3!);
            ref double p4 = ref MemoryMarshal.GetArrayDataReference(_product4Reversed!);
            Vector256<long> kVector = Vector256.Create((long)k), zero = Vector256<long>.Zero;
            for (int sg = 0; sg < g; sg++)
            {
                ref double row2 = ref Unsafe.Add(ref sum, ((sg * l) + 2) * l); // Σ_{i ≤ 2} c_i P̄_l(·|i,s_g)
                int at3 = (sg * l * width) + c3, at4 = (sg * l * width) + k - r + c3;
                Vector256<double> x0 = X(ref row2, 0, ref p3, ref p4, at3, at4, width), x1 = X(ref row2, 1, ref p3, ref p4, at3, at4, width);
                Vector256<double> x2 = X(ref row2, 2, ref p3, ref p4, at3, at4, width), x3 = X(ref row2, 3, ref p3, ref p4, at3, at4, width);
                Vector256<double> x4 = X(ref row2, 4, ref p3, ref p4, at3, at4, width);
                Vector256<long> f0 = Vector256.ConvertToInt64(x0), f1 = Vector256.ConvertToInt64(x1), f2 = Vector256.ConvertToInt64(x2);
                Vector256<long> f3 = Vector256.ConvertToInt64(x3), f4 = Vector256.ConvertToInt64(x4); // truncation = ⌊x⌋ for x ≥ 0
                Vector256<double> r0 = x0 - Vector256.ConvertToDouble(f0), r1 = x1 - Vector256.ConvertToDouble(f1), r2 = x2 - Vector256.ConvertToDouble(f2);
                Vector256<double> r3 = x3 - Vector256.ConvertToDouble(f3), r4 = x4 - Vector256.ConvertToDouble(f4);
                Vector256<long> deficit = kVector - (f0 + f1 + f2 + f3 + f4);
                if (!Vector256.LessThanOrEqualAll(deficit.AsUInt64(), Vector256.Create(5UL)))
                {
                    return false;
                }

                // j gets one of the deficit when fewer than `deficit` entries precede it in (remainder desc, index asc) order;
                // a true comparison is −1 in a lane, so −(number before j) is summed and compared with −deficit.
                Vector256<long> before0 = Gt(r1, r0) + Gt(r2, r0) + Gt(r3, r0) + Gt(r4, r0);
                Vector256<long> before1 = Ge(r0, r1) + Gt(r2, r1) + Gt(r3, r1) + Gt(r4, r1);
                Vector256<long> before2 = Ge(r0, r2) + Ge(r1, r2) + Gt(r3, r2) + Gt(r4, r2);
                Vector256<long> before3 = Ge(r0, r3) + Ge(r1, r3) + Ge(r2, r3) + Gt(r4, r3);
                Vector256<long> minusDeficit = zero - deficit;
                f0 -= Vector256.GreaterThan(before0, minusDeficit); // −1 (one more) where before < deficit
                f1 -= Vector256.GreaterThan(before1, minusDeficit);
                f2 -= Vector256.GreaterThan(before2, minusDeficit);
                f3 -= Vector256.GreaterThan(before3, minusDeficit);
                for (int lane = 0; lane < 4; lane++)
                {
                    ranks[(lane * g) + sg] = Rank4((int)f0.GetElement(lane), (int)f1.GetElement(lane), (int)f2.GetElement(lane), (int)f3.GetElement(lane));
                }
            }

            ranks[..(4 * g)].CopyTo(next.AsSpan(c * g, 4 * g)); // rows c·g + s_g of the four vectors are consecutive
            return true;
        }

        /// <summary>Four lanes of max(0, (Σ_{i ≤ 2} + c_3 P̄_l(s'|3)) + c_4 P̄_l(s'|4)): the scalar path's prefix additions, in order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> X(ref double row2, int s2, ref double p3, ref double p4, int at3, int at4, int width)
        {
            Vector256<double> through3 = Vector256.Create(Unsafe.Add(ref row2, s2)) + Vector256.LoadUnsafe(ref p3, (nuint)(at3 + (s2 * width)));
            return Vector256.Max(through3 + Vector256.LoadUnsafe(ref p4, (nuint)(at4 + (s2 * width))), Vector256<double>.Zero);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<long> Gt(Vector256<double> a, Vector256<double> b) => Vector256.GreaterThan(a, b).AsInt64();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<long> Ge(Vector256<double> a, Vector256<double> b) => Vector256.GreaterThanOrEqual(a, b).AsInt64();

        /// <summary>rank = Σ_{i &lt; 4} C(r+m, m) − C(r−c_i+m, m), m = 4−i (CountRanker's formula), as <see cref="RoundAndRank5"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Rank4(int f0, int f1, int f2, int f3)
        {
            int k = _k, w = k + 1;
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

            return Rank4(f0, f1, f2, f3); // c_4 is what remains
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
