using EdgeMarl.Shared.Integrity;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EdgeMarl.Shared.Tests.Integrity;

/// <summary>The managed SHA-256 / HMAC-SHA256 against .NET's and the RFC 4231 vectors.</summary>
public class HmacSha256Tests
{
    // RFC 4231 test cases 1-4, 6, 7 (case 5 truncates the tag): key, data, HMAC-SHA256.
    public static TheoryData<string, string, string> Rfc4231 => new()
    {
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { new string('a', 40), string.Concat(Enumerable.Repeat("dd", 50)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { new string('a', 262), "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { new string('a', 262), "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e", "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void MatchesRfc4231(string keyHex, string dataHex, string tagHex)
    {
        byte[] key = Convert.FromHexString(keyHex);
        byte[] data = Convert.FromHexString(dataHex);
        var hmac = new HmacSha256(key);
        hmac.Append(data, 0, data.Length);
        byte[] tag = new byte[32];
        hmac.Finish(tag, 0);
        Assert.Equal(tagHex, Convert.ToHexStringLower(tag));
    }

    [Fact]
    public void Sha256OfAbcAndEmptyMatchFips180()
    {
        var sha = new Sha256();
        byte[] digest = new byte[32];
        sha.Finish(digest, 0);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(digest));
        sha.Append("abc"u8.ToArray(), 0, 3);
        sha.Finish(digest, 0);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void EqualsDotNetHmacOnRandomKeysMessagesAndSplits()
    {
        // Key lengths straddle the 64-byte block (hashed above it); splits cut the message in three pieces anywhere.
        Prop.ForAll(
            Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(k => k.Length > 0).ToArbitrary(),
            Gen.Choose(0, 700).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)).ToArbitrary(),
            Gen.Two(Gen.Choose(0, 1 << 20)).ToArbitrary(),
            (key, message, cuts) =>
            {
                int a = cuts.Item1 % (message.Length + 1);
                int b = a + (cuts.Item2 % (message.Length - a + 1));
                var hmac = new HmacSha256(key);
                hmac.Append(message, 0, a);
                hmac.Append(message, a, b - a);
                hmac.Append(message, b, message.Length - b);
                byte[] tag = new byte[40];
                hmac.Finish(tag, 8);
                byte[] expected = System.Security.Cryptography.HMACSHA256.HashData(key, message);
                return tag.AsSpan(8).SequenceEqual(expected);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Sha256EqualsDotNetOnRandomMessagesAndReusesState()
    {
        var sha = new Sha256();
        Prop.ForAll(
            Gen.Choose(0, 1000).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)).ToArbitrary(),
            ArbMap.Default.ArbFor<int>(),
            (message, split) =>
            {
                int cut = Math.Abs(split % (message.Length + 1));
                sha.Append(message, 0, cut);
                sha.Append(message, cut, message.Length - cut);
                byte[] digest = new byte[32];
                sha.Finish(digest, 0);
                return digest.AsSpan().SequenceEqual(System.Security.Cryptography.SHA256.HashData(message));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void StartFinishAndAppendAllocateNothing()
    {
        var hmac = new HmacSha256(new byte[32]);
        byte[] chunk = new byte[512];
        byte[] tag = new byte[32];
        hmac.Append(chunk, 0, chunk.Length);
        hmac.Finish(tag, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            hmac.Append(chunk, 0, 511);
        }

        hmac.Finish(tag, 0);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
