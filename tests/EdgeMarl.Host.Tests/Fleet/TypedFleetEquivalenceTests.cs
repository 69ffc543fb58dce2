using EdgeMarl.Host.Fleet;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Tests.Fleet;

/// <summary>
/// Typed fleets end to end (docs/heterogeneity.md §8): a typed pair trained on zones-mixed, exported to a version-5 policy file,
/// run by the real firmware nodes (each robot provisioned with its type, reporting x = τ·|S_l| + s_l, the gateway counting
/// (type, state) classes) replays <see cref="TypedFleetSimulator"/> with the same provisioned types bit for bit.
/// </summary>
public class TypedFleetEquivalenceTests
{
    [Theory]
    [InlineData(0.5, 3, 24, 11UL)]
    [InlineData(1.0, 4, 16, 12UL)]
    public void TheTypedFleetReplaysTheTypedSimulatorBitForBit(double h, int k, int n, ulong seed)
    {
        (TypedGame game, PolicyTable policy) = TrainedTypedPolicy(h, k, n);
        int[] types = [.. Enumerable.Range(0, n).Select(i => (i * 7 % 3) == 0 ? 1 : 0)];
        var options = new FleetOptions { Robots = n, Episodes = 3, Ticks = 12, Seed = seed, RecordTrace = true };
        var runner = new FleetRunner(game, policy, types, options);
        FleetResult result = runner.Run();

        EquivalenceReport report = FleetEquivalence.CompareTyped(runner.TypedTables!, runner.RobotTypes!, options.Seed, result);

        Assert.Equal(PolicyFileLayout.FormatVersionTyped, policy.FormatVersion);
        Assert.Equal(2, policy.RobotTypes);
        Assert.True(report.Equal, report.FirstDifference);
        Assert.Equal(3 * 12, report.TicksCompared);
        Assert.Equal(report.EvaluatorMean, report.FleetMean);
        Assert.Equal(0, result.Counters.Lost + result.Counters.Rejected + result.Counters.FallbackTicks);

        // The counts really are over (type, state) classes: the worn type's classes (x ≥ |S_l|) were counted.
        int l = game.Template.LocalStates;
        Assert.Contains(result.Trace, r => r.Counts.Length == 2 * l && r.Counts.Skip(l).Sum() > 0);
    }

    [Fact]
    public void RobotsProvisionedWithTheWrongTypeBreakEquivalence()
    {
        // Negative control: the same run with a third of the robots provisioned as the other type (the plant still moves them by
        // their true type). Their reports carry the wrong class and they draw from the wrong rows, so the check must fail.
        (TypedGame game, PolicyTable policy) = TrainedTypedPolicy(0.5, 3, 24);
        int[] types = [.. Enumerable.Range(0, 24).Select(i => (i * 7 % 3) == 0 ? 1 : 0)];
        int[] wrong = [.. types.Select((t, i) => i % 3 == 0 ? 1 - t : t)];
        var options = new FleetOptions { Robots = 24, Episodes = 3, Ticks = 12, Seed = 11, RecordTrace = true, ProvisionedTypes = wrong };
        var runner = new FleetRunner(game, policy, types, options);

        EquivalenceReport report = FleetEquivalence.CompareTyped(runner.TypedTables!, runner.RobotTypes!, options.Seed, runner.Run());

        Assert.False(report.Equal);
    }

    [Fact]
    public void AReferenceThatDrawsTypesInsteadOfTheProvisionedOnesDiffers()
    {
        // Negative control for the reference: the hetero experiment's i.i.d. type draws (no provisioned types) are not this fleet.
        (TypedGame game, PolicyTable policy) = TrainedTypedPolicy(0.5, 3, 24);
        int[] types = [.. Enumerable.Range(0, 24).Select(i => i < 12 ? 0 : 1)];
        var options = new FleetOptions { Robots = 24, Episodes = 2, Ticks = 12, Seed = 13, RecordTrace = true };
        var runner = new FleetRunner(game, policy, types, options);
        FleetResult result = runner.Run();
        var drawn = new TypedFleetSimulator(runner.TypedTables!, EdgeMarl.Host.Evaluation.RobotActionDraw.DeviceExact);
        drawn.Reset(EdgeMarl.Host.Evaluation.EvaluationSeeds.Rollout(13, 0, 0));

        Assert.True(FleetEquivalence.CompareTyped(runner.TypedTables!, runner.RobotTypes!, 13, result).Equal);
        Assert.False(drawn.RobotTypes.SequenceEqual(types));
    }

    [Fact]
    public void AnUntypedRunnerRefusesATypedPolicy()
    {
        (TypedGame game, PolicyTable policy) = TrainedTypedPolicy(0.5, 3, 24);

        var e = Assert.Throws<ArgumentException>(() => new FleetRunner(game.Template.WithAgentCount(24), policy, new FleetOptions { Robots = 24 }));

        Assert.Contains("T = 2", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Typed training (reference preset) on zones-mixed with <paramref name="n"/> robots, exported as the CLI does (format 5).</summary>
    internal static (TypedGame Game, PolicyTable Policy) TrainedTypedPolicy(double h, int k, int n)
    {
        TypedGame game = ZonesMixedGame.Create(h, agentCount: n);
        byte[] file = TypedTrainedCache.GetOrAdd((h, k, n), _ =>
        {
            var config = TypedTraining.Preset(k, 7) with { Threads = 1 };
            PolicyPair pair = TypedTraining.Train(game, TypingMethod.Typed, config).Policies;
            var trained = new TrainedPolicy(pair, game.Name, TypedGameHash.Compute(game), new byte[32], n, game.TypeCount);
            return PolicyExport.ToVerifiedBytes(trained, null, 1);
        });
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, out PolicyTable policy, out PolicyFileError error), error.ToString());
        return (game, policy);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double, int, int), byte[]> TypedTrainedCache = new();
}
