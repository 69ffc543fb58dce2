using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Tests.Evaluation;

public class DeterminismTests
{
    public static TheoryData<string> Evaluators => ["robot", "count", "composed"];

    [Theory]
    [MemberData(nameof(Evaluators))]
    public void Same_seed_gives_identical_results_on_one_and_two_threads(string kind)
    {
        Game game = TinyGames.Random(8, 3, 3, 4, 3, 60, InitialLocalKind.Dirichlet);
        var policies = TinyGames.RandomPolicies(9, game, 4);
        var settings = new EvaluationSettings(4, 15, 7, 5, 42);
        EvaluationResult one = Make(kind, 1).Evaluate(game, policies, settings);
        EvaluationResult two = Make(kind, 2).Evaluate(game, policies, settings);
        EvaluationResult again = Make(kind, -1).Evaluate(game, policies, settings);
        Assert.Equal(one.PerSeedMeans, two.PerSeedMeans);
        Assert.Equal(one.PerSeedMeans, again.PerSeedMeans);
        Assert.Equal(one.Mean, two.Mean);
        Assert.Equal(one.StdOverSeeds, two.StdOverSeeds);
        Assert.Equal(5L * 7 * 15 * 60, one.RobotSteps);

        EvaluationResult otherSeed = Make(kind, 2).Evaluate(game, policies, settings with { Seed = 43 });
        Assert.NotEqual(one.PerSeedMeans, otherSeed.PerSeedMeans);
    }

    [Fact]
    public void Mean_and_std_are_the_mean_and_population_std_of_the_per_seed_means()
    {
        Game game = TinyGames.Random(8, 3, 3, 4, 3, 20);
        var policies = TinyGames.RandomPolicies(9, game, 2);
        EvaluationResult r = new RobotLevelEvaluator().Evaluate(game, policies, new EvaluationSettings(2, 10, 3, 6, 1));
        double mean = r.PerSeedMeans.Average();
        Assert.Equal(mean, r.Mean, 12);
        Assert.Equal(Math.Sqrt(r.PerSeedMeans.Select(m => (m - mean) * (m - mean)).Sum() / 6), r.StdOverSeeds, 12);
    }

    [Fact]
    public void Seed_index_and_rollout_index_select_the_rollout_seed()
    {
        // Rollout r of seed s does not depend on how many seeds or rollouts the evaluation has.
        Game game = TinyGames.Random(8, 3, 3, 4, 3, 20);
        var policies = TinyGames.RandomPolicies(9, game, 2);
        var small = new RobotLevelEvaluator().Evaluate(game, policies, new EvaluationSettings(2, 10, 1, 2, 5));
        var large = new RobotLevelEvaluator().Evaluate(game, policies, new EvaluationSettings(2, 10, 1, 4, 5));
        Assert.Equal(small.PerSeedMeans, large.PerSeedMeans[..2]);
    }

    private static IPolicyEvaluator Make(string kind, int threads) =>
        kind switch
        {
            "robot" => new RobotLevelEvaluator(threads),
            "count" => new CountLevelEvaluator(threads),
            _ => new ComposedCountEvaluator(threads),
        };
}
