using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>LiftRule.Budgeted (docs/design.md §2 "Lifted candidates", docs/sweep.md "The budgeted rule"): which k' the default preset lifts from, computed without training.</summary>
public class LiftBudgetTests
{
    /// <summary>The random-game sizes of the corpus and of MonotonicityTests (|S_g|, |A_g|, |S_l|, |A_l|), n = 50.</summary>
    public static TheoryData<int, int, int, int> SmallGames => new()
    {
        { 3, 3, 3, 2 },
        { 2, 4, 3, 3 },
        { 3, 2, 4, 2 },
        { 2, 3, 2, 2 },
        { 3, 3, 2, 3 },
        { 2, 3, 3, 2 },
        { 2, 2, 2, 2 },
    };

    [Fact]
    public void TheDefaultPresetUsesTheBudgetedRuleAndTheReferencePresetLiftsNothing()
    {
        Assert.Equal(LiftRule.Budgeted, TrainingConfig.Default(7).Lift);
        Assert.Null(LiftBudget.Choose(ZonesGame.Create(), TrainingConfig.ReferenceCompatible(50)));
        Assert.Null(LiftBudget.Choose(ZonesGame.Create(), TrainingConfig.Default(1))); // nothing smaller than k = 1
    }

    [Theory]
    [MemberData(nameof(SmallGames))]
    public void OnTheCorpusSmallGamesTheDefaultPresetLiftsFromEverySmallerKUpTo20(int g, int ag, int l, int al)
    {
        Game game = RandomGame.Create(0, g, ag, l, al, n: 50, sharpness: 8);
        for (int k = 2; k <= 20; k++)
        {
            LiftChoice choice = LiftBudget.Choose(game, TrainingConfig.Default(k))!;
            Assert.Equal(k - 1, choice.FromK);
            Assert.Equal(LiftRule.Every, choice.Step);
            Assert.True(choice.EstimatedSecondsBelow <= LiftBudget.BudgetSeconds, $"k = {k}: {choice.EstimatedSecondsBelow} s estimated");
        }
    }

    [Fact]
    public void OnTheTinyGameEveryKLiftsFromKMinusOne()
    {
        Game game = TinyGame.Create();
        Assert.All(Enumerable.Range(2, game.AgentCount - 1), k => Assert.Equal((k - 1, LiftRule.Every), Step(game, k)));
    }

    [Fact]
    public void OnZonesAtK50TheChainHalvesToTheSwitchPointAndTakesEveryKBelowIt()
    {
        // Zones: training every k' < 50 is far over the budget, so k = 50 lifts from 25 and 25 from 12; every k' < 12 (and < 13) is
        // within it, so below the switch point the chain steps by one: 12 → 11 → … → 1. k = 14 is the first k that halves.
        Game zones = ZonesGame.Create();
        var chain = new List<(int K, LiftRule Step)>();
        for (int k = 50; k > 1;)
        {
            (int from, LiftRule step) = Step(zones, k);
            chain.Add((k, step));
            k = from;
        }

        Assert.Equal([(50, LiftRule.Halving), (25, LiftRule.Halving), .. Enumerable.Range(2, 11).Reverse().Select(k => (k, LiftRule.Every))], chain);
        Assert.Equal((12, LiftRule.Every), Step(zones, 13));
        Assert.Equal((7, LiftRule.Halving), Step(zones, 14));
        Assert.True(LiftBudget.EstimatedSecondsBelow(zones, TrainingConfig.Default(50)) > 50 * LiftBudget.BudgetSeconds);
    }

    [Fact]
    public void TheEveryRegionIsAPrefixSoASourceBelowTheSwitchTakesEveryStepToo()
    {
        // The work below k grows with k, so once k lifts from k − 1 every smaller k does: the chain below the switch point is every k'.
        Game[] games = [ZonesGame.Create(), ZonesGame.Create().WithAgentCount(100), RandomGame.Create(1, 3, 2, 4, 2, n: 50, sharpness: 8), TinyGame.Create()];
        foreach (Game game in games)
        {
            bool every = true;
            for (int k = 2; k <= Math.Min(60, game.AgentCount); k++)
            {
                bool step = Step(game, k).Step == LiftRule.Every;
                Assert.False(step && !every, $"{game.Name} n = {game.AgentCount}: k = {k} lifts from k − 1 above a k that halves");
                every = step;
            }
        }
    }

    [Fact]
    public void TheChoiceDependsOnSizesNAndSettingsButNotOnThreads()
    {
        Game zones = ZonesGame.Create();
        TrainingConfig robotLevel = TrainingConfig.Default(8) with { QuickSimulator = QuickValueSimulator.Robot };
        Assert.Equal(LiftBudget.Choose(zones, TrainingConfig.Default(5)), LiftBudget.Choose(zones, TrainingConfig.Default(5) with { Threads = 1 }));
        Assert.Equal(LiftRule.Every, LiftBudget.Choose(zones, TrainingConfig.Default(8))!.Step); // composed count quick values: cost per tick independent of n
        Assert.Equal(LiftRule.Halving, LiftBudget.Choose(zones, robotLevel)!.Step); // robot-level ones simulate all 1000 robots every tick
        Assert.Equal(LiftRule.Every, LiftBudget.Choose(zones.WithAgentCount(50), robotLevel)!.Step);
        Assert.Equal(LiftRule.Every, LiftBudget.Choose(zones, robotLevel with { QuickRollouts = 10 })!.Step);
        Assert.Equal(new LiftChoice(4, LiftRule.Halving, null, null), LiftBudget.Choose(zones, TrainingConfig.Default(8) with { Lift = LiftRule.Halving }));
        Assert.Equal(new LiftChoice(7, LiftRule.Every, null, null), LiftBudget.Choose(zones, TrainingConfig.Default(8) with { Lift = LiftRule.Every }));
        Assert.Null(LiftBudget.Choose(zones, TrainingConfig.Default(8) with { ModelFree = new EdgeMarl.Host.Training.ModelFree.ModelFreeSettings() }));
    }

    [Fact]
    public void TheRecordSaysWhichSourceWasUsedAndWhy()
    {
        Game game = RandomGame.Create(0, 2, 3, 3, 2, n: 50, sharpness: 6);
        TrainingResult result = AlternatingMarl.Train(game, TrainingConfig.Default(4) with { KMin = 4, QuickRollouts = 20 }, new RobotLevelEvaluator());

        LiftChoice choice = result.Record.LiftChoice!;
        Assert.Equal((3, LiftRule.Every, LiftBudget.BudgetSeconds), (choice.FromK, choice.Step, choice.BudgetSeconds));
        Assert.Equal(3, result.Record.LiftedSource!.K);
        Assert.Equal(2, result.Record.LiftedSource.LiftChoice!.FromK);
        string json = result.Record.ToJson(includeTimings: false);
        Assert.Contains("\"liftChoice\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"step\": \"every\"", json, StringComparison.Ordinal);
        Assert.Contains("\"estimatedSecondsBelow\":", json, StringComparison.Ordinal);
    }

    private static (int From, LiftRule Step) Step(Game game, int k)
    {
        LiftChoice choice = LiftBudget.Choose(game, TrainingConfig.Default(k))!;
        return (choice.FromK, choice.Step);
    }
}
