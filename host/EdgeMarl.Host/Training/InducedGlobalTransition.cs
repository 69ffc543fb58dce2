// docs/design.md §2 L-step: the global state moves by P̃_g(s_g'|s_g) = E_{c ~ Multinomial(k, μ(·|s_g))} P_g(s_g'|s_g, π_g(s_g,c)).
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training;

/// <summary>The global transition a robot sees when the gateway follows π_g on count vectors drawn from the mean field.</summary>
internal static class InducedGlobalTransition
{
    /// <summary>Returns P̃_g, flat <c>[s_g, s_g']</c>.</summary>
    /// <param name="game">The game.</param>
    /// <param name="globalActions">π_g for k, flat <c>[rank(c)·|S_g| + s_g]</c> (G-step layout).</param>
    /// <param name="ranker">Ranks count vectors of sum k.</param>
    /// <param name="k">Sample size.</param>
    /// <param name="meanField">μ(s_l|s_g), flat <c>[s_g, s_l]</c>.</param>
    /// <param name="mode">Sampled (seeded draws) or exact (sum over all c).</param>
    /// <param name="draws">Draws per s_g when sampled.</param>
    /// <param name="seed">Seed when sampled; s_g uses <c>DeriveSeed(seed, s_g)</c>.</param>
    public static double[] Compute(Game game, byte[] globalActions, CountRanker ranker, int k, double[] meanField, InducedTransition mode, int draws, ulong seed)
    {
        int g = game.GlobalStates, l = game.LocalStates;
        var induced = new double[g * g];
        CountSpace? space = mode == InducedTransition.Exact ? CountSpace.Build(ranker, k) : null;
        double[] logFactorial = ExactNextCounts.LogFactorials(k);
        var mu = new double[l];
        var counts = new int[l];
        var rng = new Pcg32(0);
        for (int sg = 0; sg < g; sg++)
        {
            Array.Copy(meanField, sg * l, mu, 0, l);
            if (space != null)
            {
                double[] pmf = Multinomial.Pmf(space, mu, logFactorial);
                for (int c = 0; c < space.Size; c++)
                {
                    if (pmf[c] > 0)
                    {
                        AddRow(game, sg, globalActions[(c * g) + sg], pmf[c], induced); // Σ_c P(c) P_g(·|s_g, π_g(s_g,c))
                    }
                }
            }
            else
            {
                double[] cumulative = Multinomial.Cumulative(mu, 0, l);
                rng.Reseed(Pcg32.DeriveSeed(seed, (ulong)sg), 0);
                for (int d = 0; d < draws; d++)
                {
                    Multinomial.Draw(rng, k, cumulative, counts);
                    AddRow(game, sg, globalActions[(ranker.Rank(counts, 0, k) * g) + sg], 1.0 / draws, induced); // (1/m) Σ_d P_g(·|s_g, π_g(s_g,c_d))
                }
            }
        }

        return induced;
    }

    private static void AddRow(Game game, int sg, int action, double weight, double[] induced)
    {
        int g = game.GlobalStates;
        for (int s2 = 0; s2 < g; s2++)
        {
            induced[(sg * g) + s2] += weight * game.GlobalTransition[game.GlobalTransitionIndex(sg, action, s2)];
        }
    }
}
