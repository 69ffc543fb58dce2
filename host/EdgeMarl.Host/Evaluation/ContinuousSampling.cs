using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Normal, gamma and Dirichlet variates from a <see cref="Pcg32"/>, used only for the initial state of a rollout
/// (docs/reference-benchmark.md: <c>p ~ Dirichlet(α)</c>). Host-only: floating point and <see cref="Math.Log(double)"/>.
/// </summary>
/// <remarks>
/// Draw order (each "double" is one <see cref="Pcg32.NextUnitDouble"/>, i.e. two 32-bit draws):
/// <list type="bullet">
/// <item>normal: Box–Muller, cosine branch only: <c>u₁ = 1 − double</c>, <c>u₂ = double</c>,
/// <c>z = √(−2 ln u₁) · cos(2π u₂)</c>.</item>
/// <item>gamma(α ≥ 1): Marsaglia &amp; Tsang (2000): repeat {normal <c>x</c> until <c>v = 1 + c x &gt; 0</c>;
/// <c>u = 1 − double</c>; accept on the squeeze or the log test}.</item>
/// <item>gamma(α &lt; 1): <c>gamma(α + 1) · U^{1/α}</c>, <c>U = double</c> drawn after the gamma(α + 1).</item>
/// <item>Dirichlet: gamma(α_j) for <c>j = 0 … L−1</c> in order, normalised; if every one underflowed to 0, all are drawn again.</item>
/// </list>
/// </remarks>
public static class ContinuousSampling
{
    /// <summary>Returns a standard normal variate (Box–Muller, two doubles).</summary>
    /// <param name="rng">Generator to draw from.</param>
    /// <returns>A draw from <c>N(0, 1)</c>.</returns>
    public static double Normal(Pcg32 rng)
    {
        double u1 = 1.0 - rng.NextUnitDouble();
        double u2 = rng.NextUnitDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Returns a <c>Gamma(shape, 1)</c> variate.</summary>
    /// <param name="rng">Generator to draw from.</param>
    /// <param name="shape">Shape <c>α &gt; 0</c>.</param>
    /// <returns>A draw from <c>Gamma(α, 1)</c>.</returns>
    public static double Gamma(Pcg32 rng, double shape)
    {
        if (shape < 1.0)
        {
            double g = Gamma(rng, shape + 1.0);
            return g * Math.Pow(rng.NextUnitDouble(), 1.0 / shape);
        }

        double d = shape - (1.0 / 3.0);
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x;
            double v;
            do
            {
                x = Normal(rng);
                v = 1.0 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            double u = 1.0 - rng.NextUnitDouble();
            double x2 = x * x;
            if (u < 1.0 - (0.0331 * x2 * x2))
            {
                return d * v;
            }

            if (Math.Log(u) < (0.5 * x2) + (d * (1.0 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    /// <summary>Writes <c>p ~ Dirichlet(α)</c> into <paramref name="p"/>.</summary>
    /// <param name="rng">Generator to draw from.</param>
    /// <param name="alpha">Concentrations, each positive.</param>
    /// <param name="p">Caller-owned output, same length as <paramref name="alpha"/>.</param>
    public static void Dirichlet(Pcg32 rng, ReadOnlySpan<double> alpha, Span<double> p)
    {
        while (true)
        {
            double total = 0;
            for (int j = 0; j < alpha.Length; j++)
            {
                p[j] = Gamma(rng, alpha[j]);
                total += p[j];
            }

            if (total > 0)
            {
                for (int j = 0; j < alpha.Length; j++)
                {
                    p[j] /= total;
                }

                return;
            }
        }
    }
}
