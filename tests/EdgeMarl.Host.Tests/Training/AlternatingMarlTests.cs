using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Tests.Training;

public class AlternatingMarlTests
{
    [Theory]
    [InlineData(GStepMode.Rounded, 4)]
    [InlineData(GStepMode.Sampled, 4)]
    [InlineData(GStepMode.Exact, 4)]
    [InlineData(GStepMode.Rounded, 14)] // zones: 3,060 count vectors, parallel sweeps
    public void SameSeedGivesIdenticalRecordAndPoliciesWithOneOrTwoThreads(GStepMode mode, int k)
    {
        Game game = k > 4 ? TestGames.Zones() : TestGames.Random(31, g: 3, ag: 3, l: 3, al: 2, n: 8);
        TrainingConfig config = TrainingConfig.ReferenceCompatible(k) with { Mode = mode, Seed = 99, KMin = k - 2, SampledDraws = 8, QuickRollouts = 2, QuickHorizon = 5 };
        TrainingResult one = AlternatingMarl.Train(game, config with { Threads = 1 }, new SimpleRolloutEvaluator());
        TrainingResult two = AlternatingMarl.Train(game, config with { Threads = 2 }, new SimpleRolloutEvaluator());

        Assert.Equal(one.Record.ToJson(includeTimings: false), two.Record.ToJson(includeTimings: false));
        Assert.Equal(one.Policies.LocalPolicy, two.Policies.LocalPolicy);
        Assert.Equal(one.Policies.GlobalActions.Length, two.Policies.GlobalActions.Length);
        for (int i = 0; i < one.Policies.GlobalActions.Length; i++)
        {
            Assert.Equal(one.Policies.GlobalActions[i], two.Policies.GlobalActions[i]);
        }
    }

    [Fact]
    public void DefaultPresetGivesIdenticalRecordAndPoliciesWithOneOrTwoThreads()
    {
        // The portfolio's candidates run side by side with two threads and one after the other with one; the topological
        // G-step, the binomial-chain L-step and the parallel k' export must not care.
        Game game = TestGames.Zones();
        TrainingConfig config = TrainingConfig.Default(12) with { Seed = 7, KMin = 9, MaxRounds = 4, QuickRollouts = 3, QuickHorizon = 8 };
        TrainingResult one = AlternatingMarl.Train(game, config with { Threads = 1 }, new SimpleRolloutEvaluator());
        TrainingResult two = AlternatingMarl.Train(game, config with { Threads = 2 }, new SimpleRolloutEvaluator());

        Assert.Equal(one.Record.ToJson(includeTimings: false), two.Record.ToJson(includeTimings: false));
        Assert.Equal(one.Policies.LocalPolicy, two.Policies.LocalPolicy);
        for (int i = 0; i < one.Policies.GlobalActions.Length; i++)
        {
            Assert.Equal(one.Policies.GlobalActions[i], two.Policies.GlobalActions[i]);
        }
    }

    [Fact]
    public void PhaseSecondsSumEveryAlternationOfThePortfolioLiftedChainIncluded()
    {
        Game game = TestGames.Zones();
        TrainingResult result = AlternatingMarl.Train(game, TrainingConfig.Default(4) with { KMin = 4, MaxRounds = 3, QuickRollouts = 5 }, new SimpleRolloutEvaluator());
        TrainingTimings timings = result.Record.Timings!;
        RoundTiming phases = timings.PhaseSeconds!;

        // Each phase sum covers the returned candidate's rounds and more: the other candidates and the chain k' = 2, 1.
        Assert.True(phases.GStepSeconds >= timings.Rounds.Sum(r => r.GStepSeconds) - 1e-9);
        Assert.True(phases.LStepSeconds >= timings.Rounds.Sum(r => r.LStepSeconds) - 1e-9);
        Assert.True(phases.QuickValueSeconds >= timings.Rounds.Sum(r => r.QuickValueSeconds) - 1e-9);
        Assert.True(phases.GStepSeconds > timings.Rounds.Sum(r => r.GStepSeconds), "the other candidates' G-steps are missing");
        Assert.Null(AlternatingMarl.Train(game, TrainingConfig.ReferenceCompatible(3) with { QuickRollouts = 2, QuickHorizon = 4 }, new SimpleRolloutEvaluator()).Record.Timings!.PhaseSeconds);
    }

    [Fact]
    public void RecordFollowsTheAcceptRevertRuleAndRoundTripsThroughJson()
    {
        Game game = TestGames.Random(32, g: 3, ag: 3, l: 3, al: 2, n: 8);
        TrainingConfig config = TrainingConfig.ReferenceCompatible(3) with { QuickRollouts = 3, QuickHorizon = 8, RelativeTolerance = 0.001, MaxRounds = 4 };
        var evaluator = new SimpleRolloutEvaluator();
        TrainingResult result = AlternatingMarl.Train(game, config, evaluator);
        TrainingRecord record = result.Record;

        Assert.Equal(record.Rounds.Count, evaluator.Calls);
        Assert.Equal(config.ConfigHash(), record.ConfigHash);
        double best = double.NegativeInfinity;
        for (int r = 0; r < record.Rounds.Count; r++)
        {
            RoundRecord round = record.Rounds[r];
            Assert.Equal((ulong)r, round.QuickSeed);
            RoundDecision expected = round.QuickValue > best ? RoundDecision.Improved
                : round.QuickValue < best - (Math.Abs(best) * config.RelativeTolerance) ? RoundDecision.Reverted
                : RoundDecision.Kept;
            Assert.Equal(expected, round.Decision);
            best = Math.Max(best, round.QuickValue);
            Assert.Equal(100, round.GSweeps); // reference settings: the cap is reached
            bool convergedHere = r > 0 && Math.Abs(round.QuickValue - record.Rounds[r - 1].QuickValue) < config.RelativeTolerance * Math.Abs(record.Rounds[r - 1].QuickValue);
            Assert.Equal(convergedHere, r == record.Rounds.Count - 1 && record.StopReason == "converged");
        }

        Assert.Equal(record.ToJson(), TrainingRecord.FromJson(record.ToJson()).ToJson());
        Assert.DoesNotContain("timings", record.ToJson(includeTimings: false), StringComparison.Ordinal);
        Assert.Contains("\"timings\"", record.ToJson(), StringComparison.Ordinal);

        // Export: one table per k' in [1, 3], each |S_g|·C(k'+|S_l|−1, |S_l|−1) long with valid actions.
        Assert.Equal(3, result.Policies.GlobalActions.Length);
        for (int kp = 1; kp <= 3; kp++)
        {
            int[] table = result.Policies.GlobalActions[kp - 1];
            Assert.Equal(game.GlobalStates * new Shared.Counting.CountRanker(game.LocalStates, kp).Count(kp), table.Length);
            Assert.All(table, a => Assert.InRange(a, 0, game.GlobalActions - 1));
        }
    }

    [Fact]
    public void BestRuleReturnsThePairWithTheBestQuickValue()
    {
        Game game = TestGames.Random(33, g: 2, ag: 3, l: 3, al: 2, n: 6);
        TrainingConfig config = TrainingConfig.ReferenceCompatible(3) with { QuickRollouts = 2, QuickHorizon = 6, RelativeTolerance = 0, MaxRounds = 4, FinalPolicy = FinalPolicyRule.Best };
        TrainingRecord record = AlternatingMarl.Train(game, config, new SimpleRolloutEvaluator()).Record;
        Assert.Equal(record.Rounds.Max(r => r.QuickValue), record.FinalQuickValue);
        Assert.Equal(record.Rounds.First(r => r.QuickValue == record.FinalQuickValue).Round, record.FinalRound);
    }
}

public class AlternatingMarlStopTests
{
    [Fact]
    public void FixedPointRuleStopsWhenARoundRepeatsThePreviousPair()
    {
        Game game = TestGames.Random(34, g: 2, ag: 2, l: 2, al: 2, n: 6);
        TrainingConfig config = TrainingConfig.ReferenceCompatible(2) with
        {
            Stop = StopRule.FixedPoint,
            LocalOutput = LocalPolicyOutput.Greedy,
            InducedGlobal = InducedTransition.Exact,
            GMaxSweeps = 5000,
            GTolerance = 1e-12,
            LMaxSweeps = 5000,
            LTolerance = 1e-12,
            MaxRounds = 30,
            QuickRollouts = 2,
            QuickHorizon = 5,
        };
        var evaluator = new SimpleRolloutEvaluator();
        TrainingRecord record = AlternatingMarl.Train(game, config, evaluator).Record;
        Assert.Equal("fixedPoint", record.StopReason);
        Assert.True(record.Rounds.Count >= 2 && record.Rounds.Count < 30);
    }

    [Theory]
    [InlineData(35UL)]
    [InlineData(36UL)]
    [InlineData(37UL)]
    public void PortfolioReturnsTheCandidateWithTheHigherQuickValueAndItsPolicies(ulong seed)
    {
        Game game = TestGames.Random(seed, g: 2, ag: 3, l: 3, al: 2, n: 6);
        TrainingConfig config = TrainingConfig.Default(3) with { MaxRounds = 4, Lift = LiftRule.None }; // the two robot outputs alone (lifting: LiftedCandidatesTests)
        TrainingResult portfolio = AlternatingMarl.Train(game, config, new SimpleRolloutEvaluator());
        TrainingResult softmax = AlternatingMarl.Train(game, config with { RobotOutputPortfolio = false, LocalOutput = LocalPolicyOutput.Softmax }, new SimpleRolloutEvaluator());
        TrainingResult greedy = AlternatingMarl.Train(game, config with { RobotOutputPortfolio = false, LocalOutput = LocalPolicyOutput.Greedy }, new SimpleRolloutEvaluator());

        TrainingResult expected = greedy.Record.FinalQuickValue > softmax.Record.FinalQuickValue ? greedy : softmax;
        Assert.Equal(expected.Policies.LocalPolicy, portfolio.Policies.LocalPolicy);
        Assert.Equal(expected.Policies.GlobalActions[^1], portfolio.Policies.GlobalActions[^1]);
        Assert.Equal(expected.Record.FinalQuickValue, portfolio.Record.FinalQuickValue);
        Assert.Equal(config.ConfigHash(), portfolio.Record.ConfigHash);
        Assert.NotNull(portfolio.Record.Candidates);
        Assert.Equal([softmax.Record.FinalQuickValue, greedy.Record.FinalQuickValue], portfolio.Record.Candidates.Select(c => c.FinalQuickValue));
        Assert.Single(portfolio.Record.Candidates, c => c.Chosen);
    }

    [Fact]
    public void PortfolioWithoutCommonRandomNumbersIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => (TrainingConfig.Default(3) with { QuickSeed = QuickSeedRule.Round }).Validate());
        Assert.Contains("RobotOutputPortfolio", error.Message, StringComparison.Ordinal);
    }
}
