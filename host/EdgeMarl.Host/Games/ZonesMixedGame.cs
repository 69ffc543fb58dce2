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

    /// <summary>The built-in name of the tiny variant.</summary>
    public const string TinyName = "tiny-mixed";

    /// <summary>Share of the worn type (the fresh type has the rest). Equal shares: the largest mixture, and what typed training assumes.</summary>
    public const double WornShare = 0.5;

    /// <summary>Reward a worn robot loses per move at <c>h = 1</c>.</summary>
    public const double MoveCost = 1.0;

    /// <summary>Builds zones-mixed with heterogeneity <paramref name="h"/> and <paramref name="agentCount"/> robots.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="h"/> is not in [0, 1].</exception>
    public static TypedGame Create(double h, int agentCount = ZonesGame.Robots)
    {
        Game zones = ZonesGame.Create(agentCount);
        return WithWornType(zones, h, Name, string.Create(CultureInfo.InvariantCulture, $"zones with two robot types, h = {h:R}: fresh (the zones robot) and worn (moves succeed with probability 1 − h, each move costs h; docs/heterogeneity.md)."));
    }

    /// <summary>
    /// <c>tiny-mixed</c>: the built-in tiny game (<see cref="TinyGame"/>, <c>n = 4</c>, fixed initial law) with the same
    /// fresh/worn split, small enough for the exact Nash-gap solver on the expanded game (docs/heterogeneity.md §7).
    /// </summary>
    public static TypedGame CreateTiny(double h) =>
        WithWornType(TinyGame.Create(), h, TinyName, string.Create(CultureInfo.InvariantCulture, $"tiny with two robot types, h = {h:R}: fresh (the tiny robot) and worn (go succeeds with probability 1 − h and costs h)."));

    /// <summary>
    /// Any game whose local action 0 is "stay", with a fresh type (the game's robot) and a worn type (class summary), equal
    /// shares. <c>h = 0</c> gives both types the game's own arrays.
    /// </summary>
    public static TypedGame WithWornType(Game game, double h, string name, string description)
    {
        ArgumentNullException.ThrowIfNull(game);
        if (!(h >= 0 && h <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(h), h, "the heterogeneity h must be in [0, 1]");
        }

        int l = game.LocalStates, g = game.GlobalStates, a = game.LocalActions;
        double[] pWorn = game.LocalTransition, rWorn = game.LocalReward;
        if (h != 0)
        {
            pWorn = new double[game.LocalTransition.Length];
            rWorn = new double[game.LocalReward.Length];
            for (int s = 0; s < l; s++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    for (int act = 0; act < a; act++)
                    {
                        rWorn[game.LocalRewardIndex(s, sg, act)] = game.LocalReward[game.LocalRewardIndex(s, sg, act)] - (act == 0 ? 0 : h * MoveCost);
                        for (int s2 = 0; s2 < l; s2++)
                        {
                            int i = game.LocalTransitionIndex(s, sg, act, s2);
                            pWorn[i] = ((1 - h) * game.LocalTransition[i]) + (h * game.LocalTransition[game.LocalTransitionIndex(s, sg, 0, s2)]);
                        }
                    }
                }
            }
        }

        var template = new Game(
            name, g, game.GlobalActions, l, a, game.GlobalTransition, game.LocalTransition, game.GlobalReward, game.LocalReward, game.Gamma, game.AgentCount, game.InitialGlobal, game.InitialLocalKind, game.InitialLocal)
        {
            Description = description,
            Labels = game.Labels,
        };
        return new TypedGame(template, [
            new RobotType("fresh", 1 - WornShare, game.LocalTransition, game.LocalReward),
            new RobotType("worn", WornShare, pWorn, rWorn),
        ]);
    }
}
