// docs/design.md §2 G-step, mode `rounded` (docs/reference-benchmark.md reference): c' = LargestRemainder(Σ_j c_j P̄_l(·|j,s_g)).
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Training;

/// <summary>Builds the deterministic next-count map of the reference: one rank per <c>(s_g, c)</c>, computed once per G-step.</summary>
internal static class RoundedNextCounts
{
    private const int Block = 4096;

    public static NextCountModel Build(LocalMarginals marginals, CountSpace space, CountRanker ranker, ParallelOptions parallel)
    {
        int g = marginals.GlobalStates, l = marginals.LocalStates, size = space.Size, k = space.K;
        var next = new int[size * g];
        int blocks = (size + Block - 1) / Block;
        Parallel.For(0, blocks, parallel, [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] (b) =>
        {
            var expected = new double[l];
            var rounded = new int[l];
            var remainders = new double[l];
            int end = Math.Min(size, (b + 1) * Block);
            for (int c = b * Block; c < end; c++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    ExpectedNext(marginals, space, c, sg, expected);
                    LargestRemainder.Round(expected, k, rounded, remainders);
                    next[(c * g) + sg] = ranker.Rank(rounded, 0, k);
                }
            }
        });
        return NextCountModel.Uniform(size * g, 1, next);
    }

    /// <summary>E[c'_{s'}] = Σ_j c_j P̄_l(s'|j,s_g), summed over j in index order.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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
}
