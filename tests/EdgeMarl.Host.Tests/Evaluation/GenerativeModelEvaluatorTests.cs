using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Tests.Simulation;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Tests.Evaluation;

/// <summary>
/// Rollouts through an <see cref="IGameSimulator"/> (docs/evaluation.md "Rollouts through a simulator") against the
/// table-based robot-level evaluator. Both use the same generators and draw order; they map a 32-bit environment draw to
/// a next state differently (inversion of the cumulative row vs rounded integer thresholds), which agree on every draw
/// when every transition probability is a multiple of 2⁻³² — so on a dyadic game the results must be bit-identical.
/// </summary>
public sealed class GenerativeModelEvaluatorTests
{
    [Theory]
    [InlineData(InitialLocalKind.Fixed, 3)]
    [InlineData(InitialLocalKind.Dirichlet, 3)]
    [InlineData(InitialLocalKind.Fixed, 1)]
    public void OnADyadicGameTheTableSimulatorGivesTheRobotLevelEvaluatorsNumbersBitForBit(InitialLocalKind kind, int k)
    {
        Game game = DyadicGame(kind, seed: 11);
        PolicyPair pair = RandomPair(game, k, seed: 5);
        var settings = new EvaluationSettings(k, 12, 6, 4, 42);

        EvaluationResult tables = new RobotLevelEvaluator().Evaluate(game, pair, settings);
        EvaluationResult generative = new GenerativeModelEvaluator(new TableGameSimulator(game)).Evaluate(game, pair, settings);
        EvaluationResult oneThread = new GenerativeModelEvaluator(new TableGameSimulator(game), maxDegreeOfParallelism: 1).Evaluate(game, pair, settings);

        Assert.Equal(tables.PerSeedMeans, generative.PerSeedMeans); // exact double equality, every seed
        Assert.Equal(tables.Mean, generative.Mean);
        Assert.Equal(generative.PerSeedMeans, oneThread.PerSeedMeans);
        Assert.NotEqual(tables.Mean, new GenerativeModelEvaluator(new TableGameSimulator(game)).Evaluate(game, pair, settings with { Seed = 43 }).Mean);
    }

    [Fact]
    public void DegradationTablesAreLookedUpAsTheRobotLevelEvaluatorDoes()
    {
        Game game = DyadicGame(InitialLocalKind.Fixed, seed: 3);
        PolicyPair full = RandomPair(game, 3, seed: 9);
        var degraded = new PolicyPair(full.GlobalStates, full.GlobalActionCount, full.LocalStates, full.LocalActionCount, 1, 3, [full.GlobalActions[0], full.GlobalActions[1], null!], full.LocalPolicy);
        var settings = new EvaluationSettings(3, 10, 5, 3, 7);

        Assert.Equal(
            new RobotLevelEvaluator().Evaluate(game, degraded, settings).PerSeedMeans,
            new GenerativeModelEvaluator(new TableGameSimulator(game)).Evaluate(game, degraded, settings).PerSeedMeans);
    }

    [Fact]
    public void OnZonesTheTableSimulatorAgreesWithTheRobotLevelEvaluator()
    {
        // zones is not dyadic: the two draw maps may differ for a draw within one unit (2⁻³²) of a row boundary, a
        // probability of about 4·2⁻³² per draw. These seeds (24,000 robot moves) have no such draw, so the numbers are equal;
        // a change of draw order or of the reward sum would change them.
        Game game = BuiltInGames.Create("zones").WithAgentCount(40);
        PolicyPair pair = RandomPair(game, 3, seed: 1);
        var settings = new EvaluationSettings(3, 20, 10, 3, 5);

        Assert.Equal(
            new RobotLevelEvaluator().Evaluate(game, pair, settings).PerSeedMeans,
            new GenerativeModelEvaluator(new TableGameSimulator(game)).Evaluate(game, pair, settings).PerSeedMeans);
    }

    [Fact]
    public void ThePythonZonesSimulatorGivesTheSameNumbersAsTheBuiltInTables()
    {
        Game game = BuiltInGames.Create("zones").WithAgentCount(40);
        PolicyPair pair = RandomPair(game, 2, seed: 2);
        var settings = new EvaluationSettings(2, 10, 8, 2, 3);
        using var process = JsonLinesSimulatorProcess.Start(PythonSimulators.ZonesCommand(), TimeSpan.FromSeconds(30));

        Assert.NotNull(process.Info.InitialLocalDirichlet); // the zones benchmark's Dirichlet start, announced in the hello
        Assert.Equal(
            new GenerativeModelEvaluator(new TableGameSimulator(game)).Evaluate(game, pair, settings).PerSeedMeans,
            new GenerativeModelEvaluator(process).Evaluate(game, pair, settings).PerSeedMeans);
    }

    [Fact]
    public void ReferenceTimingIsRefusedWithAReason()
    {
        Game game = DyadicGame(InitialLocalKind.Fixed, seed: 1);
        PolicyPair pair = RandomPair(game, 2, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => new GenerativeModelEvaluator(new TableGameSimulator(game))
            .Evaluate(game, pair, new EvaluationSettings(2, 5, 2, 2, 1) { Timing = LocalTransitionTiming.NextGlobalState }));
        Assert.Contains("design timing only", e.Message);
    }

    /// <summary>A random game whose every probability is a multiple of 1/8 (exact in binary, so both draw maps agree).</summary>
    internal static Game DyadicGame(InitialLocalKind kind, ulong seed)
    {
        const int g = 3, ag = 2, l = 3, al = 2, n = 12;
        var rng = new Pcg32(seed, 0);
        double[] Rows(int rows, int width)
        {
            var table = new double[rows * width];
            for (int r = 0; r < rows; r++)
            {
                for (int eighth = 0; eighth < 8; eighth++)
                {
                    table[(r * width) + (int)rng.NextBelow((uint)width)] += 0.125;
                }
            }

            return table;
        }

        double[] Rewards(int count) => [.. Enumerable.Range(0, count).Select(_ => rng.NextBelow(9) / 4.0)];
        double[] initialLocal = kind == InitialLocalKind.Dirichlet ? [0.5, 1.5, 2.0] : [0.25, 0.5, 0.25];
        return new Game("dyadic", g, ag, l, al, Rows(g * ag, g), Rows(l * g * al, l), Rewards(g * ag), Rewards(l * g * al), 0.9, n, [0.5, 0.25, 0.25], kind, initialLocal);
    }

    internal static PolicyPair RandomPair(Game game, int k, ulong seed)
    {
        var rng = new Pcg32(seed, 0);
        var ranker = new EdgeMarl.Shared.Counting.CountRanker(game.LocalStates, k);
        var tables = new int[k][];
        for (int kk = 1; kk <= k; kk++)
        {
            tables[kk - 1] = [.. Enumerable.Range(0, game.GlobalStates * ranker.Count(kk)).Select(_ => (int)rng.NextBelow((uint)game.GlobalActions))];
        }

        var local = new double[game.GlobalStates * game.LocalStates * game.LocalActions];
        for (int i = 0; i < local.Length; i++)
        {
            local[i] = 0.1 + rng.NextUnitDouble();
        }

        return new PolicyPair(game.GlobalStates, game.GlobalActions, game.LocalStates, game.LocalActions, 1, k, tables, local);
    }
}
