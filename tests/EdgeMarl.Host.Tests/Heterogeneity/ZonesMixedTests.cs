using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Tests.Heterogeneity;

/// <summary>The built-in zones-mixed family (docs/heterogeneity.md): h = 0 is zones; h = 1 is a robot whose motors do not respond.</summary>
public class ZonesMixedTests
{
    [Fact]
    public void At_h_0_every_view_is_zones_with_the_zones_hash()
    {
        TypedGame mixed = ZonesMixedGame.Create(0);
        byte[] zones = GameHash.Compute(ZonesGame.Create());
        Assert.Equal(zones, GameHash.Compute(mixed.Pooled));
        Assert.Equal(zones, GameHash.Compute(mixed.TypeGame(0)));
        Assert.Equal(zones, GameHash.Compute(mixed.TypeGame(1)));
        Assert.NotEqual(zones, GameHash.Compute(ZonesMixedGame.Create(0.25).Pooled));
    }

    [Fact]
    public void At_h_0_type_blind_training_gives_the_zones_pair_byte_for_byte()
    {
        TrainingConfig config = TypedTraining.Preset(2, 3) with { MaxRounds = 2, QuickRollouts = 4 };
        var zonesPair = AlternatingMarl.Train(ZonesGame.Create(60), config, new RobotLevelEvaluator(1)).Policies;
        var blindPair = TypedTraining.Train(ZonesMixedGame.Create(0, 60), TypingMethod.Blind, config with { Threads = 1 }).Policies;
        Assert.Equal(zonesPair.GlobalActions[0], blindPair.GlobalActions[0]);
        Assert.Equal(zonesPair.LocalPolicy, blindPair.LocalPolicy);
    }

    [Fact]
    public void At_h_0_the_typed_fleet_simulator_replays_the_zones_evaluation_bit_for_bit_and_at_h_1_it_does_not()
    {
        const int n = 40, k = 3;
        TypedGame same = ZonesMixedGame.Create(0, n);
        PolicyPair pair = RandomZonesPair(same, k);
        var settings = new EvaluationSettings(k, 25, 3, 4, 99);
        EvaluationResult zones = new RobotLevelEvaluator(1).Evaluate(ZonesGame.Create(n), pair, settings);
        EvaluationResult typed = new TypedFleetEvaluator(same, maxDegreeOfParallelism: 1).Evaluate(pair, settings);
        Assert.Equal(zones.PerSeedMeans, typed.PerSeedMeans);

        // Negative control: the same rollouts on a fleet whose worn half cannot move give other returns.
        EvaluationResult worn = new TypedFleetEvaluator(ZonesMixedGame.Create(1, n), maxDegreeOfParallelism: 1).Evaluate(pair, settings);
        Assert.NotEqual(zones.PerSeedMeans, worn.PerSeedMeans);
    }

    [Fact]
    public void At_h_1_a_worn_robot_moves_alike_whatever_its_action_and_pays_for_moving()
    {
        TypedGame mixed = ZonesMixedGame.Create(1);
        Game zones = ZonesGame.Create();
        RobotType worn = mixed.Types[1];
        Assert.Equal(0.5, worn.Share);
        for (int s = 0; s < 5; s++)
        {
            for (int sg = 0; sg < 5; sg++)
            {
                for (int a = 1; a < 3; a++)
                {
                    for (int s2 = 0; s2 < 5; s2++)
                    {
                        Assert.Equal(zones.LocalTransition[zones.LocalTransitionIndex(s, sg, 0, s2)], worn.LocalTransition[zones.LocalTransitionIndex(s, sg, a, s2)], 12);
                    }

                    Assert.Equal(zones.LocalReward[zones.LocalRewardIndex(s, sg, a)] - 1.0, worn.LocalReward[zones.LocalRewardIndex(s, sg, a)], 12);
                }
            }
        }

        Assert.Empty(TypedGameValidator.Validate(mixed));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZonesMixedGame.Create(1.5));
    }

    [Fact]
    public void Typed_training_beyond_its_count_space_limit_stops_with_a_clear_error()
    {
        TypedGame mixed = ZonesMixedGame.Create(0.5);
        Assert.Equal(11, TypedTraining.LargestTypedK(mixed));
        Assert.Null(TypedTraining.TypedRefusal(mixed, 11));
        string why = TypedTraining.TypedRefusal(mixed, 12)!;
        Assert.Contains("C(21, 9) = 293,930 count vectors", why, StringComparison.Ordinal);
        Assert.Contains("largest typed k for this game is 11", why, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidOperationException>(() => TypedTraining.Train(mixed, TypingMethod.Typed, TypedTraining.Preset(12, 0)));
        Assert.Equal(why, ex.Message);

        var unequal = new TypedGame(mixed.Template, [mixed.Types[0] with { Share = 0.3 }, mixed.Types[1] with { Share = 0.7 }]);
        Assert.Contains("equal shares", TypedTraining.TypedRefusal(unequal, 2), StringComparison.Ordinal);
    }

    private static PolicyPair RandomZonesPair(TypedGame game, int k)
    {
        var rng = new EdgeMarl.Shared.Random.Pcg32(5);
        int c = new EdgeMarl.Shared.Counting.CountRanker(5, k).Count(k);
        int[] table = [.. Enumerable.Range(0, 5 * c).Select(_ => (int)rng.NextBelow(5))];
        var policy = new double[5 * 5 * 3];
        for (int i = 0; i < policy.Length; i++)
        {
            policy[i] = 0.1 + rng.NextUnitDouble();
        }

        return new PolicyPair(5, 5, 5, 3, k, k, [table], policy);
    }
}
