using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EdgeMarl.Host.Tests.Evaluation;

/// <summary>
/// The composed count simulator (docs/evaluation.md "Composed count simulator"): its mean return is the exact expected return
/// of the pair for both timings (backward induction over the joint chain, <see cref="ExactJointValue"/>), equal to the
/// robot-level evaluator's on zones, its counts are conserved, and on deterministic games it is the robot-level system step
/// for step. The power guards show that the two plausible bugs (robots moved by the wrong global state, the robots' reward
/// term dropped) move the value far outside the intervals used here.
/// </summary>
public class ComposedCountSimulatorTests
{
    private const int Horizon = 12;

    public static TheoryData<string, LocalTransitionTiming> Cases()
    {
        var data = new TheoryData<string, LocalTransitionTiming>();
        foreach (string name in new[] { "fixed-init n=4 k=2", "dirichlet-init n=3 k=2", "k=n=3", "one local state n=4 k=2", "one local action n=4 k=3", "timing matters n=4 k=2" })
        {
            data.Add(name, LocalTransitionTiming.CurrentGlobalState);
            data.Add(name, LocalTransitionTiming.NextGlobalState);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mean_is_within_its_confidence_interval_of_the_exact_value(string name, LocalTransitionTiming timing)
    {
        var (game, policies, k) = Build(name);
        double exact = ExactJointValue.Compute(game, policies, k, Horizon, timing);
        (double mean, double halfWidth) = Interval(new ComposedCountEvaluator().Evaluate(game, policies, Settings(k, timing)));
        Assert.True(Math.Abs(mean - exact) <= halfWidth, $"composed {mean:F5} ± {halfWidth:F5} (99.9%) does not cover exact {exact:F5} ({timing})");
    }

    [Theory]
    [InlineData("timing matters n=4 k=2")]
    [InlineData("fixed-init n=4 k=2")]
    public void The_robot_level_simulator_agrees_with_the_exact_value_under_the_reference_timing(string name)
    {
        // Checks the exact value's reference timing against the independent robot-level simulator.
        var (game, policies, k) = Build(name);
        double exact = ExactJointValue.Compute(game, policies, k, Horizon, LocalTransitionTiming.NextGlobalState);
        (double mean, double halfWidth) = Interval(new RobotLevelEvaluator().Evaluate(game, policies, Settings(k, LocalTransitionTiming.NextGlobalState)));
        Assert.True(Math.Abs(mean - exact) <= halfWidth, $"robot level {mean:F5} ± {halfWidth:F5} does not cover exact {exact:F5}");
    }

    [Theory]
    [InlineData(LocalTransitionTiming.CurrentGlobalState)]
    [InlineData(LocalTransitionTiming.NextGlobalState)]
    public void Without_a_table_for_k_the_gateway_acts_by_the_largest_stored_one_on_a_uniform_subsample(LocalTransitionTiming timing)
    {
        // A pair with a table for k' = 2 only, played at k = 4 (a lifted pair): a uniform 2-subsample of a uniform 4-sample is a
        // uniform 2-sample, so its exact value at k = 4 is the source's at k' = 2.
        var (game, source, kPrime) = Build("fixed-init n=4 k=2");
        var lifted = new PolicyPair(source.GlobalStates, source.GlobalActionCount, source.LocalStates, source.LocalActionCount, kPrime, 4, [source.GlobalActions[0], null!, null!], source.LocalPolicy);
        double exact = ExactJointValue.Compute(game, source, kPrime, Horizon, timing);
        (double mean, double halfWidth) = Interval(new ComposedCountEvaluator().Evaluate(game, lifted, Settings(4, timing)));
        Assert.True(Math.Abs(mean - exact) <= halfWidth, $"composed at k = 4 {mean:F5} ± {halfWidth:F5} does not cover the exact value at k' = 2, {exact:F5}");
    }

    [Fact]
    public void Power_moving_robots_by_the_wrong_global_state_or_dropping_their_reward_is_far_outside_the_interval()
    {
        // Guards the tests above: the interval must be much narrower than what either bug does to the value.
        var (game, policies, k) = Build("timing matters n=4 k=2");
        (_, double halfWidth) = Interval(new ComposedCountEvaluator().Evaluate(game, policies, Settings(k, LocalTransitionTiming.NextGlobalState)));
        double design = ExactJointValue.Compute(game, policies, k, Horizon, LocalTransitionTiming.CurrentGlobalState);
        double reference = ExactJointValue.Compute(game, policies, k, Horizon, LocalTransitionTiming.NextGlobalState);
        double globalOnly = ExactJointValue.Compute(WithoutLocalReward(game), policies, k, Horizon, LocalTransitionTiming.NextGlobalState);
        Assert.True(Math.Abs(design - reference) > 5 * halfWidth, $"timing moves J by {design - reference:F5}, half-width {halfWidth:F5}");
        Assert.True(Math.Abs(reference - globalOnly) > 5 * halfWidth, $"the robots' reward is worth {reference - globalOnly:F5}, half-width {halfWidth:F5}");

        // And the evaluator itself, handed the other timing, lands outside the interval (the comparison is not blind to it).
        (double wrong, _) = Interval(new ComposedCountEvaluator().Evaluate(game, policies, Settings(k, LocalTransitionTiming.CurrentGlobalState)));
        Assert.True(Math.Abs(wrong - reference) > halfWidth, $"design-timing value {wrong:F5} within {halfWidth:F5} of the reference-timing J {reference:F5}");
    }

    [Theory]
    [InlineData(LocalTransitionTiming.CurrentGlobalState, 40, 3)]
    [InlineData(LocalTransitionTiming.NextGlobalState, 40, 3)]
    [InlineData(LocalTransitionTiming.CurrentGlobalState, 200, 5)]
    [InlineData(LocalTransitionTiming.NextGlobalState, 200, 20)] // k ≥ SequentialSampleSize: the gateway sample state by state
    public void On_zones_the_mean_equals_the_robot_level_mean(LocalTransitionTiming timing, int n, int k)
    {
        // Independent runs (different base seeds), one rollout per seed: Welch's t on the per-rollout returns. Only the means
        // are claimed equal (the composed returns need not have the robot-level distribution), so no distribution test.
        Game game = ZonesGame.Create().WithAgentCount(n);
        var policies = TinyGames.RandomPolicies(77, game, k);
        const int rollouts = 2000;
        double[] robot = new RobotLevelEvaluator().Evaluate(game, policies, new EvaluationSettings(k, 20, 1, rollouts, 21) { Timing = timing }).PerSeedMeans;
        double[] composed = new ComposedCountEvaluator().Evaluate(game, policies, new EvaluationSettings(k, 20, 1, rollouts, 22) { Timing = timing }).PerSeedMeans;
        double t = Statistics.WelchT(robot, composed);
        Assert.True(Math.Abs(t) < Statistics.Z999, $"Welch t = {t:F2} (robot {robot.Average():F4}, composed {composed.Average():F4})");
    }

    [Fact]
    public void Same_seed_same_value_whatever_the_thread_count_and_another_seed_another_value()
    {
        Game game = ZonesGame.Create();
        var policies = TinyGames.RandomPolicies(5, game, 6);
        var settings = new EvaluationSettings(6, 50, 100, 1, 1234);
        double one = new ComposedCountEvaluator(1).Evaluate(game, policies, settings).Mean;
        double two = new ComposedCountEvaluator(2).Evaluate(game, policies, settings).Mean;
        double all = new ComposedCountEvaluator().Evaluate(game, policies, settings).Mean;
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(two));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(all));
        Assert.NotEqual(one, new ComposedCountEvaluator(2).Evaluate(game, policies, settings with { Seed = 1235 }).Mean);
    }

    [Fact]
    public void One_step_from_fixed_counts_is_the_multinomial_of_the_composed_row()
    {
        // All n = 40 robots start in local state 0, whose composed row is Q = (0.15, 0, 0.6, 0.04, 0.21) (two actions, each
        // half the time): one step must draw N' ~ Multinomial(40, Q), whatever order the sampler visits the outcomes in.
        const int n = 40, l = 5, draws = 40000;
        double[] q = [0.15, 0, 0.6, 0.04, 0.21];
        var pl = new double[l * 1 * 2 * l];
        double[][] rowsOfZero = [[0.2, 0, 0.5, 0.02, 0.28], [0.1, 0, 0.7, 0.06, 0.14]];
        for (int s = 0; s < l; s++)
        {
            for (int a = 0; a < 2; a++)
            {
                for (int j = 0; j < l; j++)
                {
                    pl[(((s * 2) + a) * l) + j] = s == 0 ? rowsOfZero[a][j] : j == s ? 1 : 0;
                }
            }
        }

        double[] pi = new double[l * 2];
        Array.Fill(pi, 0.5);
        var game = new Game("one step", 1, 1, l, 2, [1.0], pl, [0.0], new double[l * 2], 0.9, n, [1.0], InitialLocalKind.Fixed, [1, 0, 0, 0, 0]);
        var policies = new PolicyPair(1, 1, l, 2, 1, 1, [new int[l]], pi);
        var simulator = new ComposedCountSimulator(new EvaluationTables(game, policies, 1, LocalTransitionTiming.CurrentGlobalState));
        double[] row = simulator.ComposedRow(0, 0, 0);
        for (int j = 0; j < l; j++)
        {
            Assert.Equal(q[j], row[j], 12);
        }

        var ranker = new CountRanker(l, n);
        double[] observed = new double[ranker.Count(n)];
        double[][] marginal = [.. Enumerable.Range(0, l).Select(_ => new double[n + 1])];
        for (int i = 0; i < draws; i++)
        {
            simulator.Reset(EvaluationSeeds.Rollout(99, 0, i));
            simulator.Step();
            int[] counts = simulator.Population.ToArray();
            Assert.Equal(n, counts.Sum());
            Assert.Equal(0, counts[1]);
            observed[ranker.Rank(counts, 0, n)]++;
            for (int j = 0; j < l; j++)
            {
                marginal[j][counts[j]]++;
            }
        }

        double[] logFactorial = ModeSearchBinomial.LogFactorials(n);
        double[] expected = new double[observed.Length];
        int[] c = new int[l];
        for (int rank = 0; rank < expected.Length; rank++)
        {
            ranker.Unrank(rank, n, c, 0);
            double log = logFactorial[n];
            for (int j = 0; j < l && !double.IsNegativeInfinity(log); j++)
            {
                log = c[j] == 0 ? log : q[j] == 0 ? double.NegativeInfinity : log - logFactorial[c[j]] + (c[j] * Math.Log(q[j]));
            }

            expected[rank] = draws * Math.Exp(log);
        }

        var (o, e) = Statistics.Pool(observed, expected);
        double chi = Statistics.ChiSquare(o, e);
        Assert.True(chi < Statistics.ChiSquareCritical999(o.Count - 1), $"joint χ²={chi:F1} over {o.Count} cells");
        for (int j = 0; j < l; j++)
        {
            if (q[j] == 0)
            {
                continue;
            }

            double[] pmf = new double[n + 1];
            for (int x = 0; x <= n; x++)
            {
                pmf[x] = draws * Math.Exp(logFactorial[n] - logFactorial[x] - logFactorial[n - x] + (x * Math.Log(q[j])) + ((n - x) * Math.Log(1 - q[j])));
            }

            var (mo, me) = Statistics.Pool(marginal[j], pmf);
            double mchi = Statistics.ChiSquare(mo, me);
            Assert.True(mchi < Statistics.ChiSquareCritical999(mo.Count - 1), $"state {j}: χ²={mchi:F1} over {mo.Count} cells");
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void A_global_table_holding_an_action_outside_the_game_is_refused_with_its_value(int bad)
    {
        Game game = ZonesGame.Create();
        var policies = TinyGames.RandomPolicies(5, game, 6);
        int[] table = (int[])policies.GlobalActions[^1].Clone();
        table[table.Length - 3] = bad;
        var broken = new PolicyPair(5, 5, 5, 3, policies.KMin, 6, [.. policies.GlobalActions[..^1], table], policies.LocalPolicy);
        var e = Assert.Throws<ArgumentException>(() => new EvaluationTables(game, broken, 6));
        Assert.Contains($"holds action {bad}, outside [0, 5)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ComposedCountSimulator.SequentialSampleSize - 1)]
    [InlineData(ComposedCountSimulator.SequentialSampleSize)]
    [InlineData(50)]
    public void The_gateway_sample_takes_k_robots_and_no_more_of_a_state_than_it_holds(int k)
    {
        Game game = ZonesGame.Create().WithAgentCount(60);
        var simulator = new ComposedCountSimulator(new EvaluationTables(game, TinyGames.RandomPolicies(3, game, k), k));
        for (int rollout = 0; rollout < 40; rollout++)
        {
            simulator.Reset(EvaluationSeeds.Rollout(7, 0, rollout));
            for (int step = 0; step < 10; step++)
            {
                int[] before = simulator.Population.ToArray();
                simulator.Step();
                int[] c = simulator.SampleCounts.ToArray();
                Assert.Equal(k, c.Sum());
                Assert.All(Enumerable.Range(0, c.Length), j => Assert.InRange(c[j], 0, before[j]));
            }
        }
    }

    [Theory]
    [InlineData(4)] // per-robot gateway sample
    [InlineData(50)] // state-by-state gateway sample
    public void Steps_allocate_nothing_after_construction(int k)
    {
        Game game = ZonesGame.Create();
        var simulator = new ComposedCountSimulator(new EvaluationTables(game, TinyGames.RandomPolicies(9, game, k), k));
        simulator.Reset(1);
        simulator.Step(); // JIT and first-call paths outside the measurement
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int rollout = 0; rollout < 20; rollout++)
        {
            simulator.Reset(EvaluationSeeds.Rollout(5, 0, rollout));
            for (int step = 0; step < 50; step++)
            {
                sum += simulator.Step();
            }
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(sum > 0);
    }

    [Property(MaxTest = 150, Replay = "(20261204,31)")]
    public Property Counts_are_conserved_and_stay_on_the_support_of_the_composed_law() =>
        Prop.ForAll(DeterministicOrNot(false).ToArbitrary(), c =>
        {
            var tables = new EvaluationTables(c.Game, c.Policies, c.K, c.Timing);
            var simulator = new ComposedCountSimulator(tables);
            simulator.Reset(c.Seed);
            int l = c.Game.LocalStates;
            for (int step = 0; step < 15; step++)
            {
                int[] before = simulator.Population.ToArray();
                int sg = simulator.GlobalState;
                simulator.Step();
                int sm = c.Timing == LocalTransitionTiming.NextGlobalState ? simulator.GlobalState : sg;
                int[] after = simulator.Population.ToArray();
                Assert.Equal(c.Game.AgentCount, after.Sum());
                Assert.All(after, x => Assert.True(x >= 0));
                Assert.Equal(c.K, simulator.SampleCounts.ToArray().Sum());
                for (int j2 = 0; j2 < l; j2++)
                {
                    // A robot only lands where some occupied state sends it with positive probability.
                    bool reachable = Enumerable.Range(0, l).Any(j => before[j] > 0 && simulator.ComposedRow(sg, sm, j)[j2] > 0);
                    Assert.True(after[j2] == 0 || reachable, $"{after[j2]} robots in state {j2}, unreachable from {string.Join(",", before)} ({c})");
                }
            }
        });

    [Property(MaxTest = 150, Replay = "(20261204,37)")]
    public Property On_deterministic_games_it_is_the_robot_level_system_step_for_step() =>
        Prop.ForAll(DeterministicOrNot(true).ToArbitrary(), c =>
        {
            // Point-mass π_l, P_l, P_g (independent of a_g), initial states and r_g independent of a_g: both simulators are then
            // deterministic, so their counts and rewards must agree exactly at every step, for either timing.
            var robot = new RobotLevelSimulator(new EvaluationTables(c.Game, c.Policies, c.K, c.Timing));
            var composed = new ComposedCountSimulator(new EvaluationTables(c.Game, c.Policies, c.K, c.Timing));
            robot.Reset(c.Seed);
            composed.Reset(c.Seed + 1);
            int l = c.Game.LocalStates;
            for (int step = 0; step < 10; step++)
            {
                double r = robot.Step(), q = composed.Step();
                Assert.True(Math.Abs(r - q) <= 1e-9 * (1 + Math.Abs(r)), $"step {step}: robot-level reward {r:R}, composed {q:R} ({c})");
                Assert.Equal(robot.GlobalState, composed.GlobalState);
                int[] counts = new int[l];
                CountVector.Count(robot.LocalStates.ToArray(), 0, c.Game.AgentCount, l, counts, 0);
                Assert.Equal(counts, composed.Population.ToArray());
            }
        });

    /// <summary>A random game and pair; <paramref name="deterministic"/> makes every law a point mass (see the property).</summary>
    private static Gen<Case> DeterministicOrNot(bool deterministic) =>
        from g in Gen.Choose(1, 3)
        from ag in Gen.Choose(1, 2)
        from l in Gen.Choose(1, 4)
        from al in Gen.Choose(1, 3)
        from n in Gen.Choose(1, 30)
        from k in Gen.Choose(1, n)
        from next in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        select BuildCase((ulong)seed, g, ag, l, al, n, Math.Min(k, 6), next ? LocalTransitionTiming.NextGlobalState : LocalTransitionTiming.CurrentGlobalState, deterministic);

    private static Case BuildCase(ulong seed, int g, int ag, int l, int al, int n, int k, LocalTransitionTiming timing, bool deterministic)
    {
        Game game = TinyGames.Random(seed, g, ag, l, al, n, deterministic ? InitialLocalKind.Fixed : InitialLocalKind.Dirichlet);
        PolicyPair policies = TinyGames.RandomPolicies(seed + 1, game, k);
        if (deterministic)
        {
            var rng = new Pcg32(seed, 99);
            double[] pg = PointMasses(rng, g, g, ag);          // s_g' = f(s_g), the same for every a_g
            double[] pl = PointMasses(rng, l * g * al, l, 1);  // s_l' = h(s_l, s_g, a_l)
            double[] pi = PointMasses(rng, g * l, al, 1);      // a_l = σ(s_g, s_l)
            double[] rg = new double[g * ag];
            for (int s = 0; s < g; s++)
            {
                double value = rng.NextUnitDouble();
                for (int a = 0; a < ag; a++)
                {
                    rg[(s * ag) + a] = value;
                }
            }

            double[] initialGlobal = PointMasses(rng, 1, g, 1), initialLocal = PointMasses(rng, 1, l, 1);
            game = new Game("deterministic", g, ag, l, al, pg, pl, rg, game.LocalReward, game.Gamma, n, initialGlobal, InitialLocalKind.Fixed, initialLocal);
            policies = new PolicyPair(g, ag, l, al, k, k, policies.GlobalActions, pi);
        }

        return new Case(seed, game, policies, k, timing);
    }

    /// <summary><paramref name="rows"/> point masses over <paramref name="outcomes"/>, each repeated <paramref name="repeat"/> times in a row.</summary>
    private static double[] PointMasses(Pcg32 rng, int rows, int outcomes, int repeat)
    {
        var table = new double[rows * repeat * outcomes];
        for (int row = 0; row < rows; row++)
        {
            int at = (int)rng.NextBelow((uint)outcomes);
            for (int r = 0; r < repeat; r++)
            {
                table[(((row * repeat) + r) * outcomes) + at] = 1;
            }
        }

        return table;
    }

    private sealed record Case(ulong Seed, Game Game, PolicyPair Policies, int K, LocalTransitionTiming Timing)
    {
        public override string ToString() =>
            $"seed {Seed}, |S_g|={Game.GlobalStates} |A_g|={Game.GlobalActions} |S_l|={Game.LocalStates} |A_l|={Game.LocalActions} n={Game.AgentCount} k={K} {Timing}";
    }

    private static EvaluationSettings Settings(int k, LocalTransitionTiming timing) => new(k, Horizon, RolloutsPerSeed: 50, Seeds: 400, Seed: 2026) { Timing = timing };

    /// <summary>Mean and the 99.9% half-width of the mean from the i.i.d. per-seed means (sample std).</summary>
    private static (double Mean, double HalfWidth) Interval(EvaluationResult result)
    {
        int seeds = result.PerSeedMeans.Length;
        double standardError = result.StdOverSeeds * Math.Sqrt((double)seeds / (seeds - 1)) / Math.Sqrt(seeds);
        return (result.Mean, Statistics.Z999 * standardError);
    }

    private static Game WithoutLocalReward(Game game) =>
        new(game.Name, game.GlobalStates, game.GlobalActions, game.LocalStates, game.LocalActions, game.GlobalTransition, game.LocalTransition,
            game.GlobalReward, new double[game.LocalReward.Length], game.Gamma, game.AgentCount, game.InitialGlobal, game.InitialLocalKind, game.InitialLocal);

    private static (Game Game, PolicyPair Policies, int K) Build(string name) => name switch
    {
        "fixed-init n=4 k=2" => WithPolicies(TinyGames.Random(1, 2, 3, 3, 2, 4), 2, 10),
        "dirichlet-init n=3 k=2" => WithPolicies(TinyGames.Random(2, 3, 2, 3, 2, 3, InitialLocalKind.Dirichlet), 2, 20),
        "k=n=3" => WithPolicies(TinyGames.Random(3, 2, 2, 3, 3, 3, InitialLocalKind.Dirichlet), 3, 30),
        "one local state n=4 k=2" => WithPolicies(TinyGames.Random(4, 3, 2, 1, 2, 4), 2, 40),
        "one local action n=4 k=3" => WithPolicies(TinyGames.Random(5, 2, 3, 2, 1, 4), 3, 50),
        "timing matters n=4 k=2" => WithPolicies(TimingMatters(), 2, 60),
        _ => throw new ArgumentException(name),
    };

    /// <summary>A tiny game whose robots' moves and rewards depend strongly on the global state, which changes every step.</summary>
    private static Game TimingMatters()
    {
        Game random = TinyGames.Random(6, 2, 2, 2, 2, 4);
        // s_g flips 0 ↔ 1 whatever a_g; in s_g = 0 robots go to (and are paid in) local state 0, in s_g = 1 to local state 1.
        double[] pg = [0.1, 0.9, 0.1, 0.9, 0.9, 0.1, 0.9, 0.1];
        var pl = new double[2 * 2 * 2 * 2];
        for (int s = 0; s < 2; s++)
        {
            for (int g = 0; g < 2; g++)
            {
                for (int a = 0; a < 2; a++)
                {
                    int at = (((s * 2) + g) * 2) + a;
                    pl[(at * 2) + g] = a == 0 ? 0.95 : 0.6;
                    pl[(at * 2) + (1 - g)] = a == 0 ? 0.05 : 0.4;
                }
            }
        }

        double[] rl = new double[2 * 2 * 2];
        for (int s = 0; s < 2; s++)
        {
            for (int g = 0; g < 2; g++)
            {
                for (int a = 0; a < 2; a++)
                {
                    rl[(((s * 2) + g) * 2) + a] = s == g ? 10 : 0;
                }
            }
        }

        return new Game("timing", 2, 2, 2, 2, pg, pl, random.GlobalReward, rl, 0.9, 4, [1, 0], InitialLocalKind.Fixed, [0.5, 0.5]);
    }

    private static (Game, PolicyPair, int) WithPolicies(Game game, int k, ulong seed) => (game, TinyGames.RandomPolicies(seed, game, k), k);
}
