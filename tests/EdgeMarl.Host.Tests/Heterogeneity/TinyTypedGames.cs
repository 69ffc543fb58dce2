using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Tests.Heterogeneity;

/// <summary>Random tiny typed games and pairs from a seed (every table from <see cref="Pcg32"/>; the seed is in every message).</summary>
internal static class TinyTypedGames
{
    /// <summary>A game with <c>T = 2</c> equal-share types, <c>|S_g| = |A_g| = |S_l| = |A_l| = 2</c>, fixed initial law.</summary>
    /// <param name="seed">Seed of every table.</param>
    /// <param name="n">Fleet size.</param>
    /// <param name="sameTypes">Both types get type 0's tables (a homogeneous fleet written as two types).</param>
    public static TypedGame Create(ulong seed, int n, bool sameTypes = false)
    {
        var rng = new Pcg32(seed);
        const int g = 2, ag = 2, l = 2, al = 2;
        double[] Rows(int rows, int width)
        {
            var table = new double[rows * width];
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                for (int j = 0; j < width; j++)
                {
                    table[(r * width) + j] = 0.05 + rng.NextUnitDouble();
                    sum += table[(r * width) + j];
                }

                for (int j = 0; j < width; j++)
                {
                    table[(r * width) + j] /= sum;
                }
            }

            return table;
        }

        double[] Rewards(int count) => [.. Enumerable.Range(0, count).Select(_ => (2 * rng.NextUnitDouble()) - 1)];
        double[] pG = Rows(g * ag, g), rG = Rewards(g * ag);
        double[] p0 = Rows(l * g * al, l), r0 = Rewards(l * g * al);
        double[] p1 = sameTypes ? p0 : Rows(l * g * al, l), r1 = sameTypes ? r0 : Rewards(l * g * al);
        var template = new Game($"tiny-typed-{seed}", g, ag, l, al, pG, p0, rG, r0, 0.8, n, Rows(1, g), InitialLocalKind.Fixed, Rows(1, l));
        return new TypedGame(template, [new RobotType("a", 0.5, p0, r0), new RobotType("b", 0.5, p1, r1)]);
    }

    /// <summary>A random stochastic pair over <paramref name="localStates"/> local states (blind: |S_l|; typed: T·|S_l|) with a table for k.</summary>
    public static PolicyPair Pair(ulong seed, TypedGame game, int localStates, int k)
    {
        var rng = new Pcg32(seed, 7);
        Game b = game.Template;
        int c = new CountRanker(localStates, k).Count(k);
        int[] table = [.. Enumerable.Range(0, b.GlobalStates * c).Select(_ => (int)rng.NextBelow((uint)b.GlobalActions))];
        var policy = new double[b.GlobalStates * localStates * b.LocalActions];
        for (int row = 0; row < b.GlobalStates * localStates; row++)
        {
            double p = 0.1 + (0.8 * rng.NextUnitDouble());
            policy[row * 2] = p;
            policy[(row * 2) + 1] = 1 - p;
        }

        return new PolicyPair(b.GlobalStates, b.GlobalActions, localStates, b.LocalActions, k, k, [table], policy);
    }
}
