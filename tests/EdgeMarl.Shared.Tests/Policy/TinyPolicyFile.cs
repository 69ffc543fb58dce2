namespace EdgeMarl.Shared.Tests.Policy;

/// <summary>
/// The golden vector of docs/policy-format.md ("Example"): |S_g| = 2, |A_g| = 3, |S_l| = 2, |A_l| = 2, n = 4,
/// k_min = 1, k = 2, game "tiny", producer "0.1.0", no HMAC, format version 1 (the reader still opens it; the v2
/// golden with policy version 7 is <see cref="HexV2"/>). Written by PolicyFileWriter (the host tests pin the
/// same bytes from the writer side), so a format change shows up on both sides.
/// </summary>
internal static class TinyPolicyFile
{
    public const string HexV2 =
        "454d504c02000000cb0000009800030002000300020002000400000002000100" +
        "02000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b" +
        "1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b" +
        "3c3d3e3f302e312e30000000000000000000000074696e790000000000000000" +
        "00000000000000000000000000000000000000000700000001000100bc000000" +
        "0100000001000200bd0000000200000002000000bf0000000800000024a406ff" +
        "00808040c000ffc9fc537f";

    public const string Hex =
        "454d504c01000000c70000009400030002000300020002000400000002000100" +
        "02000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b" +
        "1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b" +
        "3c3d3e3f302e312e30000000000000000000000074696e790000000000000000" +
        "0000000000000000000000000000000000000000010001" +
        "00b80000000100000001000200b9000000020000000200" +
        "0000bb0000000800000024a406ff00808040c000ff05a1f610";

    // π_g per k' (index s_g · C(k'+1, 1) + rank(c)); ranks in lexicographic order of (c_0, c_1):
    // k' = 1: (0,1), (1,0); k' = 2: (0,2), (1,1), (2,0).
    public static readonly int[][] GlobalActions = [[0, 1, 2, 0], [0, 1, 2, 2, 2, 1]];

    // Quantised π_l in 1/256, flat [s_g, s_l, a_l], from π_l = [1, 0 | .5, .5 | .25, .75 | 0, 1].
    public static readonly int[] LocalWeights = [256, 0, 128, 128, 64, 192, 0, 256];

    public static byte[] Bytes() => Convert.FromHexString(Hex);

    public static byte[] BytesV2() => Convert.FromHexString(HexV2);
}
