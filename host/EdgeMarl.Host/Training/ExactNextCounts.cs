// docs/design.md §2 G-step, mode `exact`: the full law of c' = Σ_j Multinomial(c_j, P̄_l(·|j,s_g)),
// the convolution of one multinomial per occupied local state.
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Training;

/// <summary>Builds the exact next-count distribution of every <c>(s_g, c)</c>, refusing sizes that would not fit.</summary>
internal static class ExactNextCounts
{
    private const int Block = 64;

    /// <summary>Upper bound on CSR entries used for the refusal: every row could reach every count vector.</summary>
    public static long EntryBound(int globalStates, int spaceSize) => (long)globalStates * spaceSize * spaceSize;

    /// <exception cref="NotSupportedException">|S_g|·C(k+|S_l|−1,|S_l|−1)² exceeds <paramref name="entryLimit"/>.</exception>
    public static NextCountModel Build(LocalMarginals marginals, CountRanker ranker, int k, long entryLimit, ParallelOptions parallel)
    {
        int g = marginals.GlobalStates, l = marginals.LocalStates;
        int size = ranker.Count(k);
        long bound = EntryBound(g, size);
        if (bound > entryLimit || bound > int.MaxValue)
        {
            throw new NotSupportedException(
                $"exact G-step refused: |S_g|·C(k+|S_l|-1,|S_l|-1)^2 = {g}·{size}^2 = {bound:N0} possible entries exceeds the limit {Math.Min(entryLimit, int.MaxValue):N0} (k={k}, |S_l|={l}); use mode 'sampled' or 'rounded', or a smaller k");
        }

        var spaces = new CountSpace[k + 1];
        for (int n = 0; n <= k; n++)
        {
            spaces[n] = CountSpace.Build(ranker, n);
        }

        double[] logFactorial = LogFactorials(k);

        // pmf[s_g][j][n][rank(y)] = P(Multinomial(n, P̄_l(·|j,s_g)) = y), for every n ≤ k.
        var pmf = new double[g * l][][];
        for (int sg = 0; sg < g; sg++)
        {
            for (int j = 0; j < l; j++)
            {
                pmf[(sg * l) + j] = new double[k + 1][];
                for (int n = 0; n <= k; n++)
                {
                    pmf[(sg * l) + j][n] = MultinomialPmf(spaces[n], marginals, sg, j, logFactorial);
                }
            }
        }

        int rows = size * g;
        int blocks = (size + Block - 1) / Block;
        var blockRanks = new List<int>[blocks];
        var blockWeights = new List<double>[blocks];
        var rowLength = new int[rows];
        Parallel.For(0, blocks, parallel, b =>
        {
            var ranks = new List<int>();
            var weights = new List<double>();
            var x = new int[l];
            var y = new int[l];
            var z = new int[l];
            int end = Math.Min(size, (b + 1) * Block);
            for (int c = b * Block; c < end; c++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    double[] dist = [1.0];
                    int sum = 0;
                    for (int j = 0; j < l; j++)
                    {
                        int cj = spaces[k].Counts[(c * l) + j];
                        if (cj == 0)
                        {
                            continue;
                        }

                        double[] part = pmf[(sg * l) + j][cj];
                        var merged = new double[spaces[sum + cj].Size];
                        for (int xr = 0; xr < dist.Length; xr++)
                        {
                            if (dist[xr] == 0)
                            {
                                continue;
                            }

                            spaces[sum].Get(xr, x);
                            for (int yr = 0; yr < part.Length; yr++)
                            {
                                if (part[yr] == 0)
                                {
                                    continue;
                                }

                                spaces[cj].Get(yr, y);
                                for (int i = 0; i < l; i++)
                                {
                                    z[i] = x[i] + y[i];
                                }

                                merged[ranker.Rank(z, 0, sum + cj)] += dist[xr] * part[yr]; // P(c' = x + y) accumulates P(x)·P(y)
                            }
                        }

                        dist = merged;
                        sum += cj;
                    }

                    int length = 0;
                    for (int r = 0; r < dist.Length; r++)
                    {
                        if (dist[r] > 0)
                        {
                            ranks.Add(r);
                            weights.Add(dist[r]);
                            length++;
                        }
                    }

                    rowLength[(c * g) + sg] = length;
                }
            }

            blockRanks[b] = ranks;
            blockWeights[b] = weights;
        });

        var rowStart = new int[rows + 1];
        for (int row = 0; row < rows; row++)
        {
            rowStart[row + 1] = rowStart[row] + rowLength[row];
        }

        var nextRank = new int[rowStart[rows]];
        var weight = new double[rowStart[rows]];
        int at = 0;
        for (int b = 0; b < blocks; b++)
        {
            blockRanks[b].CopyTo(nextRank, at);
            blockWeights[b].CopyTo(weight, at);
            at += blockRanks[b].Count;
        }

        return NextCountModel.Csr(rows, rowStart, nextRank, weight);
    }

    public static double[] LogFactorials(int n)
    {
        var table = new double[n + 1];
        for (int i = 2; i <= n; i++)
        {
            table[i] = table[i - 1] + Math.Log(i);
        }

        return table;
    }

    /// <summary>P(y) = n!/Π y_i! · Π p_i^{y_i} over every y of sum n, with p = P̄_l(·|j,s_g).</summary>
    private static double[] MultinomialPmf(CountSpace space, LocalMarginals marginals, int sg, int j, double[] logFactorial)
    {
        int l = space.LocalStates;
        var p = new double[l];
        for (int i = 0; i < l; i++)
        {
            p[i] = marginals.P(sg, j, i);
        }

        return Multinomial.Pmf(space, p, logFactorial);
    }
}
