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
    public void ValidationNamesTheBadSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => (TrainingConfig.ReferenceCompatible(3) with { KMin = 4 }).Validate());
        Assert.Contains("KMin", error.Message, StringComparison.Ordinal);
    }
}
