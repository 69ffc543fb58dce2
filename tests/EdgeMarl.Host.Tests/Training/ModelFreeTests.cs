using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Training;
using EdgeMarl.Host.Training.ModelFree;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Tests.Training;

public class ModelFreeTests
{
    [Fact]
    public void TableSimulatorDrawsMatchTheTablesAndRewards()
    {
        Game game = TestGames.Random(41, g: 3, ag: 2, l: 3, al: 2, n: 6);
        using var simulator = new TableGameSimulator(game);
        const int n = 60_000;
        var rng = new Pcg32(3);
        int[] sg = new int[n], ag = new int[n], next = new int[n];
        uint[] u = new uint[n];
        double[] reward = new double[n];
        for (int i = 0; i < n; i++)
        {
            (sg[i], ag[i], u[i]) = (1, 0, rng.NextUInt32());
        }

        simulator.StepGlobal(sg, ag, u, next, reward);
        for (int s2 = 0; s2 < 3; s2++)
        {
            double p = game.GlobalTransition[game.GlobalTransitionIndex(1, 0, s2)];
            double frequency = next.Count(x => x == s2) / (double)n;
            Assert.True(Math.Abs(frequency - p) < 5 * Math.Sqrt(p * (1 - p) / n) + 1e-9, $"P_g(s'={s2}|1,0) = {p}, frequency {frequency}");
        }

        Assert.All(reward, r => Assert.Equal(game.GlobalRewardAt(1, 0), r));
        var local = new int[1];
        var localReward = new double[1];
        simulator.StepLocal([2], [1], [1], [0u], local, localReward);
        Assert.Equal(game.LocalReward[game.LocalRewardIndex(2, 1, 1)], localReward[0]);
    }

    [Fact]
    public void QLearningGStepConvergesToTheExactGStepAsSamplesGrow()
    {
        Game game = TestGames.Random(42, g: 2, ag: 2, l: 2, al: 2, n: 6);
        double[] policy = TestGames.RandomLocalPolicy(game, 5);
        SampleComplexityPoint few = SampleComplexity.GStep(game, policy, 3, 20, 1);
        SampleComplexityPoint many = SampleComplexity.GStep(game, policy, 3, 2000, 1);

        Assert.True(many.MaxQError < few.MaxQError / 3, $"max |Q − Q*|: {few.MaxQError} with 20 updates, {many.MaxQError} with 2000");
        Assert.True(many.MaxQError < 0.1 * (1 / (1 - game.Gamma)), $"max |Q − Q*| = {many.MaxQError} after 2000 updates per pair");
    }

    [Fact]
    public void EpsilonGreedyGStepAlongTrajectoriesConvergesToTheExactGStepAsSamplesGrow()
    {
        // Asynchronous Q-learning along simulated trajectories (exploring starts, ε from 1 to 0.05): no pair is sampled on
        // demand, so this checks the exploration reaches every (s_g, c, a_g) often enough for Q to converge.
        Game game = TestGames.Random(42, g: 2, ag: 2, l: 2, al: 2, n: 6);
        double[] policy = TestGames.RandomLocalPolicy(game, 5);
        SampleComplexityPoint few = SampleComplexity.GStep(game, policy, 3, 20, 1, SampleExploration.EpsilonGreedy);
        SampleComplexityPoint many = SampleComplexity.GStep(game, policy, 3, 2000, 1, SampleExploration.EpsilonGreedy);
        SampleComplexityPoint again = SampleComplexity.GStep(game, policy, 3, 2000, 1, SampleExploration.EpsilonGreedy);

        Assert.True(many.MaxQError < few.MaxQError / 3, $"max |Q − Q*|: {few.MaxQError} with 20 transitions per pair, {many.MaxQError} with 2000");
        Assert.True(many.MaxQError < 0.1 * (1 / (1 - game.Gamma)), $"max |Q − Q*| = {many.MaxQError} after 2000 transitions per pair");
        Assert.Equal(1.0, many.PolicyAgreement);
        Assert.Equal(many.MaxQError, again.MaxQError); // deterministic for a seed
        Assert.Equal(few.Samples * 100, many.Samples); // the budget is T × pairs transitions
    }

    [Fact]
    public void EpsilonGreedyLStepAlongTrajectoriesConvergesToTheModelBasedLStepAsSamplesGrow()
    {
        Game game = TinyGame.Create();
        double[] policy = TestGames.UniformLocalPolicy(game);
        SampleComplexityPoint few = SampleComplexity.LStep(game, policy, 2, 10, 1, SampleExploration.EpsilonGreedy);
        SampleComplexityPoint many = SampleComplexity.LStep(game, policy, 2, 1000, 1, SampleExploration.EpsilonGreedy);

        Assert.True(many.MaxQError < few.MaxQError / 3, $"max |Q − Q*|: {few.MaxQError} with 10 transitions per pair, {many.MaxQError} with 1000");
        Assert.Equal(1.0, many.PolicyAgreement);
    }

    [Fact]
    public void SampledLStepConvergesToTheModelBasedLStepAsSamplesGrow()
    {
        Game game = TinyGame.Create();
        double[] policy = TestGames.UniformLocalPolicy(game);
        SampleComplexityPoint few = SampleComplexity.LStep(game, policy, 2, 10, 1);
        SampleComplexityPoint many = SampleComplexity.LStep(game, policy, 2, 1000, 1);

        Assert.True(many.MaxQError < few.MaxQError / 3, $"max |Q − Q*|: {few.MaxQError} with 10 updates, {many.MaxQError} with 1000");
        Assert.Equal(1.0, many.PolicyAgreement);
    }

    [Fact]
    public void ModelFreeTrainingIsDeterministicWhateverTheThreadCountAndRecordsItsSamples()
    {
        Game game = TinyGame.Create();
        TrainingConfig config = TrainingConfig.ReferenceCompatible(2) with { Seed = 5, QuickRollouts = 2, QuickHorizon = 5, ModelFree = new ModelFreeSettings { GSamplesPerPair = 20, LSamplesPerPair = 50, MeanFieldSteps = 100 } };
        TrainingResult one = AlternatingMarl.Train(game, config with { Threads = 1 }, new SimpleRolloutEvaluator());
        TrainingResult two = AlternatingMarl.Train(game, config with { Threads = 2 }, new SimpleRolloutEvaluator());
        TrainingResult other = AlternatingMarl.Train(game, config with { Seed = 6 }, new SimpleRolloutEvaluator());

        Assert.Equal(one.Record.ToJson(includeTimings: false), two.Record.ToJson(includeTimings: false));
        Assert.NotEqual(one.Record.ToJson(includeTimings: false), other.Record.ToJson(includeTimings: false));
        Assert.NotNull(one.Record.Simulator);
        Assert.True(one.Record.Simulator!.GlobalSamples > 0 && one.Record.Simulator.LocalSamples > 0);
        Assert.NotEqual(config.ConfigHash(), (config with { ModelFree = null }).ConfigHash());
        Assert.Contains("\"modelFree\":{", config.ToCanonicalJson());
        Assert.DoesNotContain("modelFree", (config with { ModelFree = null }).ToCanonicalJson()); // model-based hashes unchanged
    }

    [Fact]
    public void OnTinyTheExactGapOfTheLearnedPairFallsToTheModelBasedPairsAsSamplesGrow()
    {
        Game game = TinyGame.Create();
        const int k = 2;
        TrainingConfig config = TrainingConfig.Default(k) with { Threads = 1, QuickRollouts = 20 };
        var evaluator = new SimpleRolloutEvaluator();
        double model = ExactNashGap.Compute(game, AlternatingMarl.Train(game, config, evaluator).Policies, k).Epsilon;
        double Gap(int budget) => ExactNashGap.Compute(
            game,
            AlternatingMarl.Train(game, config with { ModelFree = new ModelFreeSettings { GSamplesPerPair = budget, LSamplesPerPair = budget, MeanFieldSteps = 200 } }, evaluator).Policies,
            k).Epsilon;
        double small = Gap(1), large = Gap(16);

        Assert.True(small > model + 0.1, $"1 update per pair should be far from equilibrium: ε = {small}, model-based {model}");
        Assert.True(large <= model + 1e-6, $"16 updates per pair: ε = {large}, model-based {model}");
    }
}
