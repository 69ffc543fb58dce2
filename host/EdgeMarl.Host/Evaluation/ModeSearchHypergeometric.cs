using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Exact hypergeometric variates (successes among <c>t</c> items drawn without replacement from <c>M</c> items of which
/// <c>K</c> are successes) by inversion from the mode, as <see cref="ModeSearchBinomial"/>: the pmf at the mode from a
/// log-factorial table, then the outcomes <c>m, m+1, m−1, m+2, …</c> by the pmf's ratio recurrences, one uniform, a restart
/// if round-off leaves it above the total. <c>O(1 + σ)</c> steps and one <see cref="Math.Exp(double)"/> per draw, so the
/// composed count simulator's gateway sample <c>c ~ MultiHypergeometric(k*; N)</c> costs <c>|S_l| − 1</c> such draws
/// instead of <c>k*</c> uniform robots.
/// </summary>
public static class ModeSearchHypergeometric
{
    /// <summary>
    /// Writes <c>c ~ MultivariateHypergeometric(k; N)</c> (<paramref name="k"/> items without replacement from counts
    /// <c>N = population[0 .. m)</c>) by one univariate draw per kind: <c>c_j ~ Hypergeometric(k − Σ_{i&lt;j} c_i; N_j, Σ_{i≥j} N_i)</c>,
    /// the last kind taking the rest. Exact (the chain rule of the multivariate law).
    /// </summary>
    /// <param name="rng">Generator to draw from.</param>
    /// <param name="population">Counts per kind (read only).</param>
    /// <param name="m">Number of kinds.</param>
    /// <param name="k">Items to take, at most the population total.</param>
    /// <param name="logFactorial"><see cref="ModeSearchBinomial.LogFactorials"/> of at least the population total.</param>
    /// <param name="counts">Caller-owned output, <paramref name="m"/> entries summing to <paramref name="k"/>.</param>
    public static void SampleCounts(Pcg32 rng, int[] population, int m, int k, double[] logFactorial, int[] counts)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(counts);
        int left = 0;
        for (int j = 0; j < m; j++)
        {
            left += population[j];
        }

        int draws = k;
        for (int j = 0; j < m - 1; j++)
        {
            int c = Sample(rng, draws, population[j], left, logFactorial);
            counts[j] = c;
            draws -= c;
            left -= population[j];
        }

        counts[m - 1] = draws;
    }

    /// <summary>Returns a draw of the number of successes.</summary>
    /// <param name="rng">Generator to draw from.</param>
    /// <param name="t">Items drawn, <c>0 … M</c>.</param>
    /// <param name="successes">Successes in the population <c>K</c>, <c>0 … M</c>.</param>
    /// <param name="population">Population size <c>M</c>, at most <c>logFactorial.Length − 1</c>.</param>
    /// <param name="logFactorial"><see cref="ModeSearchBinomial.LogFactorials"/> of at least <paramref name="population"/>.</param>
    /// <returns>The successes drawn, in <c>[max(0, t − (M − K)), min(K, t)]</c>.</returns>
    public static int Sample(Pcg32 rng, int t, int successes, int population, double[] logFactorial)
    {
        int k = successes, failures = population - successes;
        if (t <= 0 || k <= 0)
        {
            return 0;
        }

        if (failures <= 0)
        {
            return t;
        }

        int low = Math.Max(0, t - failures), high = Math.Min(k, t);
        if (low == high)
        {
            return low;
        }

        // Mode ⌊(t+1)(K+1)/(M+2)⌋, inside the support.
        int mode = Math.Clamp((int)((double)(t + 1) * (k + 1) / (population + 2)), low, high);
        double fMode = Math.Exp(
            logFactorial[k] - logFactorial[mode] - logFactorial[k - mode]
            + logFactorial[failures] - logFactorial[t - mode] - logFactorial[failures - t + mode]
            - logFactorial[population] + logFactorial[t] + logFactorial[population - t]);

        // h(x+1)/h(x) = (K−x)(t−x) / ((x+1)(M−K−t+x+1)) and h(x−1)/h(x) = x(M−K−t+x) / ((K−x+1)(t−x+1)): each vanishes at
        // its end of the support, and the pmf stays ±0 beyond it.
        double fUpFirst = fMode * ((double)(k - mode) * (t - mode) / ((double)(mode + 1) * (failures - t + mode + 1)));
        double fDownFirst = fMode * ((double)mode * (failures - t + mode) / ((double)(k - mode + 1) * (t - mode + 1)));
        while (true)
        {
            double u = rng.NextUnitDouble() - fMode;
            if (u < 0)
            {
                return mode;
            }

            int up = mode, down = mode;
            double fUp = fUpFirst, fDown = fDownFirst;
            while (fUp + fDown > 0)
            {
                up++;
                u -= fUp;
                if (u < 0)
                {
                    return up;
                }

                down--;
                u -= fDown;
                if (u < 0)
                {
                    return down;
                }

                fUp *= (double)(k - up) * (t - up) / ((double)(up + 1) * (failures - t + up + 1));
                fDown *= (double)down * (failures - t + down) / ((double)(k - down + 1) * (t - down + 1));
            }
        }
    }
}
