using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Tests.Training;

public class TrainingConfigTests
{
    [Fact]
    public void HashIsStableAcrossEqualConfigsAndIgnoresThreads()
    {
        Assert.Equal(TrainingConfig.ReferenceCompatible(10).ConfigHash(), (TrainingConfig.ReferenceCompatible(10) with { Threads = 2 }).ConfigHash());
        Assert.NotEqual(TrainingConfig.ReferenceCompatible(10).ConfigHash(), TrainingConfig.ReferenceCompatible(11).ConfigHash());
        Assert.NotEqual(TrainingConfig.ReferenceCompatible(10).ConfigHash(), (TrainingConfig.ReferenceCompatible(10) with { GTolerance = 1.0000001e-6 }).ConfigHash());
        Assert.Matches("^[0-9a-f]{64}$", TrainingConfig.Default(5).ConfigHash());
    }

    [Fact]
    public void CanonicalJsonIsPinned()
    {
        // Changing this text changes every stored config hash: do it only on purpose.
        Assert.Equal(
            "{\"exactEntryLimit\":20000000,\"finalPolicy\":\"Current\",\"gMaxSweeps\":100,\"gSolver\":\"ValueIteration\",\"gTolerance\":1E-06,\"gWarmStart\":false,\"inducedDraws\":200,\"inducedGlobal\":\"Sampled\",\"k\":50,\"kMin\":1,\"lMaxSweeps\":100,\"lTolerance\":1E-06,\"localOutput\":\"Softmax\",\"maxRounds\":5,\"meanField\":\"Reference\",\"meanFieldIterations\":50,\"mode\":\"Rounded\",\"quickHorizon\":30,\"quickRollouts\":20,\"quickSeed\":\"Round\",\"quickTiming\":\"NextGlobalState\",\"relativeTolerance\":0.01,\"robotOutputPortfolio\":false,\"sampledDraws\":32,\"seed\":0,\"softmaxTemperatureMin\":0.3,\"softmaxTemperatureScale\":3,\"stop\":\"QuickValue\"}",
            TrainingConfig.ReferenceCompatible(50).ToCanonicalJson());
    }

    [Fact]
    public void QuickSimulatorIsInTheHashOnlyWhenNotRobotLevelSoOldHashesStay()
    {
        // Golden: the reference preset's hash as written by the release before QuickSimulator existed (config.json of
        // `edgemarl train --preset reference --k 3` at 0ee3bcb).
        Assert.Equal("e6c21a8102684085e11e9f825c474d9bccf72dcf9941b452c0a14345cd538301", TrainingConfig.ReferenceCompatible(3).ConfigHash());
        Assert.Equal(QuickValueSimulator.Robot, new TrainingConfig().QuickSimulator);
        Assert.Equal(QuickValueSimulator.Robot, TrainingConfig.ReferenceCompatible(3).QuickSimulator);
        Assert.DoesNotContain("quickSimulator", TrainingConfig.ReferenceCompatible(3).ToCanonicalJson(), StringComparison.Ordinal);

        // The default preset's quick values are composed counts, and its hash says so (it changed with this setting: the
        // default preset before it, 0ee3bcb, hashed to de8a7d62511a… at k = 3, which now names robot-level quick values).
        TrainingConfig ours = TrainingConfig.Default(3);
        Assert.Equal(QuickValueSimulator.ComposedCount, ours.QuickSimulator);
        Assert.Contains("\"quickSimulator\":\"ComposedCount\"", ours.ToCanonicalJson(), StringComparison.Ordinal);
        Assert.Equal("de8a7d62511a013af5fe03cb4a8074091a0d97c90fc2c82cc0535b49f736d945", (ours with { QuickSimulator = QuickValueSimulator.Robot }).ConfigHash());
        Assert.NotEqual(ours.ConfigHash(), (ours with { QuickSimulator = QuickValueSimulator.Robot }).ConfigHash());
    }

    [Fact]
    public void ValidationNamesTheBadSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => (TrainingConfig.ReferenceCompatible(3) with { KMin = 4 }).Validate());
        Assert.Contains("KMin", error.Message, StringComparison.Ordinal);
    }
}
