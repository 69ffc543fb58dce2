using System.Security.Cryptography;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Tests.Policies;

public class PolicyFileHmacTests
{
    private static readonly byte[] s_key = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    private static byte[] Signed() => PolicyFileWriter.Write(PolicyFileGoldenTests.TinyPair(), PolicyFileGoldenTests.TinyMetadata(), s_key);

    [Fact]
    public void TagIsHmacSha256OfEveryByteBeforeIt()
    {
        byte[] file = Signed();
        int tagAt = file.Length - PolicyFileLayout.CrcLength - PolicyFileLayout.HmacLength;
        Assert.Equal(HMACSHA256.HashData(s_key, file.AsSpan(0, tagAt)), file.AsSpan(tagAt, 32).ToArray());
        Assert.Equal(PolicyFileLayout.FlagHmac, file[PolicyFileLayout.FlagsOffset]);
    }

    [Fact]
    public void RightKeyVerifiesAndLookupsMatch()
    {
        byte[] file = Signed();
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, new HmacSha256Authenticator(s_key), out PolicyTable table, out _));
        Assert.True(table.HasHmac);
        Assert.True(table.HmacVerified);
        PolicyFileRoundTripTests.AssertSameGlobalActions(PolicyFileGoldenTests.TinyPair(), table);
    }

    [Fact]
    public void WrongKeyIsRejectedAtTheTag()
    {
        byte[] file = Signed();
        byte[] wrong = (byte[])s_key.Clone();
        wrong[0] ^= 1;
        Assert.False(PolicyTable.TryOpen(file, 0, file.Length, new HmacSha256Authenticator(wrong), out _, out PolicyFileError error));
        Assert.Equal(PolicyStatus.HmacMismatch, error.Status);
        Assert.Equal(file.Length - PolicyFileLayout.CrcLength - PolicyFileLayout.HmacLength, error.ByteOffset);
    }

    [Fact]
    public void TamperedFileWithARecomputedCrcIsCaughtByTheHmac()
    {
        byte[] file = Signed();
        int crcAt = file.Length - PolicyFileLayout.CrcLength;
        file[200] ^= 0x01; // first global entry 0 → 1 (data starts after the 152-byte header and 4 section entries): legal, so only the key can tell
        BitConverter.TryWriteBytes(file.AsSpan(crcAt), EdgeMarl.Shared.Integrity.Crc32.Compute(file, 0, crcAt));
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out _, out _));
        Assert.False(PolicyTable.TryOpen(file, 0, file.Length, new HmacSha256Authenticator(s_key), out _, out PolicyFileError error));
        Assert.Equal(PolicyStatus.HmacMismatch, error.Status);
    }

    [Fact]
    public void WithoutAKeyTheHmacIsAcceptedButReportedUnverified()
    {
        byte[] file = Signed();
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable table, out _));
        Assert.True(table.HasHmac);
        Assert.False(table.HmacVerified);
    }

    [Fact]
    public void SliceSourceVerifiesTheHmacToo()
    {
        byte[] file = Signed();
        Assert.True(PolicyTable.TryOpen(new ByteArraySource(file), 8, 2, new HmacSha256Authenticator(s_key), out PolicyTable table, out _));
        Assert.True(table.HmacVerified);
    }
}
