using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Tests.Training;

public class InducedGlobalTransitionTests
{
    [Theory]
    [InlineData(1UL, 1, 4)]
    [InlineData(2UL, 2, 7)]
    [InlineData(3UL, 3, 9)]
    [InlineData(4UL, 4, 8)]
    [InlineData(5UL, 5, 7)]
    [InlineData(6UL, 5, 1)]
    [InlineData(7UL, 6, 5)]
    public void ExactTransitionIsTheSumOverEveryCountVector(ulong seed, int l, int k)
    {
        const int g = 3, ag = 4;
        Game game = TestGames.Random(seed, g: g, ag: ag, l: l, al: 2);
        var ranker = new CountRanker(l, k);
        int count = ranker.Count(k);
        var random = new Random((int)seed);
        var actions = new byte[count * g];
        for (int rank = 0; rank < count; rank++)
        {
            byte run = (byte)random.Next(ag);
            for (int sg = 0; sg < g; sg++)
            {
                actions[(rank * g) + sg] = random.Next(4) == 0 ? (byte)random.Next(ag) : run; // runs and single changes
            }
        }

        var mu = new double[g * l];
        for (int sg = 0; sg < g; sg++)
        {
            double sum = 0;
            for (int s = 0; s < l; s++)
            {
                mu[(sg * l) + s] = l > 1 && s == Math.Max(0, l - 4) && sg == 1 ? 0 : l > 1 && s == l - 1 && sg == 2 ? 1e-9 : random.NextDouble(); // a zero (the last head entry: heads skipped mid-way) and a tiny entry
                sum += mu[(sg * l) + s];
            }

            for (int s = 0; s < l; s++)
            {
                mu[(sg * l) + s] /= sum;
            }
        }

        double[] exact = InducedGlobalTransition.Compute(game, actions, ranker, k, mu, InducedTransition.Exact, 0, 0);

        var expected = new double[g * g];
        var c = new int[l];
        for (int rank = 0; rank < count; rank++)
        {
            ranker.Unrank(rank, k, c, 0);
            for (int sg = 0; sg < g; sg++)
            {
                double log = LogFactorial(k);
                for (int s = 0; s < l; s++)
                {
                    log -= LogFactorial(c[s]);
                    log += c[s] == 0 ? 0 : c[s] * Math.Log(mu[(sg * l) + s]);
                }

                double p = Math.Exp(log); // Multinomial(c; k, μ(·|s_g))
                for (int g2 = 0; g2 < g; g2++)
                {
                    expected[(sg * g) + g2] += p * game.GlobalTransition[game.GlobalTransitionIndex(sg, actions[(rank * g) + sg], g2)];
                }
            }
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - exact[i]) < 1e-13, $"P̃_g[{i}] = {exact[i]}, sum over every c = {expected[i]}");
        }

        if (l >= 3)
        {
            ActionRuns runs = ActionRuns.Build(actions, g, l, k);
            Assert.Equal(exact, InducedGlobalTransition.Compute(game, actions, ranker, k, mu, InducedTransition.Exact, 0, 0, null, runs)); // runs found once: same bits
        }
    }

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (int i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
