using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Fleet;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Tests.Fleet;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>Issue 18: lifted candidates (docs/design.md §2 "Lifted candidates").</summary>
public class LiftedCandidatesTests
{
    /// <summary>
    /// A random game where the alternation at k = 6 lands below the pair trained at k' = 3 (seed 2 until the composed count
    /// simulator's draws changed in revision 7; seed 18 found by training seeds 1–30 with both lift rules).
    /// </summary>
    private static Game Coordination(ulong seed = 18) => RandomGame.Create(seed, 2, 3, 3, 2, n: 50, sharpness: 6);

    [Fact]
    public void WhenTheLiftedPairWinsTheExportedFileMakesTheFirmwareGatewayActExactlyLikeTheEvaluator()
    {
        Game game = Coordination();
        var evaluator = new RobotLevelEvaluator();
        TrainingConfig config = TrainingConfig.Default(6) with { KMin = 1, Lift = LiftRule.Halving }; // lifted from ⌊6/2⌋ = 3
        TrainingResult result = AlternatingMarl.Train(game, config, evaluator);

        // The record says the lifted pair (trained at k' = 3) won, with its quick value at k = 6 above every alternation at 6.
        Assert.Equal(3, result.Record.LiftedFrom);
        CandidateRecord lifted = Assert.Single(result.Record.Candidates!, c => c.Start == CandidateStart.LiftedPair);
        Assert.True(lifted.Chosen);
        Assert.Equal(3, lifted.FromK);
        Assert.All(result.Record.Candidates!.Where(c => c != lifted), c => Assert.True(c.FinalQuickValue < lifted.FinalQuickValue));
        Assert.Equal(lifted.FinalQuickValue, result.Record.FinalQuickValue);
        Assert.Equal(3, result.Record.LiftedSource!.K);

        // The pair: k = 6, tables for k' = 1..3 only; the quick value it was chosen by is the default preset's quick-value
        // simulator's (composed counts, TrainingConfig.QuickSimulator) at k = 6, subsampling to 3.
        Assert.Equal(6, result.Policies.K);
        Assert.All(result.Policies.GlobalActions.Skip(3), t => Assert.Null(t));
        Assert.Equal(QuickValueSimulator.ComposedCount, config.QuickSimulator);
        double quick = new ComposedCountEvaluator().Evaluate(game, result.Policies, new EvaluationSettings(6, config.QuickHorizon, config.QuickRollouts, 1, EdgeMarl.Shared.Random.Pcg32.DeriveSeed(config.Seed, 3))).Mean;
        Assert.Equal(result.Record.FinalQuickValue, quick);

        // policies.json keeps the absent tables absent; export cuts at k' = 3 (what edgemarl export writes).
        TrainedPolicy saved = PolicyPairJson.Parse(PolicyPairJson.Serialize(new TrainedPolicy(result.Policies, game.Name, GameHash.Compute(game), new byte[32], game.AgentCount)));
        Assert.Equal(6, saved.Pair.K);
        Assert.Null(saved.Pair.GlobalActions[5]);
        PolicyPair exported = PolicyPair.WithoutAbsentTop(saved.Pair);
        Assert.Equal(3, exported.K);
        Assert.Null(exported.GlobalActions[1]); // the default preset stores the geometric set 3, 1 (TrainingConfig.Tables)
        byte[] bytes = PolicyExport.ToVerifiedBytes(saved, null); // what edgemarl export writes: version 3, the stored tables
        Assert.True(PolicyTable.TryOpen(bytes, 0, bytes.Length, out PolicyTable file, out PolicyFileError error), error.ToString());
        Assert.Equal(3, file.K);

        // The firmware gateway polls k = 6 with a file whose largest table is 3: every tick it subsamples its 6 replies to 3 on
        // its own generator (ReplyReducer); the evaluator's device-exact mode does the same, bit for bit.
        var options = new FleetOptions { Robots = 50, K = 6, Episodes = 3, Ticks = 12, Seed = 18_000, RecordTrace = true };
        var runner = new FleetRunner(game, file, options);
        FleetResult run = runner.Run();
        EquivalenceReport report = FleetEquivalence.Compare(runner.Tables, options.Seed, run);

        Assert.Equal(3, runner.Tables.TableSampleSize);
        Assert.True(report.Equal, report.FirstDifference);
        Assert.Equal(3 * 12, report.TicksCompared);
        Assert.Equal(0, run.Counters.Lost + run.Counters.FallbackTicks);
    }

    [Fact]
    public void TheRecordListsEveryCandidateAndIsTheSameBytesForTheSameSeed()
    {
        Game game = Coordination(0);
        var evaluator = new RobotLevelEvaluator();
        TrainingConfig config = TrainingConfig.Default(5) with { KMin = 5 };
        TrainingResult first = AlternatingMarl.Train(game, config, evaluator);
        TrainingResult second = AlternatingMarl.Train(game, config with { Threads = 1 }, evaluator);

        Assert.Equal(first.Record.ToJson(includeTimings: false), second.Record.ToJson(includeTimings: false));
        IReadOnlyList<CandidateRecord> candidates = first.Record.Candidates!;
        Assert.Equal(4, candidates.Count); // softmax and greedy from uniform robots, one warm started from the lifted pair, the lifted pair
        Assert.Single(candidates, c => c.Chosen);
        Assert.Equal(2, candidates.Count(c => c.FromK == 4)); // Budgeted on a small game: k' = k − 1
        Assert.Equal(new LiftChoice(4, LiftRule.Every, first.Record.LiftChoice!.EstimatedSecondsBelow, LiftBudget.BudgetSeconds), first.Record.LiftChoice);
        CandidateRecord best = candidates.MaxBy(c => c.FinalQuickValue)!;
        Assert.True(best.Chosen);
        Assert.Contains("\"liftedSource\"", first.Record.ToJson(includeTimings: false), StringComparison.Ordinal);
    }

    [Fact]
    public void TheExactGapOfALiftedPairAtKIsThatOfItsSourceAtKPrime()
    {
        // The gateway of a lifted pair reduces k replies to a uniform k'-sample, so its game at k is its game at k' exactly.
        Game game = RandomGame.Create(3, 2, 3, 2, 2, n: 12, sharpness: 6);
        PolicyPair source = AlternatingMarl.Train(game, TrainingConfig.Default(3) with { Lift = LiftRule.None, QuickRollouts = 10 }, new RobotLevelEvaluator()).Policies;
        var lifted = new PolicyPair(source.GlobalStates, source.GlobalActionCount, source.LocalStates, source.LocalActionCount, source.KMin, 7, [.. source.GlobalActions, null!, null!, null!, null!], source.LocalPolicy);

        var atK = EdgeMarl.Host.Equilibrium.ExactNashGap.Compute(game, lifted, 7);
        var atKPrime = EdgeMarl.Host.Equilibrium.ExactNashGap.Compute(game, source, 3);

        Assert.Equal(7, atK.K);
        Assert.Equal(atKPrime.JointValue, atK.JointValue);
        Assert.Equal(atKPrime.Epsilon, atK.Epsilon);
        Assert.NotEqual(atKPrime.JointValue, EdgeMarl.Host.Equilibrium.ExactNashGap.Compute(game, source, 2).JointValue); // k' matters
    }

    [Fact]
    public void TheReferencePresetHasNoLiftAndKeepsItsConfigHash()
    {
        // Lifting is off in the reference preset, and its canonical JSON has no "lift" key, so hashes of earlier runs stay valid.
        Assert.Equal(LiftRule.None, TrainingConfig.ReferenceCompatible(5).Lift);
        Assert.DoesNotContain("lift", TrainingConfig.ReferenceCompatible(5).ToCanonicalJson(), StringComparison.Ordinal);
        Assert.Contains("\"lift\":\"Budgeted\"", TrainingConfig.Default(5).ToCanonicalJson(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => (TrainingConfig.Default(5) with { RobotOutputPortfolio = false }).Validate());
    }
}
