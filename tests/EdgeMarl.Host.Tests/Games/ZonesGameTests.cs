using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Tests.Games;

/// <summary>Values worked out by hand from docs/reference-benchmark.md's formulas, not from the code under test.</summary>
public class ZonesGameTests
{
    private const double Tolerance = 1e-15;
    private static readonly Game s_zones = ZonesGame.Create();

    [Fact]
    public void Sizes_discount_fleet_and_initial_state_are_the_benchmarks()
    {
        Assert.Equal((5, 5, 5, 3), (s_zones.GlobalStates, s_zones.GlobalActions, s_zones.LocalStates, s_zones.LocalActions));
        Assert.Equal(1000, s_zones.AgentCount);
        Assert.Equal(0.95, s_zones.Gamma);
        Assert.Equal([0.2, 0.2, 0.2, 0.2, 0.2], s_zones.InitialGlobal);
        Assert.Equal(InitialLocalKind.Dirichlet, s_zones.InitialLocalKind);
        Assert.Equal([0.3, 0.3, 0.3, 0.3, 0.3], s_zones.InitialLocal);
    }

    [Fact]
    public void Global_transition_at_s_g_0_a_g_0_is_the_softmax_of_3_6_and_four_0_1()
    {
        // logits [3.6, 0.1, 0.1, 0.1, 0.1]: p_0 = e^3.6 / (e^3.6 + 4 e^0.1), the rest share e^0.1 equally.
        double z = Math.Exp(3.6) + (4 * Math.Exp(0.1));
        AssertRow([Math.Exp(3.6) / z, Math.Exp(0.1) / z, Math.Exp(0.1) / z, Math.Exp(0.1) / z, Math.Exp(0.1) / z], s_zones.GlobalTransition, s_zones.GlobalTransitionIndex(0, 0, 0));
        Assert.Equal(1.0 / (1.0 + (4 * Math.Exp(-3.5))), s_zones.GlobalTransition[0], Tolerance);
    }

    [Fact]
    public void Global_transition_splits_the_pull_between_the_action_and_the_current_zone()
    {
        // s_g = 2, a_g = 4: logits [0.1, 0.1, 0.6, 0.1, 3.1].
        double z = (3 * Math.Exp(0.1)) + Math.Exp(0.6) + Math.Exp(3.1);
        AssertRow([Math.Exp(0.1) / z, Math.Exp(0.1) / z, Math.Exp(0.6) / z, Math.Exp(0.1) / z, Math.Exp(3.1) / z], s_zones.GlobalTransition, s_zones.GlobalTransitionIndex(2, 4, 0));
    }

    [Fact]
    public void Local_transition_moving_minus_one_from_position_0_wraps_to_position_4()
    {
        // s_l = 0, s_g = 0, a_l = 2: logits [0.1+3.5+0.3, 0.1, 0.1, 0.1, 0.1+1.5] = [3.9, 0.1, 0.1, 0.1, 1.6].
        double z = Math.Exp(3.9) + (3 * Math.Exp(0.1)) + Math.Exp(1.6);
        AssertRow([Math.Exp(3.9) / z, Math.Exp(0.1) / z, Math.Exp(0.1) / z, Math.Exp(0.1) / z, Math.Exp(1.6) / z], s_zones.LocalTransition, s_zones.LocalTransitionIndex(0, 0, 2, 0));
    }

    [Fact]
    public void Local_transition_moving_plus_one_from_position_4_wraps_to_position_0_and_feels_the_zone()
    {
        // s_l = 4, s_g = 2, a_l = 1: logits [0.1+1.5, 0.1, 0.1+0.3, 0.1, 0.1+3.5] = [1.6, 0.1, 0.4, 0.1, 3.6].
        double z = Math.Exp(1.6) + (2 * Math.Exp(0.1)) + Math.Exp(0.4) + Math.Exp(3.6);
        AssertRow([Math.Exp(1.6) / z, Math.Exp(0.1) / z, Math.Exp(0.4) / z, Math.Exp(0.1) / z, Math.Exp(3.6) / z], s_zones.LocalTransition, s_zones.LocalTransitionIndex(4, 2, 1, 0));
    }

    [Fact]
    public void Staying_in_the_dispatchers_zone_adds_both_pulls_to_one_position()
    {
        // s_l = 3, s_g = 3, a_l = 0: logits [0.1, 0.1, 0.1, 3.9, 0.1].
        double z = Math.Exp(3.9) + (4 * Math.Exp(0.1));
        AssertRow([Math.Exp(0.1) / z, Math.Exp(0.1) / z, Math.Exp(0.1) / z, Math.Exp(3.9) / z, Math.Exp(0.1) / z], s_zones.LocalTransition, s_zones.LocalTransitionIndex(3, 3, 0, 0));
    }

    [Theory]
    [InlineData(1, 1, 1, 10.5)]            // in the zone, move: 10 + 0.5
    [InlineData(2, 2, 2, 9.7)]             // in the zone, move −1: 10 − 0.3
    [InlineData(0, 2, 0, 2.0 / 3.0)]       // d = 2
    [InlineData(0, 4, 2, 1.0 - 0.3)]       // d = min(4, 1) = 1 on the ring
    [InlineData(3, 0, 1, (2.0 / 3.0) + 0.5)] // d = min(3, 2) = 2
    [InlineData(4, 3, 0, 1.0)]             // d = 1
    public void Local_reward_is_base_by_ring_distance_plus_action_bonus(int sL, int sG, int aL, double expected) =>
        Assert.Equal(expected, s_zones.LocalReward[s_zones.LocalRewardIndex(sL, sG, aL)], Tolerance);

    [Fact]
    public void Global_reward_is_one_everywhere() => Assert.All(s_zones.GlobalReward, r => Assert.Equal(1.0, r));

    [Fact]
    public void Ring_distance_is_symmetric_and_wraps()
    {
        Assert.Equal(1, ZonesGame.RingDistance(0, 4));
        Assert.Equal(2, ZonesGame.RingDistance(0, 3));
        Assert.Equal(2, ZonesGame.RingDistance(4, 1));
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                Assert.Equal(ZonesGame.RingDistance(i, j), ZonesGame.RingDistance(j, i));
                Assert.InRange(ZonesGame.RingDistance(i, j), i == j ? 0 : 1, 2);
            }
        }
    }

    [Fact]
    public void Every_build_gives_the_same_bits()
    {
        GameTestCopies.AssertIdentical(s_zones, ZonesGame.Create());
    }

    private static void AssertRow(double[] expected, double[] table, int offset)
    {
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], table[offset + j], Tolerance);
        }
    }
}
