using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>GStepSolver.Topological: the same fixed point as value iteration, reached component by component.</summary>
public class GStepTopologicalTests
{
    private static TrainingConfig Config(int k, GStepSolver solver, double tolerance, int threads = 1) => new()
    {
        K = k,
        Mode = GStepMode.Rounded,
        GSolver = solver,
        GTolerance = tolerance,
        GMaxSweeps = 100_000,
        Threads = threads,
    };

    [Theory]
    [InlineData(0UL, 12, 5, 5, 5)] // zones
    [InlineData(1UL, 20, 5, 5, 5)] // zones, parallel map blocks
    [InlineData(2UL, 9, 3, 4, 3)]
    [InlineData(3UL, 7, 2, 3, 4)]
    [InlineData(4UL, 6, 4, 7, 2)]  // |A_g| = 7: two 256-bit vectors of actions
    [InlineData(5UL, 5, 3, 9, 3)]  // |A_g| = 9: the general (stack) path
    public void ReachesValueIterationsFixedPointWithGreedyActions(ulong seed, int k, int g, int ag, int l)
    {
        Game game = seed < 2 ? TestGames.Zones() : TestGames.Random(seed, g, ag, l, 2);
        double[] pi = TestGames.RandomLocalPolicy(game, seed);
        var topological = new GStep(game, Config(k, GStepSolver.Topological, 1e-11));
        GStepResult solved = topological.Solve(pi, k, 0);
        GStepResult reference = new GStep(game, Config(k, GStepSolver.ValueIteration, 1e-12)).Solve(pi, k, 0);

        // |V − V*| ≤ tol/(1 − γ) for both (file header of GStep.Topological.cs).
        double bound = (1e-11 + 1e-12) / (1 - game.Gamma);
        for (int row = 0; row < solved.Value.Length; row++)
        {
            Assert.True(Math.Abs(solved.Value[row] - reference.Value[row]) <= bound, $"row {row}: {solved.Value[row]} vs value iteration {reference.Value[row]}");
        }

        // V is a fixed point of the Bellman operator and every action attains the max of Q(V) (up to the tolerance).
        double[] q = topological.QTable(pi, k, 0, solved.Value);
        for (int row = 0; row < solved.Value.Length; row++)
        {
            double max = Enumerable.Range(0, ag).Max(a => q[(row * ag) + a]);
            Assert.True(Math.Abs(max - solved.Value[row]) <= 1e-9, $"row {row}: T V = {max}, V = {solved.Value[row]}");
            Assert.True(q[(row * ag) + solved.Actions[row]] >= max - 1e-9, $"row {row}: action {solved.Actions[row]} is not greedy");
        }
    }

    [Fact]
    public void ZonesGraphHasTheCyclesTheSolverMustIterateOver()
    {
        // Guards the test above: on zones the next-count graph has self-loops and multi-vector cycles, so the closed form
        // and the Gauss–Seidel branch both run (and a solver that ignored cycles would fail the fixed-point check).
        Game game = TestGames.Zones();
        const int k = 20;
        var ranker = new CountRanker(game.LocalStates, k);
        var space = CountSpace.Build(ranker, k);
        NextCountModel next = RoundedNextCounts.Build(LocalMarginals.Compute(game, TestGames.RandomLocalPolicy(game, 1)), space, ranker, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        CountGraphComponents components = CountGraphComponents.Build(next.NextRank, space.Size, game.GlobalStates);
        int selfLoops = Enumerable.Range(0, space.Size).Count(c => Enumerable.Range(0, game.GlobalStates).Any(sg => next.NextRank[(c * game.GlobalStates) + sg] == c));
        Assert.True(selfLoops > 0, "no self-loop");

        // Components come successors first: every edge stays in its component or goes to an earlier one.
        for (int c = 0; c < space.Size; c++)
        {
            for (int sg = 0; sg < game.GlobalStates; sg++)
            {
                Assert.True(components.ComponentOf[next.NextRank[(c * game.GlobalStates) + sg]] <= components.ComponentOf[c]);
            }
        }

        Assert.Equal(space.Size, components.Order.Distinct().Count());
    }

    [Fact]
    public void ResultsAndExportTablesDoNotDependOnThreadCount()
    {
        Game game = TestGames.Zones();
        double[] pi = TestGames.RandomLocalPolicy(game, 9);
        GStepResult one = new GStep(game, Config(20, GStepSolver.Topological, 1e-7, threads: 1)).Solve(pi, 20, 0);
        GStepResult two = new GStep(game, Config(20, GStepSolver.Topological, 1e-7, threads: 2)).Solve(pi, 20, 0);
        Assert.Equal(one.Value, two.Value);
        Assert.Equal(one.Actions, two.Actions);

        int[] kPrimes = [3, 19, 1, 12];
        int[][] tablesOne = new GStep(game, Config(20, GStepSolver.Topological, 1e-7, threads: 1)).SolveTables(pi, kPrimes, 5);
        int[][] tablesTwo = new GStep(game, Config(20, GStepSolver.Topological, 1e-7, threads: 2)).SolveTables(pi, kPrimes, 5);
        for (int i = 0; i < kPrimes.Length; i++)
        {
            Assert.Equal(tablesOne[i], tablesTwo[i]);
            Assert.Equal(new GStep(game, Config(20, GStepSolver.Topological, 1e-7)).Solve(pi, kPrimes[i], 0).ToPolicyTable(game.GlobalStates), tablesOne[i]);
        }
    }

    [Theory]
    [InlineData(11UL, 3, 9)]
    [InlineData(12UL, 4, 7)]
    [InlineData(13UL, 6, 5)]
    [InlineData(14UL, 5, 14)] // L = 5: the four-vector groups (vector lanes) and their scalar tails
    [InlineData(15UL, 5, 23)]
    public void RoundedMapMatchesTheDefinitionForOtherLocalStateCounts(ulong seed, int l, int k)
    {
        // L ≠ 5 takes the general rounding path (zones' L = 5 has its own, tested in GStepTests; random L = 5 games here too).
        Game game = TestGames.Random(seed, 2, 2, l, 2);
        var marginals = LocalMarginals.Compute(game, TestGames.RandomLocalPolicy(game, seed));
        var ranker = new CountRanker(l, k);
        var space = CountSpace.Build(ranker, k);
        NextCountModel model = RoundedNextCounts.Build(marginals, space, ranker, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        var expected = new double[l];
        var rounded = new int[l];
        for (int c = 0; c < space.Size; c++)
        {
            for (int sg = 0; sg < game.GlobalStates; sg++)
            {
                RoundedNextCounts.ExpectedNext(marginals, space, c, sg, expected);
                LargestRemainder.Round(expected, k, rounded, new double[l]);
                Assert.Equal(ranker.Rank(rounded, 0, k), model.NextRank[(c * game.GlobalStates) + sg]);
            }
        }
    }

    [Theory]
    [InlineData(0UL, 12, 100, 1e-6)]   // zones, the reference preset's 100 sweeps
    [InlineData(1UL, 20, 100, 1e-6)]   // zones, parallel blocks
    [InlineData(2UL, 8, 7, 1e-6)]      // a short cap: partial sweeps only for n ≤ 5
    [InlineData(3UL, 6, 100_000, 1e-9)] // stops on the tolerance: the partial-sweep path hands over to full value iteration
    public void ValueIterationWhereReadIsBitIdenticalToFullSweeps(ulong seed, int k, int cap, double tolerance)
    {
        Game game = seed < 2 ? TestGames.Zones() : TestGames.Random(seed, 3, 4, 4, 2);
        double[] pi = TestGames.RandomLocalPolicy(game, seed);
        var config = new TrainingConfig { K = k, GMaxSweeps = cap, GTolerance = tolerance, Threads = 2 };
        GStepResult whereRead = new GStep(game, config).Solve(pi, k, 0);
        GStepResult full = new GStep(game, config) { ForcedKernel = GStep.SweepKernelKind.General }.Solve(pi, k, 0);
        Assert.Equal(full.Sweeps, whereRead.Sweeps);
        Assert.Equal(full.LastChange, whereRead.LastChange);
        Assert.Equal(full.Value, whereRead.Value);
        Assert.Equal(full.Actions, whereRead.Actions);
    }

    [Fact]
    public void RoundsReusingOneInstanceAreBitIdenticalToFreshSolves()
    {
        // One instance across rounds keeps scratch between solves: the map's two buffers, Tarjan's arrays, the components of an
        // unchanged map (π_l repeated below) and, consuming the warm start, V solved in place. Each round must give the same
        // bits as a fresh instance solving from a private copy of the same warm start.
        Game game = TestGames.Zones();
        const int k = 14;
        TrainingConfig config = Config(k, GStepSolver.Topological, 1e-9) with { GWarmStart = true };
        double[][] policies = [TestGames.RandomLocalPolicy(game, 21), TestGames.RandomLocalPolicy(game, 22), TestGames.RandomLocalPolicy(game, 22), TestGames.RandomLocalPolicy(game, 23), TestGames.RandomLocalPolicy(game, 21)];
        var reused = new GStep(game, config);
        double[]? warm = null;
        int sameMaps = 0;
        foreach (double[] pi in policies)
        {
            GStepResult fresh = new GStep(game, config).Solve(pi, k, 0, warm is null ? null : (double[])warm.Clone());
            GStepResult round = reused.SolveConsumingWarmStart(pi, k, 0, warm);
            sameMaps += reused.Phases.SameMap ? 1 : 0;
            Assert.Equal(fresh.Value, round.Value);
            Assert.Equal(fresh.Actions, round.Actions);
            Assert.Equal(fresh.Sweeps, round.Sweeps);
            Assert.Equal(fresh.LastChange, round.LastChange);
            warm = round.Value;
        }

        Assert.Equal(1, sameMaps); // the repeated π_l (and only it) kept the last components
    }

    [Theory]
    [InlineData(0UL, 12, 5, 5, 5)] // zones: |A_g| = 5, the two 256-bit vectors in one 512-bit vector
    [InlineData(6UL, 9, 3, 3, 4)]  // |A_g| = 3: one 256-bit vector, the upper lanes padding
    [InlineData(7UL, 7, 4, 8, 3)]  // |A_g| = 8: every lane used
    [InlineData(8UL, 6, 3, 9, 3)]  // |A_g| = 9: no 512-bit path (the general one either way)
    public void BackupsIn512BitVectorsAreBitIdenticalToThe256BitPath(ulong seed, int k, int g, int ag, int l)
    {
        // ForcedKernel = General keeps RowBackup on its 256-bit vectors; the default takes the 512-bit one where the CPU has
        // AVX-512 (this machine does). Exact equality of V, actions, sweeps and the last change, across rounds with a warm start.
        Game game = seed == 0 ? TestGames.Zones() : TestGames.Random(seed, g, ag, l, 2);
        TrainingConfig config = Config(k, GStepSolver.Topological, 1e-9) with { GWarmStart = true };
        var wide = new GStep(game, config);
        var narrow = new GStep(game, config) { ForcedKernel = GStep.SweepKernelKind.General };
        double[]? warm = null;
        foreach (ulong policySeed in new[] { seed + 30, seed + 31 })
        {
            double[] pi = TestGames.RandomLocalPolicy(game, policySeed);
            GStepResult a = narrow.Solve(pi, k, 0, warm);
            GStepResult b = wide.Solve(pi, k, 0, warm);
            Assert.Equal(a.Value, b.Value);
            Assert.Equal(a.Actions, b.Actions);
            Assert.Equal(a.Sweeps, b.Sweeps);
            Assert.Equal(a.LastChange, b.LastChange);
            warm = a.Value;
        }
    }

    [Fact]
    public void PolicyTableIsTheTransposeOfTheActions()
    {
        var actions = new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }; // rows rank(c)·|S_g| + s_g, |S_g| = 3, 4 count vectors
        int[] table = new GStepResult(1, new double[12], actions, 1, 0).ToPolicyTable(3);
        Assert.Equal([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11], table); // [s_g·|C_k| + rank(c)]
    }

    [Fact]
    public void FirstRoundsAreSharedAcrossInstancesAsPrivateCopiesOfTheSameBits()
    {
        // A portfolio's softmax and greedy alternations both start from π_l and V = 0: the second instance's first G-step comes
        // from the cache. Each caller owns its copy (the alternation solves the next round in place of V), so overwriting one
        // must not change what the next caller gets; and the cached bits are those of a solve that never saw the cache.
        Game game = TestGames.Zones();
        const int k = 13;
        TrainingConfig config = Config(k, GStepSolver.Topological, 1e-9) with { GWarmStart = true };
        double[] pi = TestGames.RandomLocalPolicy(game, 41);
        GStepResult uncached = new GStep(game, config) { ForcedKernel = GStep.SweepKernelKind.General }.Solve(pi, k, 0);

        GStepResult first = new GStep(game, config).SolveConsumingWarmStart(pi, k, 0, null);
        int hits = GStep.FirstRoundHits;
        Array.Fill(first.Value, -1.0);
        Array.Fill(first.Actions, (byte)9);
        GStepResult[] again = new GStepResult[2];
        Parallel.Invoke(
            () => again[0] = new GStep(game, config).SolveConsumingWarmStart((double[])pi.Clone(), k, 0, null),
            () => again[1] = new GStep(game, config).Solve(pi, k, 0));
        Assert.True(GStep.FirstRoundHits >= hits + 2, "the later first rounds did not come from the cache");
        foreach (GStepResult shared in again)
        {
            Assert.Equal(uncached.Value, shared.Value);
            Assert.Equal(uncached.Actions, shared.Actions);
            Assert.Equal(uncached.Sweeps, shared.Sweeps);
            Assert.Equal(uncached.LastChange, shared.LastChange);
        }

        Assert.NotSame(again[0].Value, again[1].Value);

        // A different π_l (or a warm start) is solved, not looked up.
        double[] other = TestGames.RandomLocalPolicy(game, 42);
        Assert.Equal(new GStep(game, config) { ForcedKernel = GStep.SweepKernelKind.General }.Solve(other, k, 0).Value, new GStep(game, config).Solve(other, k, 0).Value);
        double[] warm = (double[])uncached.Value.Clone();
        GStepResult warmStarted = new GStep(game, config).SolveConsumingWarmStart(pi, k, 0, warm);
        Assert.Same(warm, warmStarted.Value);
    }
}
