using EdgeMarl.Host.Policies;

namespace EdgeMarl.Host.Tests.Policies;

/// <summary>
/// Pins format version 2 from the writer side (policy version 7); tests/EdgeMarl.Shared.Tests/Policy/TinyPolicyFile.cs
/// pins the same bytes for the reader. <see cref="TinyHexV1"/> is the same policy in format 1, which readers still open.
/// </summary>
public class PolicyFileGoldenTests
{
    public const string TinyHex =
        "454d504c02000000cb0000009800030002000300020002000400000002000100" +
        "02000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b" +
        "1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b" +
        "3c3d3e3f302e312e30000000000000000000000074696e790000000000000000" +
        "00000000000000000000000000000000000000000700000001000100bc000000" +
        "0100000001000200bd0000000200000002000000bf0000000800000024a406ff" +
        "00808040c000ffc9fc537f";

    public const string TinyHexV1 =
        "454d504c01000000c70000009400030002000300020002000400000002000100" +
        "02000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b" +
        "1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b" +
        "3c3d3e3f302e312e30000000000000000000000074696e790000000000000000" +
        "0000000000000000000000000000000000000000010001" +
        "00b80000000100000001000200b9000000020000000200" +
        "0000bb0000000800000024a406ff00808040c000ff05a1f610";

    public static PolicyPair TinyPair() =>
        new(2, 3, 2, 2, 1, 2, [[0, 1, 2, 0], [0, 1, 2, 2, 2, 1]], [1, 0, 0.5, 0.5, 0.25, 0.75, 0, 1]);

    public static PolicyFileMetadata TinyMetadata() =>
        new("tiny", [.. Enumerable.Range(0, 32).Select(i => (byte)i)], [.. Enumerable.Range(32, 32).Select(i => (byte)i)], "0.1.0", 4);

    [Fact]
    public void TinyPolicyIsWrittenAsTheGoldenBytes()
    {
        Assert.Equal(TinyHex, Convert.ToHexStringLower(PolicyFileWriter.Write(TinyPair(), TinyMetadata() with { PolicyVersion = 7 })));
    }

    [Fact]
    public void TheV1FileOfTheSamePolicyStillOpensWithPolicyVersion0()
    {
        byte[] v1 = Convert.FromHexString(TinyHexV1);
        Assert.True(EdgeMarl.Shared.Policy.PolicyTable.TryOpen(v1, 0, v1.Length, out EdgeMarl.Shared.Policy.PolicyTable table, out _));
        Assert.Equal(1, table.FormatVersion);
        Assert.Equal(0u, table.PolicyVersion);
        byte[] v2 = Convert.FromHexString(TinyHex);
        Assert.True(EdgeMarl.Shared.Policy.PolicyTable.TryOpen(v2, 0, v2.Length, out EdgeMarl.Shared.Policy.PolicyTable table2, out _));
        Assert.Equal(2, table2.FormatVersion);
        Assert.Equal(7u, table2.PolicyVersion);
        Assert.True(table.TryGetGlobalAction(1, [1, 1], 0, out int a1));
        Assert.True(table2.TryGetGlobalAction(1, [1, 1], 0, out int a2));
        Assert.Equal(a1, a2);
    }
}
