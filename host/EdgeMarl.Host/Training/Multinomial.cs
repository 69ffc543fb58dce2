// docs/design.md §2: count vectors of k independent robots are multinomial (G-step exact mode; L-step c ~ Multinomial(k, μ)).
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training;

/// <summary>Multinomial probabilities over a <see cref="CountSpace"/> and seeded multinomial draws.</summary>
internal static class Multinomial
{
    private const double TwoToMinus32 = 1.0 / 4294967296.0;

    /// <summary>Returns P(c) = k!/Π c_i! · Π p_i^{c_i} for every c in <paramref name="space"/>, in rank order.</summary>
    public static double[] Pmf(CountSpace space, double[] p, double[] logFactorial)
    {
        int l = space.LocalStates;
        var result = new double[space.Size];
        for (int r = 0; r < space.Size; r++)
        {
            double log = logFactorial[space.K];
            bool possible = true;
            for (int i = 0; i < l; i++)
            {
                int ci = space.Counts[(r * l) + i];
                if (ci == 0)
                {
                    continue;
                }

                if (p[i] <= 0)
                {
                    possible = false;
                    break;
                }

                log += (ci * Math.Log(p[i])) - logFactorial[ci];
            }

            result[r] = possible ? Math.Exp(log) : 0;
        }

        return result;
    }

    /// <summary>Draws c ~ Multinomial(k, p) as k categorical draws by inversion (one 32-bit draw each) into <paramref name="counts"/>.</summary>
    public static void Draw(Pcg32 rng, int k, double[] cumulative, int[] counts)
    {
        Array.Clear(counts);
        int last = counts.Length - 1;
        for (int t = 0; t < k; t++)
        {
            double u = rng.NextUInt32() * TwoToMinus32;
            int i = 0;
            while (i < last && u >= cumulative[i])
            {
                i++;
            }

            counts[i]++;
        }
    }

    /// <summary>Cumulative sums of <paramref name="p"/>, the last forced to 1.</summary>
    public static double[] Cumulative(double[] p, int offset, int length)
    {
        var cumulative = new double[length];
        double acc = 0;
        for (int i = 0; i < length; i++)
        {
            acc += p[offset + i];
            cumulative[i] = i == length - 1 ? 1.0 : acc;
        }

        return cumulative;
    }
}
