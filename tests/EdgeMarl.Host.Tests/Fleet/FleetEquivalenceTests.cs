using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Fleet;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Tests.Evaluation;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Tests.Fleet;

/// <summary>With no faults, the firmware fleet replays the evaluator's device-exact mode bit for bit (docs/fleet.md).</summary>
public class FleetEquivalenceTests
{
    [Theory]
    [InlineData(1UL, InitialLocalKind.Fixed)]
    [InlineData(2UL, InitialLocalKind.Dirichlet)]
    [InlineData(3UL, InitialLocalKind.Fixed)]
    [InlineData(4UL, InitialLocalKind.Dirichlet)]
    public void InMemoryFleetTraceEqualsTheEvaluatorOnRandomGames(ulong seed, InitialLocalKind kind)
    {
        Game game = TinyGames.Random(seed, globalStates: 3, globalActions: 3, localStates: 4, localActions: 3, n: 17, kind);
        PolicyTable policy = FleetFixtures.Open(TinyGames.RandomPolicies(seed, game, k: 5), seed);
        var options = new FleetOptions { Robots = 17, Episodes = 3, Ticks = 12, Seed = seed * 1000, RecordTrace = true };
        var runner = new FleetRunner(game, policy, options);
        FleetResult result = runner.Run();

        EquivalenceReport report = FleetEquivalence.Compare(runner.Tables, options.Seed, result);

        Assert.True(report.Equal, report.FirstDifference);
        Assert.Equal(3 * 12, report.TicksCompared);
        Assert.Equal(report.EvaluatorMean, report.FleetMean);
        Assert.Equal(0, result.Counters.Lost + result.Counters.Rejected + result.Counters.FallbackTicks);
    }

    /// <summary>
    /// Degradation tables (docs/policy-format.md): the file stores k' ∈ {8, 4, 2, 1} only and the gateway polls k = 7, so every
    /// tick its 7 replies are subsampled to k* = 4 on its own generator (ReplyReducer) before the lookup; the evaluator's
    /// device-exact mode must draw the same subsample and pick the same a_g, and every later draw stays in step.
    /// </summary>
    [Theory]
    [InlineData(5UL, InitialLocalKind.Fixed)]
    [InlineData(6UL, InitialLocalKind.Dirichlet)]
    public void WithDegradationTablesTheSubsampledLookupReplaysBitForBit(ulong seed, InitialLocalKind kind)
    {
        Game game = TinyGames.Random(seed, globalStates: 3, globalActions: 4, localStates: 4, localActions: 3, n: 17, kind);
        var pair = AllTables(seed, game, k: 8);
        byte[] file = EdgeMarl.Host.Policies.CompactPolicyFileWriter.Write(pair, EdgeMarl.Host.Tests.Policies.RandomPolicies.Metadata(seed), [8, 4, 2, 1]);
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, out PolicyTable policy, out _));
        var options = new FleetOptions { Robots = 17, K = 7, Episodes = 3, Ticks = 12, Seed = seed * 1000, RecordTrace = true };
        var runner = new FleetRunner(game, policy, options);
        FleetResult result = runner.Run();

        EquivalenceReport report = FleetEquivalence.Compare(runner.Tables, options.Seed, result);

        Assert.Equal(4, runner.Tables.TableSampleSize);
        Assert.True(report.Equal, report.FirstDifference);
        Assert.Equal(3 * 12, report.TicksCompared);
        Assert.Equal(0, result.Counters.Lost + result.Counters.FallbackTicks);
    }

    [Fact]
    public void WithoutTheSubsampleDrawsTheEvaluatorWouldDiverge()
    {
        // Negative control for the test above: an evaluator that looks up k* = 4 from a fresh 4-robot sample (no reduction of
        // the 7 replies) differs from the fleet, so the equality above really checks the reduction.
        Game game = TinyGames.Random(5, globalStates: 3, globalActions: 4, localStates: 4, localActions: 3, n: 17, InitialLocalKind.Fixed);
        var pair = AllTables(5, game, k: 8);
        byte[] file = EdgeMarl.Host.Policies.CompactPolicyFileWriter.Write(pair, EdgeMarl.Host.Tests.Policies.RandomPolicies.Metadata(5), [8, 4, 2, 1]);
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, out PolicyTable policy, out _));
        var degraded = new FleetRunner(game, policy, new FleetOptions { Robots = 17, K = 7, Episodes = 2, Ticks = 12, Seed = 5000, RecordTrace = true });
        var direct = new FleetRunner(game, policy, new FleetOptions { Robots = 17, K = 4, Episodes = 2, Ticks = 12, Seed = 5000, RecordTrace = true });

        EquivalenceReport report = FleetEquivalence.Compare(direct.Tables, 5000, degraded.Run());

        Assert.False(report.Equal);
    }

    private static EdgeMarl.Host.Policies.PolicyPair AllTables(ulong seed, Game game, int k)
    {
        var tables = new int[k][];
        for (int kPrime = 1; kPrime <= k; kPrime++)
        {
            tables[kPrime - 1] = TinyGames.RandomPolicies(seed + (ulong)kPrime, game, kPrime).GlobalActions[0];
        }

        var last = TinyGames.RandomPolicies(seed, game, k);
        return new EdgeMarl.Host.Policies.PolicyPair(last.GlobalStates, last.GlobalActionCount, last.LocalStates, last.LocalActionCount, 1, k, tables, last.LocalPolicy);
    }

    [Fact]
    public void TheFleetsMeanReturnIsTheEvaluatorsInDeviceExactMode()
    {
        (Game game, PolicyTable policy) = FleetFixtures.Zones(n: 50, kMin: 1, k: 5);
        var options = new FleetOptions { Robots = 50, K = 5, Episodes = 4, Ticks = 15, Seed = 21 };
        var runner = new FleetRunner(game, policy, options);
        FleetResult fleet = runner.Run();

        // Episode e is rollout (seed 0, rollout e): one seed of E rollouts.
        EvaluationResult evaluated = new RobotLevelEvaluator(2).Evaluate(
            game, PolicyTablePair.ToPolicyPair(policy), new EvaluationSettings(5, 15, 4, 1, 21) { Draws = RobotActionDraw.DeviceExact });

        Assert.Equal(BitConverter.DoubleToInt64Bits(evaluated.Mean), BitConverter.DoubleToInt64Bits(fleet.MeanReturn));
    }

    [Fact]
    public void ZonesWithAuthenticationAndTheNextStateTimingAlsoReplay()
    {
        (Game game, PolicyTable policy) = FleetFixtures.Zones(n: 40, kMin: 1, k: 6);
        var options = new FleetOptions { Robots = 40, K = 6, Episodes = 2, Ticks = 10, Seed = 77, Key = FleetFixtures.Key, Timing = LocalTransitionTiming.NextGlobalState, RecordTrace = true };
        var runner = new FleetRunner(game, policy, options);

        EquivalenceReport report = FleetEquivalence.Compare(runner.Tables, options.Seed, runner.Run());

        Assert.True(report.Equal, report.FirstDifference);
    }

    [Fact]
    public void DelaysShorterThanTheReplyWindowChangeNothing()
    {
        // MaxDelayMs > 0 runs on InMemoryNetwork (heap of frames in flight), not the direct transport: same trace.
        (Game game, PolicyTable policy) = FleetFixtures.Zones(n: 25, kMin: 1, k: 4);
        var options = new FleetOptions { Robots = 25, K = 4, Episodes = 2, Ticks = 10, Seed = 31, MaxDelayMs = 8, RecordTrace = true };
        var runner = new FleetRunner(game, policy, options);

        EquivalenceReport report = FleetEquivalence.Compare(runner.Tables, options.Seed, runner.Run());

        Assert.True(report.Equal, report.FirstDifference);
    }

    [Fact]
    public void UdpFleetOnLoopbackTraceEqualsTheEvaluator()
    {
        (Game game, PolicyTable policy) = FleetFixtures.Zones(n: 8, kMin: 1, k: 3);
        var options = new FleetOptions { Robots = 8, K = 3, Episodes = 2, Ticks = 6, Seed = 5, Transport = FleetTransportKind.Udp, ReplyWindowMs = 2000, RecordTrace = true };
        var runner = new FleetRunner(game, policy, options);

        FleetResult result = runner.Run();
        EquivalenceReport report = FleetEquivalence.Compare(runner.Tables, options.Seed, result);

        Assert.True(report.Equal, report.FirstDifference);
        Assert.Equal(1.0, result.Counters.PollSuccessRate);
    }

    [Fact]
    public void TheCheckFailsWhenTheFleetDoesNotMatch()
    {
        // Loss changes k', robots miss broadcasts: the comparison must notice.
        (Game game, PolicyTable policy) = FleetFixtures.Zones(n: 30, kMin: 1, k: 5);
        var options = new FleetOptions { Robots = 30, K = 5, Episodes = 1, Ticks = 10, Seed = 3, Loss = 0.3, RecordTrace = true };
        var runner = new FleetRunner(game, policy, options);

        EquivalenceReport report = FleetEquivalence.Compare(runner.Tables, options.Seed, runner.Run());

        Assert.False(report.Equal);
        Assert.NotNull(report.FirstDifference);
    }

    [Fact]
    public void DeviceExactDrawIsThePolicyFilesDrawForEveryRowAndByte()
    {
        Game game = TinyGames.Random(9, globalStates: 3, globalActions: 2, localStates: 4, localActions: 4, n: 5);
        var pair = TinyGames.RandomPolicies(9, game, k: 3);
        PolicyTable table = FleetFixtures.Open(pair);
        var tables = new EvaluationTables(game, pair, 3);
        int am1 = game.LocalActions - 1;
        for (int sg = 0; sg < game.GlobalStates; sg++)
        {
            for (int sl = 0; sl < game.LocalStates; sl++)
            {
                int row = (sg * game.LocalStates) + sl;
                for (int b = 0; b < 256; b++)
                {
                    int expected = table.GetLocalAction(sg, sl, (byte)b);
                    int drawn = 0;
                    for (int j = 0; j < am1; j++)
                    {
                        drawn += tables.LocalPolicyByteThresholds[(row * am1) + j] <= b ? 1 : 0;
                    }

                    Assert.Equal(expected, drawn);
                }
            }
        }
    }

    [Fact]
    public void DeviceExactModeChangesTheDrawsButTheDefaultStaysAsItWas()
    {
        Game game = TinyGames.Random(4, globalStates: 2, globalActions: 2, localStates: 3, localActions: 3, n: 20);
        var pair = TinyGames.RandomPolicies(4, game, k: 4);
        var settings = new EvaluationSettings(4, 10, 5, 3, 11);
        var evaluator = new RobotLevelEvaluator(1);

        EvaluationResult byDefault = evaluator.Evaluate(game, pair, settings);
        EvaluationResult uniform = evaluator.Evaluate(game, pair, settings with { Draws = RobotActionDraw.Uniform32 });
        EvaluationResult device = evaluator.Evaluate(game, pair, settings with { Draws = RobotActionDraw.DeviceExact });

        Assert.Equal(byDefault.PerSeedMeans, uniform.PerSeedMeans);
        Assert.NotEqual(byDefault.PerSeedMeans, device.PerSeedMeans);
    }
}
