using System.Buffers.Binary;
using System.Security.Cryptography;

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

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(s_tag);
        hash.AppendData(GameHash.Compute(game.Pooled));
        var scratch = new byte[8];
        void Int(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(scratch, value);
            hash.AppendData(scratch, 0, 4);
        }

        void Real(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(scratch, value == 0 ? 0.0 : value);
            hash.AppendData(scratch);
        }

        Int(game.TypeCount);
        foreach (var type in game.Types)
        {
            Real(type.Share);
            foreach (double[] table in new[] { type.LocalTransition, type.LocalReward })
            {
                Int(table.Length);
                foreach (double v in table)
                {
                    Real(v);
                }
            }
        }

        return hash.GetHashAndReset();
    }
}
