using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>Games for training tests: random tiny games from a seed, and a test-only copy of zones (docs/reference-benchmark.md).</summary>
internal static class TestGames
{
    /// <summary>The library's random game (one generator: RandomGame.Create).</summary>
    public static Game Random(ulong seed, int g = 2, int ag = 2, int l = 2, int al = 2, int n = 10, double gamma = 0.9) =>
        RandomGame.Create(seed, g, ag, l, al, n, gamma);

    /// <summary>The built-in zones game (docs/reference-benchmark.md).</summary>
    public static Game Zones() => ZonesGame.Create();

    public static double[] UniformLocalPolicy(Game game) =>
        Enumerable.Repeat(1.0 / game.LocalActions, game.GlobalStates * game.LocalStates * game.LocalActions).ToArray();

    public static double[] RandomLocalPolicy(Game game, ulong seed) =>
        Stochastic(new Pcg32(seed, 11), game.GlobalStates * game.LocalStates, game.LocalActions);

    private static double[] Stochastic(Pcg32 rng, int rows, int width)
    {
        var table = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int i = 0; i < width; i++)
            {
                table[(r * width) + i] = 0.05 + rng.NextUnitDouble();
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
