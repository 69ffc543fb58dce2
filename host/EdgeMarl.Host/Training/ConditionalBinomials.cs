// docs/design.md §2 L-step: the induced transition weighs each count vector c by Multinomial(c; k, μ), written as a chain
// of binomials c_i ~ Binom(k − c_0 − … − c_{i−1}, q_i) with q_i = μ_i / (μ_i + … + μ_{L−1}).
namespace EdgeMarl.Host.Training;

/// <summary>The tables <c>Binom(v; r, q_i)</c> for every <c>i &lt; L − 1</c> and <c>v ≤ r ≤ k</c> under one <c>μ(·|s_g)</c>.</summary>
internal static class ConditionalBinomials
{
    /// <summary>
    /// Fills <paramref name="binomial"/> (<c>[i][r][v]</c>, <c>(L − 1)·(k + 1)²</c> entries) by Pascal's rule: convex
    /// combinations only, so no overflow and no <c>pow</c>; negative <c>μ</c> entries count as 0.
    /// </summary>
    /// <param name="mu"><c>μ(·|s_g)</c>; its first <paramref name="l"/> entries are read.</param>
    /// <param name="l">The local states <c>L</c>.</param>
    /// <param name="k">The sample size.</param>
    /// <param name="binomial">Caller-owned tables, overwritten.</param>
    public static void Fill(ReadOnlySpan<double> mu, int l, int k, double[] binomial)
    {
        int width = k + 1;
        double tail = 0;
        for (int i = l - 1; i >= 0; i--)
        {
            tail += mu[i] > 0 ? mu[i] : 0;
            if (i == l - 1)
            {
                continue;
            }

            double q = tail > 0 ? Math.Max(0, mu[i]) / tail : 0;
            Span<double> table = binomial.AsSpan(i * width * width, width * width);
            table.Clear();
            table[0] = 1;
            for (int r = 1; r <= k; r++)
            {
                table[r * width] = table[(r - 1) * width] * (1 - q);
                for (int v = 1; v <= r; v++)
                {
                    table[(r * width) + v] = (table[((r - 1) * width) + v] * (1 - q)) + (table[((r - 1) * width) + v - 1] * q);
                }
            }
        }
    }
}
