// docs/design.md §2 G-step, mode `sampled`: m draws of c' per (s_g, c) from the generative model,
// each of the k robots moving independently by P̄_l(·|j,s_g); draws reused across a_g.
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training;

/// <summary>Draws the sampled next-count model. Row <c>row</c> uses its own PCG32 seeded with <c>DeriveSeed(seed, row)</c>, so draws do not depend on threads.</summary>
internal static class SampledNextCounts
{
    private const int Block = 1024;
    private const double TwoToMinus32 = 1.0 / 4294967296.0;

    public static NextCountModel Build(LocalMarginals marginals, CountSpace space, CountRanker ranker, int draws, ulong seed, ParallelOptions parallel)
    {
        int g = marginals.GlobalStates, l = marginals.LocalStates, size = space.Size, k = space.K;
        long total = (long)size * g * draws;
        if (total > Array.MaxLength)
        {
            throw new NotSupportedException($"sampled G-step: {size}·{g}·m={draws} next-count entries exceed the largest array; lower m");
        }

        // Cumulative P̄_l(·|j,s_g), last entry forced to 1 so a draw always lands.
        var cumulative = new double[g * l * l];
        for (int sg = 0; sg < g; sg++)
        {
            for (int j = 0; j < l; j++)
            {
                double acc = 0;
                for (int next = 0; next < l; next++)
                {
                    acc += marginals.P(sg, j, next);
                    cumulative[(((sg * l) + j) * l) + next] = next == l - 1 ? 1.0 : acc;
                }
            }
        }

        var nextRank = new int[total];
        int blocks = (size + Block - 1) / Block;
        Parallel.For(0, blocks, parallel, b =>
        {
            var rng = new Pcg32(0);
            var counts = new int[l];
            int end = Math.Min(size, (b + 1) * Block);
            for (int c = b * Block; c < end; c++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    int row = (c * g) + sg;
                    rng.Reseed(Pcg32.DeriveSeed(seed, (ulong)row), 0);
                    for (int i = 0; i < draws; i++)
                    {
                        Array.Clear(counts);
                        for (int j = 0; j < l; j++)
                        {
                            int cj = space.Counts[(c * l) + j];
                            int cum = ((sg * l) + j) * l;
                            for (int robot = 0; robot < cj; robot++)
                            {
                                double u = rng.NextUInt32() * TwoToMinus32; // s' ~ P̄_l(·|j,s_g) by inversion
                                int next = 0;
                                while (u >= cumulative[cum + next])
                                {
                                    next++;
                                }

                                counts[next]++;
                            }
                        }

                        nextRank[((long)row * draws) + i] = ranker.Rank(counts, 0, k);
                    }
                }
            }
        });
        return NextCountModel.Uniform(size * g, draws, nextRank);
    }
}
