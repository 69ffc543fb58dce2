namespace EdgeMarl.Host.Games;

/// <summary>
/// SHA-256 of a game's canonical byte encoding (docs/policy-format.md, "Game hash"): a policy file names the
/// exact tables it was trained on, so a robot can refuse a policy for a different game.
/// </summary>
/// <remarks>
/// Encoding, all little-endian: the 15 ASCII bytes <c>edgemarl.game/1</c>; Int32 <c>|S_g|, |A_g|, |S_l|, |A_l|, n</c>;
/// Float64 <c>γ</c>; Int32 initial-local kind; then each of <c>P_g, P_l, r_g, r_l</c>, initial global,
/// initial local as Int32 length followed by its Float64 values in the flat index order of <see cref="Game"/>.
/// <c>−0.0</c> is written as <c>+0.0</c>. The name is not hashed (it is in the header already).
/// </remarks>
public static class GameHash
{
    private static readonly byte[] s_tag = "edgemarl.game/1"u8.ToArray();

    /// <summary>Returns the 32-byte SHA-256 of the game's canonical encoding.</summary>
    /// <param name="game">The game.</param>
    /// <returns>The hash.</returns>
    public static byte[] Compute(Game game)
    {
        ArgumentNullException.ThrowIfNull(game);
        using var hash = new CanonicalHashWriter();
        hash.Bytes(s_tag);
        hash.Int(game.GlobalStates);
        hash.Int(game.GlobalActions);
        hash.Int(game.LocalStates);
        hash.Int(game.LocalActions);
        hash.Int(game.AgentCount);
        hash.Real(game.Gamma);
        hash.Int((int)game.InitialLocalKind);
        foreach (double[] table in new[] { game.GlobalTransition, game.LocalTransition, game.GlobalReward, game.LocalReward, game.InitialGlobal, game.InitialLocal })
        {
            hash.Table(table);
        }

        return hash.Finish();
    }
}
