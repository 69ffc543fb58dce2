using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Shared.Tests.Policy;

public class PolicyTableCorruptionTests
{
    [Fact]
    public void EveryTruncationIsRejectedAsTruncatedOrLengthMismatch()
    {
        byte[] file = TinyPolicyFile.Bytes();
        for (int length = 0; length < file.Length; length++)
        {
            Assert.False(PolicyTable.TryOpen(file, 0, length, null, out PolicyTable table, out PolicyFileError error));
            Assert.Null(table);
            PolicyStatus expected = length < PolicyFileLayout.HeaderLengthV1 + PolicyFileLayout.CrcLength ? PolicyStatus.Truncated : PolicyStatus.LengthMismatch;
            Assert.Equal(expected, error.Status);
            Assert.Equal(expected == PolicyStatus.Truncated ? length : PolicyFileLayout.FileLengthOffset, error.ByteOffset);
        }
    }

    [Fact]
    public void EverySingleBitFlipIsRejectedWithTheErrorOfItsRegion()
    {
        byte[] file = TinyPolicyFile.Bytes();
        for (int bit = 0; bit < file.Length * 8; bit++)
        {
            byte[] corrupt = (byte[])file.Clone();
            corrupt[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(PolicyTable.TryOpen(corrupt, 0, corrupt.Length, null, out _, out PolicyFileError error), $"bit {bit} accepted");
            int at = bit / 8;
            // Version 1 → 3 or 5 (bit 1 or 2 of byte 4) is a version this reader knows, so that flip is caught by the CRC instead.
            bool knownVersion = (corrupt[PolicyFileLayout.VersionOffset] == PolicyFileLayout.FormatVersionCompact || corrupt[PolicyFileLayout.VersionOffset] == PolicyFileLayout.FormatVersionTyped)
                && corrupt[PolicyFileLayout.VersionOffset + 1] == 0;
            (PolicyStatus status, int offset) expected = at switch
            {
                < 4 => (PolicyStatus.BadMagic, at),
                < 6 when !knownVersion => (PolicyStatus.UnsupportedVersion, PolicyFileLayout.VersionOffset),
                >= 8 and < 12 => (PolicyStatus.LengthMismatch, PolicyFileLayout.FileLengthOffset),
                _ => (PolicyStatus.CrcMismatch, file.Length - PolicyFileLayout.CrcLength),
            };
            Assert.Equal(expected, (error.Status, error.ByteOffset));
        }
    }

    /// <summary>
    /// A writer bug rather than a transmission error: the bit is flipped and the CRC recomputed, so only the
    /// structural checks stand between the bytes and a lookup. Every such file is either rejected with a
    /// specific status, or accepted and then answers every lookup in range without throwing.
    /// </summary>
    [Fact]
    public void BitFlipsWithARecomputedCrcAreRejectedOrStayInRange()
    {
        byte[] file = TinyPolicyFile.Bytes();
        int crcAt = file.Length - PolicyFileLayout.CrcLength;
        var accepted = new List<int>();
        for (int bit = 0; bit < crcAt * 8; bit++)
        {
            byte[] corrupt = (byte[])file.Clone();
            corrupt[bit / 8] ^= (byte)(1 << (bit % 8));
            BitConverter.TryWriteBytes(corrupt.AsSpan(crcAt), Crc32.Compute(corrupt, 0, crcAt));
            if (!PolicyTable.TryOpen(corrupt, 0, corrupt.Length, null, out PolicyTable table, out PolicyFileError error))
            {
                Assert.NotEqual(PolicyStatus.Ok, error.Status);
                Assert.NotEqual(PolicyStatus.CrcMismatch, error.Status);
                Assert.InRange(error.ByteOffset, 0, file.Length);
                continue;
            }

            accepted.Add(bit / 8);
            AssertEveryLookupInRange(table);
            if (bit / 8 == PolicyFileLayout.VersionOffset)
            {
                // A version-1 layout is also a valid version-3 layout (every k' stored, bit-packed): relabelled, it must
                // mean exactly the same policy.
                Assert.Equal(PolicyFileLayout.FormatVersionCompact, table.FormatVersion);
                Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable original, out _));
                AssertSameLookups(original, table);
            }
        }

        // Only fields where other values are legal may slip through: n, hashes, producer version and name
        // text, table contents (an action is an action); never the other sizes or the section table.
        foreach (int at in accepted)
        {
            bool legal = at == PolicyFileLayout.VersionOffset
                || (at >= PolicyFileLayout.AgentCountOffset && at < PolicyFileLayout.AgentCountOffset + 4)
                || (at >= PolicyFileLayout.GameHashOffset && at < PolicyFileLayout.GameNameOffset + PolicyFileLayout.GameNameLength)
                || at >= 184;
            Assert.True(legal, $"byte {at} accepted after a flip");
        }
    }

    private static void AssertSameLookups(PolicyTable expected, PolicyTable actual)
    {
        var ranker = new CountRanker(expected.LocalStates, expected.K);
        var counts = new int[expected.LocalStates];
        for (int kPrime = expected.KMin; kPrime <= expected.K; kPrime++)
        {
            for (int sg = 0; sg < expected.GlobalStates; sg++)
            {
                for (int rank = 0; rank < ranker.Count(kPrime); rank++)
                {
                    ranker.Unrank(rank, kPrime, counts, 0);
                    Assert.True(expected.TryGetGlobalAction(sg, counts, 0, out int a));
                    Assert.True(actual.TryGetGlobalAction(sg, counts, 0, out int b));
                    Assert.Equal(a, b);
                }

                for (int sl = 0; sl < expected.LocalStates; sl++)
                {
                    for (int v = 0; v < 256; v++)
                    {
                        Assert.Equal(expected.GetLocalAction(sg, sl, (byte)v), actual.GetLocalAction(sg, sl, (byte)v));
                    }
                }
            }
        }
    }

    private static void AssertEveryLookupInRange(PolicyTable table)
    {
        var ranker = new CountRanker(table.LocalStates, table.K);
        var counts = new int[table.LocalStates];
        for (int kPrime = table.KMin; kPrime <= table.K; kPrime++)
        {
            for (int sg = 0; sg < table.GlobalStates; sg++)
            {
                for (int rank = 0; rank < ranker.Count(kPrime); rank++)
                {
                    ranker.Unrank(rank, kPrime, counts, 0);
                    Assert.True(table.TryGetGlobalAction(sg, counts, 0, out int a));
                    Assert.InRange(a, 0, table.GlobalActions - 1);
                }

                for (int sl = 0; sl < table.LocalStates; sl++)
                {
                    for (int b = 0; b < 256; b++)
                    {
                        Assert.InRange(table.GetLocalAction(sg, sl, (byte)b), 0, table.LocalActions - 1);
                    }
                }
            }
        }
    }
}
