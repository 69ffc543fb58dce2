using System.Globalization;

namespace EdgeMarl.Host.Games;

/// <summary>
/// <c>zones-mixed</c>: the zones benchmark (<see cref="ZonesGame"/>) with two robot types and a heterogeneity knob
/// <c>h ∈ [0, 1]</c> (docs/heterogeneity.md). Half the fleet is <c>fresh</c> (exactly the zones robot); half is <c>worn</c>
/// (an aged battery that can no longer power the motors):
/// <list type="bullet">
/// <item><c>P_l^worn(· | s_l, s_g, a_l) = (1 − h)·P_l(· | s_l, s_g, a_l) + h·P_l(· | s_l, s_g, stay)</c>: a move command
/// succeeds only as often as the motors still respond; at <c>h = 1</c> every action moves the robot like "stay" (it still
/// drifts as a parked robot does);</item>
/// <item><c>r_l^worn(s_l, s_g, a_l) = r_l(s_l, s_g, a_l) − h·[a_l ≠ stay]</c>: a move drains the weak battery (at <c>h = 1</c> the
/// move bonuses 0.5 and −0.3 become −0.5 and −1.3).</item>
/// </list>
/// At <c>h = 0</c> both types are zones, bit for bit, and so is the pooled game (same <see cref="GameHash"/>).
/// </summary>
public static class ZonesMixedGame
{
    /// <summary>The built-in name.</summary>
    public const string Name = "zones-mixed";

    /// <summary>Share of the worn type (the fresh type has the rest). Equal shares: the largest mixture, and what typed training assumes.</summary>
    public const double WornShare = 0.5;

    /// <summary>Reward a worn robot loses per move at <c>h = 1</c>.</summary>
    public const double MoveCost = 1.0;

    /// <summary>Builds zones-mixed with heterogeneity <paramref name="h"/> and <paramref name="agentCount"/> robots.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="h"/> is not in [0, 1].</exception>
    public static TypedGame Create(double h, int agentCount = ZonesGame.Robots)
    {
        if (!(h >= 0 && h <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(h), h, "the heterogeneity h must be in [0, 1]");
        }

        Game zones = ZonesGame.Create(agentCount);
        int l = zones.LocalStates, g = zones.GlobalStates, a = zones.LocalActions;
        double[] pWorn, rWorn;
        if (h == 0)
        {
            pWorn = zones.LocalTransition;
            rWorn = zones.LocalReward;
        }
        else
        {
            pWorn = new double[zones.LocalTransition.Length];
            rWorn = new double[zones.LocalReward.Length];
            for (int s = 0; s < l; s++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    for (int act = 0; act < a; act++)
                    {
                        rWorn[zones.LocalRewardIndex(s, sg, act)] = zones.LocalReward[zones.LocalRewardIndex(s, sg, act)] - (act == 0 ? 0 : h * MoveCost);
                        for (int s2 = 0; s2 < l; s2++)
                        {
                            int i = zones.LocalTransitionIndex(s, sg, act, s2);
                            pWorn[i] = ((1 - h) * zones.LocalTransition[i]) + (h * zones.LocalTransition[zones.LocalTransitionIndex(s, sg, 0, s2)]);
                        }
                    }
                }
            }
        }

        var template = new Game(
            Name, g, zones.GlobalActions, l, a, zones.GlobalTransition, zones.LocalTransition, zones.GlobalReward, zones.LocalReward, zones.Gamma, zones.AgentCount, zones.InitialGlobal, zones.InitialLocalKind, zones.InitialLocal)
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"zones with two robot types, h = {h:R}: fresh (the zones robot) and worn (moves succeed with probability 1 − h, each move costs h; docs/heterogeneity.md)."),
            Labels = zones.Labels,
        };
        return new TypedGame(template, [
            new RobotType("fresh", 1 - WornShare, zones.LocalTransition, zones.LocalReward),
            new RobotType("worn", WornShare, pWorn, rWorn),
        ]);
    }
}
