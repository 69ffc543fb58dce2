namespace EdgeMarl.Host.Games;

/// <summary>
/// SHA-256 of a typed game (docs/game-spec.md, "Game hash of a typed game"). A game with one type of share 1 hashes as the
/// homogeneous game it is (<see cref="GameHash"/>, unchanged), so wrapping an old game changes no hash. With two or more
/// types: the ASCII bytes <c>edgemarl.game/2+types</c>, the <see cref="GameHash"/> of the pooled game, Int32 <c>T</c>, then per
/// type its Float64 share and its <c>P_l</c> and <c>r_l</c> (Int32 length, Float64 values, <c>−0.0</c> as <c>+0.0</c>). Names are
/// not hashed.
/// </summary>
public static class TypedGameHash
{
    private static readonly byte[] s_tag = "edgemarl.game/2+types"u8.ToArray();

    /// <summary>Returns the 32-byte hash.</summary>
    public static byte[] Compute(TypedGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        if (game.TypeCount == 1)
        {
            return GameHash.Compute(game.Pooled);
        }

        using var hash = new CanonicalHashWriter();
        hash.Bytes(s_tag);
        hash.Bytes(GameHash.Compute(game.Pooled));
        hash.Int(game.TypeCount);
        foreach (var type in game.Types)
        {
            hash.Real(type.Share);
            hash.Table(type.LocalTransition);
            hash.Table(type.LocalReward);
        }

        return hash.Finish();
    }
}
