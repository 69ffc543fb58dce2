using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Exact binomial variates <c>Bin(n, p)</c> for a success probability fixed in advance and many trial counts
/// <c>n ≤ n_max</c>, as the composed count simulator draws them (its rows are fixed for a whole evaluation): inversion by a
/// search from the mode in order of decreasing pmf, with <c>f(mode)</c> from a log-factorial table and the row's
/// precomputed <c>log p</c>, <c>log(1−p)</c>, <c>p/(1−p)</c>. Expected work is <c>O(1 + σ)</c> steps (<c>σ² = n p (1−p)</c>)
/// instead of inversion-from-zero's <c>O(1 + n·min(p, 1−p))</c>, plus one <see cref="Math.Exp(double)"/> and no
/// <see cref="Math.Log(double)"/> per draw. Above <see cref="SearchLimit"/> it hands over to <see cref="BinomialSampler"/> (BTPE).
/// </summary>
/// <remarks>
/// The search visits the outcomes <c>m, m+1, m−1, m+2, m−2, …</c> (<c>m = ⌊(n+1)p⌋</c>; outcomes outside <c>[0, n]</c> have
/// pmf 0 and are skipped), a fixed order that depends only on <c>(n, p)</c>, and returns the first outcome at which the running sum of
/// the pmf exceeds one uniform <c>u</c> (<see cref="Pcg32.NextUnitDouble"/>): inversion of the distribution in that order,
/// so exact up to floating-point rounding. If round-off leaves <c>u</c> above the total once every outcome is visited (or the
/// tails underflow to 0), the draw starts over with a fresh uniform (a rejection, so it stays exact).
/// </remarks>
public static class ModeSearchBinomial
{
    /// <summary>Largest variance <c>n p (1−p)</c> drawn by the search; above it BTPE is cheaper (measured on zones, docs/evaluation.md).</summary>
    public const double SearchLimit = 100.0;

    /// <summary>Returns <c>ln x!</c> for <c>x = 0 … nMax</c> (compensated sums of <c>ln i</c>, so the error stays a few ulps).</summary>
    /// <param name="nMax">Largest trial count to be drawn.</param>
    /// <returns>The table, <c>nMax + 1</c> entries.</returns>
    public static double[] LogFactorials(int nMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nMax);
        var table = new double[nMax + 1];
        double sum = 0, compensation = 0;
        for (int i = 2; i <= nMax; i++)
        {
            // Kahan summation: the table's top entry is about n ln n, the terms are ln i.
            double y = Math.Log(i) - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
            table[i] = sum;
        }

        return table;
    }

    /// <summary>Returns a draw from <c>Bin(n, p)</c> (<c>p ≤ 0</c>, <c>p ≥ 1</c>, NaN and large variances go to <see cref="BinomialSampler"/>).</summary>
    /// <param name="rng">Generator to draw from.</param>
    /// <param name="n">Trials, <c>0 … logFactorial.Length − 1</c>.</param>
    /// <param name="p">Success probability.</param>
    /// <param name="logP"><c>ln p</c>.</param>
    /// <param name="logQ"><c>ln(1 − p)</c>.</param>
    /// <param name="ratio"><c>p / (1 − p)</c>.</param>
    /// <param name="logFactorial"><see cref="LogFactorials"/> of at least <paramref name="n"/>.</param>
    /// <returns>The number of successes in <c>[0, n]</c>.</returns>
    public static int Sample(Pcg32 rng, int n, double p, double logP, double logQ, double ratio, double[] logFactorial)
    {
        if (n <= 0 || !(p > 0 && p < 1) || n * p * (1.0 - p) > SearchLimit)
        {
            return BinomialSampler.Sample(rng, n, p);
        }

        // The mode ⌊(n+1)p⌋ (at most n because p < 1), its pmf and its two neighbours'.
        int mode = Math.Min((int)((n + 1) * p), n);
        double fMode = Math.Exp(logFactorial[n] - logFactorial[mode] - logFactorial[n - mode] + (mode * logP) + ((n - mode) * logQ));
        double fUpFirst = fMode * ((n - mode) * ratio / (mode + 1));
        double fDownFirst = fMode * (mode / ((n - mode + 1) * ratio));
        while (true)
        {
            double u = rng.NextUnitDouble() - fMode;
            if (u < 0)
            {
                return mode;
            }

            // Alternately one outcome up and one down. The recurrences' factors vanish past the ends (n − x = 0 at x = n,
            // x = 0 at x = 0), so an exhausted side contributes 0 and is never returned; the loop ends when both sides are 0.
            int low = mode, high = mode;
            double fUp = fUpFirst, fDown = fDownFirst;
            while (fUp + fDown > 0)
            {
                high++;
                u -= fUp;
                if (u < 0)
                {
                    return high;
                }

                low--;
                u -= fDown;
                if (u < 0)
                {
                    return low;
                }

                // f(x+1) = f(x) · (n−x)/(x+1) · p/(1−p) and f(x−1) = f(x) · x/(n−x+1) · (1−p)/p, each factor computed apart
                // from f so the divisions stay off the dependency chain. Past an end f is ±0 and stays so.
                fUp *= (n - high) * ratio / (high + 1);
                fDown *= low / ((n - low + 1) * ratio);
            }
        }
    }
}
