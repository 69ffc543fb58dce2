using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Tests.Equilibrium;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Tests.Heterogeneity;

/// <summary>
/// Exact checks on tiny typed games (docs/heterogeneity.md "Exact checks"): the exact Nash-gap solver run on the expanded
/// game against brute force on the labelled chain of typed robots, the pooled (type-blind) model against the true fleet,
/// and the typed fleet simulator against the exact value.
/// </summary>
public class TypedExactTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<ulong> Seeds => [.. Enumerable.Range(1, 12).Select(i => (ulong)i)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Typed_pair_exact_value_and_best_responses_equal_brute_force_on_the_labelled_typed_chain(ulong seed)
    {
        TypedGame game = TinyTypedGames.Create(seed, n: 2);
        Game expanded = game.Expanded();
        PolicyPair pair = TinyTypedGames.Pair(seed, game, localStates: 4, k: 1);
        NashGapReport report = ExactNashGap.Compute(expanded, pair, 1);
        var chain = new LabelledChain(expanded);
        var gateway = chain.Sampled(pair.GlobalActions[0], 1);
        Close(chain.Value(gateway, LabelledChain.Follow(pair), pair), report.JointValue, seed, "J");

        // Every deterministic typed gateway table on the 1-sample: 2^(|S_g|·4) = 256 tables.
        double bestTable = LabelledChain.MaxOverTables(2, 2 * 4, t => chain.Value(chain.Sampled(t, 1), LabelledChain.Follow(pair), pair));
        Close(bestTable, report.GatewaySampledBestResponse!.Value, seed, "best typed 1-sample table");

        // Every deterministic robot table σ(s_g, type, s_l): 2^8.
        double bestSigma = LabelledChain.MaxOverTables(2, 2 * 4, t => chain.Value(gateway, chain.Local(t), pair));
        Close(bestSigma, report.RobotLocalBestResponse!.Value, seed, "best σ(s_g, τ, s_l)");
        Assert.True(report.Epsilon >= -Tolerance);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Blind_pair_on_the_true_fleet_equals_brute_force_with_a_gateway_that_counts_states_only(ulong seed)
    {
        TypedGame game = TinyTypedGames.Create(seed, n: 2);
        PolicyPair blind = TinyTypedGames.Pair(seed, game, localStates: 2, k: 2);
        double solver = ExactNashGap.Compute(game.Expanded(), TypedPairs.BlindToExpanded(game, blind, 2), 2).JointValue;

        // Independent: the labelled chain of (type, state) robots, with a gateway rule written here that folds types away.
        var chain = new LabelledChain(game.Expanded());
        var ranker = new CountRanker(2, 2);
        int vectors = ranker.Count(2);
        var counts = new int[2];
        LabelledChain.GatewayRule stateCounts = (g, robots, w) =>
        {
            Array.Clear(counts);
            foreach (int x in robots)
            {
                counts[x % 2]++;
            }

            w[blind.GlobalActions[0][(g * vectors) + ranker.Rank(counts, 0, 2)]] = 1.0;
        };
        var expandedPair = TypedPairs.BlindToExpanded(game, blind, 2);
        Close(chain.Value(stateCounts, LabelledChain.Follow(expandedPair), expandedPair), solver, seed, "J of the blind pair");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_pooled_model_is_exact_for_equal_types_and_misspecified_otherwise(ulong seed)
    {
        // Equal types: the type-blind model is the fleet, so the exact value on the pooled game is the value on the true fleet.
        TypedGame same = TinyTypedGames.Create(seed, n: 3, sameTypes: true);
        PolicyPair blind = TinyTypedGames.Pair(seed, same, localStates: 2, k: 2);
        double pooled = ExactNashGap.Compute(same.Pooled, blind, 2).JointValue;
        double truth = ExactNashGap.Compute(same.Expanded(), TypedPairs.BlindToExpanded(same, blind, 2), 2).JointValue;
        Close(pooled, truth, seed, "J pooled vs true fleet, equal types");

        // Negative control: different types, same pair: the pooled model's value is not the fleet's.
        TypedGame mixed = TinyTypedGames.Create(seed, n: 3);
        double pooledMixed = ExactNashGap.Compute(mixed.Pooled, blind, 2).JointValue;
        double truthMixed = ExactNashGap.Compute(mixed.Expanded(), TypedPairs.BlindToExpanded(mixed, blind, 2), 2).JointValue;
        Assert.True(Math.Abs(pooledMixed - truthMixed) > 1e-6, $"seed {seed}: pooled {pooledMixed:R} = fleet {truthMixed:R}");
    }

    [Fact]
    public void The_pooled_mixture_predicts_a_random_robots_first_step_exactly_but_not_its_second()
    {
        TypedGame game = TinyTypedGames.Create(4, n: 2);
        Game pooled = game.Pooled, b = game.Template;
        double[] p = b.InitialLocal;
        const int sg = 1, a = 0;
        double[] Step(Game gm, double[] from)
        {
            var to = new double[2];
            for (int s = 0; s < 2; s++)
            {
                for (int s2 = 0; s2 < 2; s2++)
                {
                    to[s2] += from[s] * gm.LocalTransition[gm.LocalTransitionIndex(s, sg, a, s2)];
                }
            }

            return to;
        }

        // The truth: each type's own chain, mixed by share at the end.
        double[] Truth(int steps)
        {
            var mix = new double[2];
            for (int t = 0; t < 2; t++)
            {
                double[] d = p;
                for (int i = 0; i < steps; i++)
                {
                    d = Step(game.TypeGame(t), d);
                }

                mix[0] += game.Types[t].Share * d[0];
                mix[1] += game.Types[t].Share * d[1];
            }

            return mix;
        }

        double[] one = Step(pooled, p), two = Step(pooled, one);
        Assert.Equal(Truth(1)[0], one[0], 14);
        Assert.True(Math.Abs(Truth(2)[0] - two[0]) > 1e-6, "two steps: a robot's state carries information about its type, which the mixture forgets");
    }

    [Fact]
    public void The_typed_fleet_simulator_agrees_with_the_exact_value_of_a_typed_and_a_blind_pair()
    {
        TypedGame game = TinyTypedGames.Create(9, n: 3);
        var settings = new EvaluationSettings(2, 120, 40, 40, 2026);
        foreach (PolicyPair pair in new[] { TinyTypedGames.Pair(9, game, 4, 2), TinyTypedGames.Pair(9, game, 2, 2) })
        {
            PolicyPair expandedPair = pair.LocalStates == 4 ? pair : TypedPairs.BlindToExpanded(game, pair, 2);
            double exact = ExactNashGap.Compute(game.Expanded(), expandedPair, 2).JointValue;
            EvaluationResult mc = new TypedFleetEvaluator(game, maxDegreeOfParallelism: 1).Evaluate(pair, settings);
            double se = mc.StdOverSeeds / Math.Sqrt(settings.Seeds - 1);
            double truncation = Math.Pow(0.8, 120) * 4 / 0.2;
            Assert.True(Math.Abs(mc.Mean - exact) < (4.5 * se) + truncation, $"|S_l| = {pair.LocalStates}: simulated {mc.Mean:R} ± {se:R}, exact {exact:R}");
        }
    }

    private static void Close(double expected, double actual, ulong seed, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"seed {seed}, {what}: brute force {expected:R}, solver {actual:R}");
}
