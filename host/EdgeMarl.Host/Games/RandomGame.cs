// A corpus of random games for properties that must hold on every game (issue 18: returns that do not fall with k).
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Games;

/// <summary>
/// Random games from a seed: every transition row <c>0.05 + U(0,1)</c> normalised (so every outcome is possible), gateway
/// rewards <c>U(0,1)</c>, robot rewards <c>U(0,2)</c>, uniform initial laws. Same seed and sizes, same game (PCG32, stream 7).
/// </summary>
public static class RandomGame
{
    /// <summary>Builds the game <c>random-SEED</c>.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="localActions"><c>|A_l|</c>.</param>
    /// <param name="n">Fleet size.</param>
    /// <param name="gamma">Discount factor.</param>
    /// <param name="sharpness">
    /// Exponent <c>p</c> of the row weights <c>(0.05 + U(0,1))^p</c>: 1 gives mild, well-mixed games (where knowing the counts is
    /// worth little), larger values nearly deterministic moves, where the gateway's information and the equilibrium matter.
    /// </param>
    /// <returns>The game.</returns>
    public static Game Create(ulong seed, int globalStates = 2, int globalActions = 2, int localStates = 2, int localActions = 2, int n = 10, double gamma = 0.9, double sharpness = 1)
    {
        int g = globalStates, ag = globalActions, l = localStates, al = localActions;
        var rng = new Pcg32(seed, 7);
        double[] pg = Stochastic(rng, g * ag, g, sharpness);
        double[] pl = Stochastic(rng, l * g * al, l, sharpness);
        var rg = new double[g * ag];
        var rl = new double[l * g * al];
        for (int i = 0; i < rg.Length; i++)
        {
            rg[i] = rng.NextUnitDouble();
        }

        for (int i = 0; i < rl.Length; i++)
        {
            rl[i] = 2 * rng.NextUnitDouble();
        }

        double[] initialGlobal = [.. Enumerable.Repeat(1.0 / g, g)];
        double[] initialLocal = [.. Enumerable.Repeat(1.0 / l, l)];
        return new Game("random-" + seed.ToString(System.Globalization.CultureInfo.InvariantCulture), g, ag, l, al, pg, pl, rg, rl, gamma, n, initialGlobal, InitialLocalKind.Fixed, initialLocal);
    }

    /// <summary>Rows of <paramref name="width"/> probabilities, each entry <c>(0.05 + U(0,1))^p</c> before normalising.</summary>
    private static double[] Stochastic(Pcg32 rng, int rows, int width, double sharpness)
    {
        var table = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int i = 0; i < width; i++)
            {
                double w = 0.05 + rng.NextUnitDouble();
                table[(r * width) + i] = sharpness == 1 ? w : Math.Pow(w, sharpness);
                sum += table[(r * width) + i];
            }

            for (int i = 0; i < width; i++)
            {
                table[(r * width) + i] /= sum;
            }
        }

        return table;
    }
}
