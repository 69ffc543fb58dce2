using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>TrainingConfig.QuickSimulator picks the simulator of the quick values (docs/training-settings.md).</summary>
public class QuickSimulatorTests
{
    private static readonly Game Zones = ZonesGame.Create().WithAgentCount(60);

    [Theory]
    [InlineData(QuickValueSimulator.ComposedCount)]
    [InlineData(QuickValueSimulator.Robot)]
    public void EveryRoundsQuickValueIsThatOfTheSimulatorTheConfigNames(QuickValueSimulator simulator)
    {
        TrainingConfig config = TrainingConfig.Default(4) with { KMin = 4, Lift = LiftRule.None, RobotOutputPortfolio = false, MaxRounds = 3, QuickRollouts = 20, QuickSimulator = simulator };
        var given = new RobotLevelEvaluator();
        TrainingResult result = AlternatingMarl.Train(Zones, config, given);

        IPolicyEvaluator expected = simulator == QuickValueSimulator.ComposedCount ? new ComposedCountEvaluator() : given;
        IPolicyEvaluator other = simulator == QuickValueSimulator.ComposedCount ? given : new ComposedCountEvaluator();
        var settings = new EvaluationSettings(4, config.QuickHorizon, config.QuickRollouts, 1, Pcg32.DeriveSeed(config.Seed, 3));
        PolicyPair returned = result.Policies;
        Assert.Equal(result.Record.FinalQuickValue, expected.Evaluate(Zones, returned, settings).Mean);
        Assert.NotEqual(result.Record.FinalQuickValue, other.Evaluate(Zones, returned, settings).Mean);
    }

    [Fact]
    public void TheDefaultPresetTrainsTheSameBytesOnOneOrTwoThreads()
    {
        TrainingConfig config = TrainingConfig.Default(6) with { KMin = 1, MaxRounds = 4 };
        TrainingResult one = AlternatingMarl.Train(Zones, config with { Threads = 1 }, new RobotLevelEvaluator(1));
        TrainingResult two = AlternatingMarl.Train(Zones, config with { Threads = 2 }, new RobotLevelEvaluator(2));
        Assert.Equal(one.Record.ToJson(includeTimings: false), two.Record.ToJson(includeTimings: false));
        Assert.Equal(one.Policies.LocalPolicy, two.Policies.LocalPolicy);
        Assert.Equal(one.Policies.GlobalActions, two.Policies.GlobalActions);
    }

    [Fact]
    public void TypedTrainingRefusesComposedQuickValues()
    {
        var mixed = ZonesMixedGame.Create(0.25, 60);
        var error = Assert.Throws<InvalidOperationException>(() => EdgeMarl.Host.Heterogeneity.TypedTraining.Train(
            mixed, EdgeMarl.Host.Heterogeneity.TypingMethod.Typed, EdgeMarl.Host.Heterogeneity.TypedTraining.Preset(2, 0) with { QuickSimulator = QuickValueSimulator.ComposedCount }));
        Assert.Contains("quickSimulator", error.Message, StringComparison.Ordinal);
    }
}
