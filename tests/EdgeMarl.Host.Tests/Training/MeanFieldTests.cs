using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Tests.Training;

public class MeanFieldTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void StationaryJointIsInvariantUnderTheJointChain(ulong seed)
    {
        Game game = TestGames.Random(seed, g: 3, ag: 2, l: 4, al: 2);
        var marginals = LocalMarginals.Compute(game, TestGames.RandomLocalPolicy(game, seed));
        double[] induced = TestGames.RandomLocalPolicy(TestGames.Random(seed + 100, g: 3, l: 3, al: 3), seed).Take(9).ToArray(); // any 3×3 stochastic matrix
        int g = 3, l = 4;
        var joint = new double[g * l];
        MeanField.StationaryJoint(induced, marginals, joint);

        Assert.Equal(1.0, joint.Sum(), 12);
        Assert.All(joint, p => Assert.True(p >= 0));
        for (int g2 = 0; g2 < g; g2++)
        {
            for (int s2 = 0; s2 < l; s2++)
            {
                double next = 0;
                for (int sg = 0; sg < g; sg++)
                {
                    for (int s = 0; s < l; s++)
                    {
                        next += joint[(sg * l) + s] * induced[(sg * g) + g2] * marginals.P(sg, s, s2);
                    }
                }

                Assert.Equal(joint[(g2 * l) + s2], next, 12); // π P = π
            }
        }
    }

    [Fact]
    public void ReferenceMeanFieldIsAFixedPointOfItsRecursionAfterManyIterations()
    {
        Game game = TestGames.Random(4, g: 3, ag: 2, l: 4, al: 2);
        var marginals = LocalMarginals.Compute(game, TestGames.RandomLocalPolicy(game, 4));
        double[] mu = MeanField.Reference(marginals, 2000);
        for (int s2 = 0; s2 < 4; s2++)
        {
            double next = 0;
            for (int s = 0; s < 4; s++)
            {
                for (int sg = 0; sg < 3; sg++)
                {
                    next += mu[s] / 3 * marginals.P(sg, s, s2);
                }
            }

            Assert.Equal(mu[s2], next, 12);
            Assert.Equal(mu[s2], mu[(2 * 4) + s2]); // same row for every s_g
        }
    }

    [Theory]
    [InlineData(1UL, true)]
    [InlineData(2UL, true)]
    [InlineData(3UL, false)]
    [InlineData(4UL, true)]
    public void AndersonMixingReachesThePlainIterationsFixedPoint(ulong seed, bool conditional)
    {
        const int k = 6;
        Game game = TestGames.Random(seed, g: 3, ag: 3, l: 4, al: 3);
        double[] pi = TestGames.RandomLocalPolicy(game, seed);
        byte[] actions = new GStep(game, new TrainingConfig { K = k }).Solve(pi, k, 0).Actions;
        var marginals = LocalMarginals.Compute(game, pi);
        var ranker = new CountRanker(game.LocalStates, k);
        var config = new TrainingConfig { K = k, InducedGlobal = InducedTransition.Exact, MeanFieldIterations = 5000 };

        double[] plain = MeanField.Stationary(game, marginals, actions, ranker, k, config, 0, conditional, 0, null, out int plainIterations);
        double[] mixed = MeanField.Stationary(game, marginals, actions, ranker, k, config, 0, conditional, MeanField.AndersonDepth, null, out int mixedIterations);

        Assert.True(plainIterations < config.MeanFieldIterations, "the plain iteration converged");
        Assert.True(mixedIterations < config.MeanFieldIterations, "the mixed iteration converged");
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.Equal(plain[i], mixed[i], 10); // both stop at ‖F(μ) − μ‖∞ < 1e−12 on the same fixed point
        }

        // μ is the fixed point: the joint chain under P̃_g(μ) has μ as its conditional law.
        double[] induced = InducedGlobalTransition.Compute(game, actions, ranker, k, mixed, InducedTransition.Exact, 0, 0);
        var joint = new double[game.GlobalStates * game.LocalStates];
        MeanField.StationaryJoint(induced, marginals, joint);
        int g = game.GlobalStates, l = game.LocalStates;
        for (int sg = 0; sg < g; sg++)
        {
            double row = joint.Skip(sg * l).Take(l).Sum();
            for (int s = 0; s < l; s++)
            {
                double expected = conditional ? joint[(sg * l) + s] / row : Enumerable.Range(0, g).Sum(h => joint[(h * l) + s]);
                Assert.Equal(expected, mixed[(sg * l) + s], 11);
            }
        }
    }

    [Fact]
    public void StationaryMeanFieldIsTheSameBitsOnOneAndTwoThreads()
    {
        const int k = 45; // |S_g|·|C_k| = 3·17,296 rows: the induced transition takes its parallel path on two threads
        Game game = TestGames.Random(7, g: 3, ag: 3, l: 4, al: 3);
        double[] pi = TestGames.RandomLocalPolicy(game, 7);
        byte[] actions = new GStep(game, new TrainingConfig { K = k }).Solve(pi, k, 0).Actions;
        var marginals = LocalMarginals.Compute(game, pi);
        var ranker = new CountRanker(game.LocalStates, k);
        var config = new TrainingConfig { K = k, InducedGlobal = InducedTransition.Exact };

        double[] one = MeanField.Stationary(game, marginals, actions, ranker, k, config with { Threads = 1 }, 0, true, out int oneIterations);
        double[] two = MeanField.Stationary(game, marginals, actions, ranker, k, config with { Threads = 2 }, 0, true, out int twoIterations);

        Assert.Equal(oneIterations, twoIterations);
        Assert.Equal(one, two); // bit for bit
    }
}
