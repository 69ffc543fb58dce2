// docs/design.md §2 L-step: μ, the mean-field distribution of robot states from which the gateway's sample is drawn.
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Training;

/// <summary>Estimates of μ, always returned conditioned on s_g as a flat <c>[s_g, s_l]</c> table (rows equal when unconditional).</summary>
internal static class MeanField
{
    /// <summary>The fixed point's stopping rule: ‖F(μ) − μ‖∞ below this.</summary>
    private const double Converged = 1e-12;

    /// <summary>The differences of iterates Anderson mixing combines (docs/design.md "Mean field": 10 takes the early rounds at
    /// k = 50 from 31–44 full P̃_g sums to 13–14; 4 to 14–20; more than 10 buys nothing).</summary>
    public const int AndersonDepth = 10;

    /// <summary>
    /// Reference: μ ← normalise(Σ_{s_l} μ(s_l)·(1/|S_g|) Σ_{s_g} P̄_l(·|s_l,s_g)), <paramref name="iterations"/> times from uniform.
    /// Treats s_g as uniform and independent of the robots.
    /// </summary>
    public static double[] Reference(LocalMarginals marginals, int iterations)
    {
        int g = marginals.GlobalStates, l = marginals.LocalStates;
        var mu = new double[l];
        Array.Fill(mu, 1.0 / l);
        var next = new double[l];
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(next);
            for (int s = 0; s < l; s++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    for (int s2 = 0; s2 < l; s2++)
                    {
                        next[s2] += mu[s] / g * marginals.P(sg, s, s2); // μ'(s') += μ(s)·(1/|S_g|)·P̄_l(s'|s,s_g)
                    }
                }
            }

            double sum = next.Sum();
            if (sum > 0)
            {
                for (int s = 0; s < l; s++)
                {
                    mu[s] = next[s] / sum;
                }
            }
        }

        return Broadcast(mu, g);
    }

    /// <summary>
    /// Stationary: the law of one robot and the gateway as a joint chain on (s_g, s_l):
    /// s_g' ~ P̃_g(·|s_g) (induced by π_g on c ~ Multinomial(k, μ)), s_l' ~ P̄_l(·|s_l,s_g). μ and P̃_g depend on each other,
    /// so solve the fixed point μ = F(μ) of μ → P̃_g → stationary law (up to config.MeanFieldIterations evaluations of F, from the
    /// reference μ, Anderson-mixed) until ‖F(μ) − μ‖∞ &lt; 1e−12, and return that F(μ).
    /// <paramref name="conditional"/>: μ(·|s_g) = stationary(s_g, ·)/stationary(s_g); otherwise its s_l-marginal for every s_g.
    /// </summary>
    public static double[] Stationary(Game game, LocalMarginals marginals, byte[] globalActions, CountRanker ranker, int k, TrainingConfig config, ulong seed, bool conditional) =>
        Stationary(game, marginals, globalActions, ranker, k, config, seed, conditional, out _);

    /// <summary>As <see cref="Stationary(Game, LocalMarginals, byte[], CountRanker, int, TrainingConfig, ulong, bool)"/>, also
    /// returning the iterations of the fixed point it ran.</summary>
    public static double[] Stationary(Game game, LocalMarginals marginals, byte[] globalActions, CountRanker ranker, int k, TrainingConfig config, ulong seed, bool conditional, out int iterations) =>
        Stationary(game, marginals, globalActions, ranker, k, config, seed, conditional, AndersonDepth, null, out iterations);

    /// <summary>As <see cref="Stationary(Game, LocalMarginals, byte[], CountRanker, int, TrainingConfig, ulong, bool, out int)"/>
    /// with Anderson mixing of depth <paramref name="andersonDepth"/> (0: the plain iteration μ ← F(μ)) and π_g's runs of equal
    /// action (<paramref name="runs"/>, or null to find them here when the induced transition is exact and |S_l| ≥ 3).</summary>
    internal static double[] Stationary(Game game, LocalMarginals marginals, byte[] globalActions, CountRanker ranker, int k, TrainingConfig config, ulong seed, bool conditional, int andersonDepth, ActionRuns? runs, out int iterations)
    {
        if (runs is null && config.InducedGlobal == InducedTransition.Exact && game.LocalStates >= 3)
        {
            runs = ActionRuns.Build(globalActions, game.GlobalStates, game.LocalStates, k); // π_g is the same for every evaluation of F
        }

        int g = game.GlobalStates, l = game.LocalStates;
        double[] mu = Reference(marginals, config.MeanFieldIterations);
        var joint = new double[g * l];
        ParallelOptions parallel = config.ParallelOptions();
        AndersonMixing? acceleration = andersonDepth > 0 ? new AndersonMixing(mu.Length, andersonDepth) : null;
        iterations = 0;
        for (int outer = 0; outer < config.MeanFieldIterations; outer++)
        {
            double[] induced = InducedGlobalTransition.Compute(game, globalActions, ranker, k, mu, config.InducedGlobal, config.InducedDraws, seed, parallel, runs);
            iterations = outer + 1;
            StationaryJoint(induced, marginals, joint);
            double[] updated = conditional ? Conditional(joint, g, l) : Broadcast(Marginal(joint, g, l), g);
            double moved = 0;
            for (int i = 0; i < mu.Length; i++)
            {
                moved = Math.Max(moved, Math.Abs(updated[i] - mu[i]));
            }

            if (moved < Converged)
            {
                mu = updated; // F(μ) with ‖F(μ) − μ‖∞ < 1e−12: the fixed point's residual, whatever path led to μ
                break;
            }

            mu = acceleration is not null && outer + 1 < config.MeanFieldIterations ? acceleration.Next(mu, updated, g, l) : updated;
        }

        return mu;
    }

    /// <summary>
    /// The stationary law of the joint chain P((s_g,s_l) → (s_g',s_l')) = P̃_g(s_g'|s_g)·P̄_l(s_l'|s_l,s_g), solved exactly:
    /// π(I − P) = 0 with Σ π = 1 (one equation replaced by the normalisation), Gaussian elimination with partial pivoting.
    /// </summary>
    internal static void StationaryJoint(double[] induced, LocalMarginals marginals, double[] joint)
    {
        int g = marginals.GlobalStates, l = marginals.LocalStates, n = g * l;
        var a = new double[n * (n + 1)]; // rows = equations for π(j), augmented column n
        int width = n + 1;
        for (int sg = 0; sg < g; sg++)
        {
            for (int s = 0; s < l; s++)
            {
                int from = (sg * l) + s;
                for (int g2 = 0; g2 < g; g2++)
                {
                    for (int s2 = 0; s2 < l; s2++)
                    {
                        int to = (g2 * l) + s2;
                        a[(to * width) + from] += induced[(sg * g) + g2] * marginals.P(sg, s, s2); // Σ_i π(i) P(i→j)
                    }
                }
            }
        }

        for (int j = 0; j < n; j++)
        {
            a[(j * width) + j] -= 1; // (Pᵀ − I) π = 0
        }

        for (int i = 0; i < n; i++)
        {
            a[((n - 1) * width) + i] = 1; // replace the last equation by Σ π = 1
        }

        a[((n - 1) * width) + n] = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[(r * width) + col]) > Math.Abs(a[(pivot * width) + col]))
                {
                    pivot = r;
                }
            }

            if (pivot != col)
            {
                for (int c = 0; c < width; c++)
                {
                    (a[(col * width) + c], a[(pivot * width) + c]) = (a[(pivot * width) + c], a[(col * width) + c]);
                }
            }

            double d = a[(col * width) + col];
            if (Math.Abs(d) < 1e-300)
            {
                continue; // reducible chain: this π component stays as solved by the others (not unique)
            }

            for (int r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                double f = a[(r * width) + col] / d;
                if (f == 0)
                {
                    continue;
                }

                for (int c = col; c < width; c++)
                {
                    a[(r * width) + c] -= f * a[(col * width) + c];
                }
            }
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double d = a[(i * width) + i];
            joint[i] = Math.Abs(d) < 1e-300 ? 0 : Math.Max(0, a[(i * width) + n] / d);
            sum += joint[i];
        }

        for (int i = 0; i < n; i++)
        {
            joint[i] = sum > 0 ? joint[i] / sum : 1.0 / n;
        }
    }

    private static double[] Marginal(double[] joint, int g, int l)
    {
        var mu = new double[l];
        for (int sg = 0; sg < g; sg++)
        {
            for (int s = 0; s < l; s++)
            {
                mu[s] += joint[(sg * l) + s];
            }
        }

        double sum = mu.Sum();
        for (int s = 0; s < l; s++)
        {
            mu[s] /= sum;
        }

        return mu;
    }

    private static double[] Conditional(double[] joint, int g, int l)
    {
        double[] marginal = Marginal(joint, g, l);
        var mu = new double[g * l];
        for (int sg = 0; sg < g; sg++)
        {
            double mass = 0;
            for (int s = 0; s < l; s++)
            {
                mass += joint[(sg * l) + s];
            }

            for (int s = 0; s < l; s++)
            {
                // A global state the chain never visits gets the marginal (its row is never used at stationarity anyway).
                mu[(sg * l) + s] = mass > 1e-300 ? joint[(sg * l) + s] / mass : marginal[s];
            }
        }

        return mu;
    }

    private static double[] Broadcast(double[] mu, int g)
    {
        int l = mu.Length;
        var table = new double[g * l];
        for (int sg = 0; sg < g; sg++)
        {
            Array.Copy(mu, 0, table, sg * l, l);
        }

        return table;
    }
}

