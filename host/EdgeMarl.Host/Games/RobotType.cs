namespace EdgeMarl.Host.Games;

/// <summary>
/// One kind of robot in a typed fleet (docs/game-spec.md, <c>edgemarl.game/2</c> "types"; docs/heterogeneity.md): its own
/// <c>P_l</c> and <c>r_l</c>, in the layouts of <see cref="Game.LocalTransition"/> and <see cref="Game.LocalReward"/>, and its
/// share of the fleet.
/// </summary>
/// <param name="Name">The type's name (non-blank, unique within the game).</param>
/// <param name="Share">Its share of the fleet, in <c>(0, 1]</c>; the shares of a game sum to 1.</param>
/// <param name="LocalTransition"><c>P_l^τ(s_l' | s_l, s_g, a_l)</c>, flat <c>[s_l, s_g, a_l, s_l']</c>.</param>
/// <param name="LocalReward"><c>r_l^τ(s_l, s_g, a_l)</c>, flat <c>[s_l, s_g, a_l]</c>.</param>
public sealed record RobotType(string Name, double Share, double[] LocalTransition, double[] LocalReward);
