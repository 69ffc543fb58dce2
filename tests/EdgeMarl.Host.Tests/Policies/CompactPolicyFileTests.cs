using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Random;
using FsCheck.Xunit;

namespace EdgeMarl.Host.Tests.Policies;

/// <summary>Format version 3: compact global tables (kind 4) and a stored subset of <c>k'</c> (docs/policy-format.md).</summary>
public class CompactPolicyFileTests
{
    private static readonly byte[] s_key = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 3 + 1))];

    /// <summary>
    /// A trainer-like random pair: each entry is the argmax of the counts (mapped into <c>[0, |A_g|)</c>) or, with probability
    /// <c>noise</c>, a random action, so the rule learns something and the runs are many and varied.
    /// </summary>
    internal static PolicyPair Structured(ulong seed, int maxSampleSize = 9)
    {
        PolicyPair random = RandomPolicies.Create(seed, maxSampleSize);
        var rng = new Pcg32(seed, 11);
        int noisePercent = (int)rng.NextBelow(60);
        var ranker = new CountRanker(random.LocalStates, random.K);
        int[] counts = new int[random.LocalStates];
        var tables = new int[random.GlobalActions.Length][];
        for (int i = 0; i < tables.Length; i++)
        {
            int kPrime = random.KMin + i;
            int ranks = ranker.Count(kPrime);
            tables[i] = new int[random.GlobalStates * ranks];
            for (int sg = 0; sg < random.GlobalStates; sg++)
            {
                for (int r = 0; r < ranks; r++)
                {
                    ranker.Unrank(r, kPrime, counts, 0);
                    int argmax = 0;
                    for (int j = 1; j < counts.Length; j++)
                    {
                        argmax = counts[j] > counts[argmax] ? j : argmax;
                    }

                    tables[i][(sg * ranks) + r] = rng.NextBelow(100) < noisePercent
                        ? (int)rng.NextBelow((uint)random.GlobalActionCount)
                        : (argmax + sg) % random.GlobalActionCount;
                }
            }
        }

        return new PolicyPair(random.GlobalStates, random.GlobalActionCount, random.LocalStates, random.LocalActionCount, random.KMin, random.K, tables, random.LocalPolicy);
    }

    /// <summary>A random nonempty subset of <c>[k_min, k]</c> that holds <c>k</c> (the export always stores the trained k).</summary>
    internal static List<int> StoredSubset(PolicyPair pair, ulong seed)
    {
        var rng = new Pcg32(seed, 13);
        var set = new List<int>();
        for (int kPrime = pair.KMin; kPrime < pair.K; kPrime++)
        {
            if (rng.NextBelow(2) == 0)
            {
                set.Add(kPrime);
            }
        }

        set.Add(pair.K);
        return set;
    }

    internal static byte[] WriteCompact(ulong seed, bool hmac, out PolicyPair pair, out List<int> stored, int maxSampleSize = 9, GlobalTableEncoding encoding = GlobalTableEncoding.Compact)
    {
        pair = Structured(seed, maxSampleSize);
        stored = StoredSubset(pair, seed);
        return CompactPolicyFileWriter.Write(pair, RandomPolicies.Metadata(seed), stored, encoding, hmac ? s_key : null);
    }

    // Encoding 2 needs 2 ≤ |A_g| ≤ 16; below that the coded choice falls back to encoding 1 (version 3).
    private static int ExpectedVersion(PolicyPair pair, GlobalTableEncoding encoding) =>
        encoding == GlobalTableEncoding.CompactCodedRuns && pair.GlobalActionCount >= 2 ? PolicyFileLayout.FormatVersionCodedRuns : PolicyFileLayout.FormatVersionCompact;

    private static GlobalTableEncoding Coded(bool coded) => coded ? GlobalTableEncoding.CompactCodedRuns : GlobalTableEncoding.CompactRuleRuns;

    [Property(MaxTest = 200)]
    public void EveryStoredEntryReadThroughTheCompactReaderIsTheTrainers(ulong seed, byte mode)
    {
        GlobalTableEncoding[] choices = [GlobalTableEncoding.Smallest, GlobalTableEncoding.Compact, GlobalTableEncoding.CompactRuleRuns, GlobalTableEncoding.CompactCodedRuns];
        GlobalTableEncoding encoding = choices[mode % 4];
        PolicyPair pair = Structured(seed);
        List<int> stored = StoredSubset(pair, seed);
        byte[] file = CompactPolicyFileWriter.Write(pair, RandomPolicies.Metadata(seed), stored, encoding);

        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable table, out PolicyFileError error), PolicyFileMessages.Describe(error));
        bool anyCoded = stored.Any(k => table.CompactEncoding(k) == CompactGlobalLayout.EncodingCodedRuns);
        Assert.Equal(anyCoded ? PolicyFileLayout.FormatVersionCodedRuns : PolicyFileLayout.FormatVersionCompact, table.FormatVersion);
        if (encoding is GlobalTableEncoding.CompactRuleRuns or GlobalTableEncoding.CompactCodedRuns)
        {
            Assert.Equal(ExpectedVersion(pair, encoding), table.FormatVersion);
        }

        AssertStoredTablesEqual(pair, stored, table);
        PolicyFileRoundTripTests.AssertSameLocalWeights(pair, table);

        // The same bytes through a tiny page cache (slice mode, as on flash).
        Assert.True(PolicyTable.TryOpen(new ByteArraySource(file), 1 + (int)(seed % 5), 1 + (int)(seed / 5 % 3), null, out PolicyTable sliced, out error), PolicyFileMessages.Describe(error));
        AssertStoredTablesEqual(pair, stored, sliced);
    }

    [Property(MaxTest = 50)]
    public void WritingTwiceGivesIdenticalBytes(ulong seed)
    {
        byte[] first = WriteCompact(seed, hmac: false, out _, out _);
        byte[] second = WriteCompact(seed, hmac: false, out _, out _);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheCompactEncodingIsExactOnALargeTableWithManyBlocks(bool coded)
    {
        PolicyPair pair = LargeNoisyPair();
        byte[] file = CompactPolicyFileWriter.Write(pair, RandomPolicies.Metadata(1), [12], Coded(coded));
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable opened, out PolicyFileError error), PolicyFileMessages.Describe(error));
        Assert.Equal(coded ? CompactGlobalLayout.EncodingCodedRuns : CompactGlobalLayout.EncodingRuleRuns, opened.CompactEncoding(12));
        Assert.True(opened.CompactRunCount(12) > 10 * CompactTableEncoder.DefaultRunsPerBlock);
        AssertStoredTablesEqual(pair, [12], opened);
        Assert.False(opened.HasGlobalTable(11));
        Assert.False(opened.TryGetGlobalActionByRank(0, 11, 0, out _));
    }

    [Property(MaxTest = 20)]
    public void EveryTruncationIsRejected(ulong seed, bool hmac, bool coded)
    {
        byte[] file = WriteCompact(seed, hmac, out _, out _, maxSampleSize: 5, Coded(coded));
        for (int length = 0; length < file.Length; length++)
        {
            Assert.False(PolicyTable.TryOpen(file, 0, length, hmac ? new HmacSha256Authenticator(s_key) : null, out _, out PolicyFileError error));
            Assert.Contains(error.Status, new[] { PolicyStatus.Truncated, PolicyStatus.LengthMismatch });
        }
    }

    [Property(MaxTest = 20)]
    public void EverySingleBitFlipIsRejected(ulong seed, bool hmac, bool coded)
    {
        byte[] file = WriteCompact(seed, hmac, out PolicyPair pair, out _, maxSampleSize: 5, Coded(coded));
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable original, out _));
        Assert.Equal(ExpectedVersion(pair, Coded(coded)), original.FormatVersion);
        for (int bit = 0; bit < file.Length * 8; bit++)
        {
            file[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable table, out PolicyFileError error));
            Assert.Null(table);
            Assert.Contains(error.Status, new[] { PolicyStatus.BadMagic, PolicyStatus.UnsupportedVersion, PolicyStatus.LengthMismatch, PolicyStatus.CrcMismatch });
            file[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    /// <summary>
    /// A writer bug rather than a transmission error: flip a bit and recompute the CRC. The structural checks of the compact
    /// sections must then refuse the file (with a byte offset inside it), or every lookup of the accepted file must answer an
    /// action in range: never an exception, never a read outside the table.
    /// </summary>
    [Property(MaxTest = 10)]
    public void BitFlipsWithARecomputedCrcAreRejectedOrAnswerInRange(ulong seed, bool coded)
    {
        byte[] file = WriteCompact(seed, hmac: false, out _, out List<int> stored, maxSampleSize: 5, Coded(coded));
        int crcAt = file.Length - PolicyFileLayout.CrcLength;
        int compactRejections = 0;
        for (int bit = 0; bit < crcAt * 8; bit++)
        {
            byte[] corrupt = (byte[])file.Clone();
            corrupt[bit / 8] ^= (byte)(1 << (bit % 8));
            BitConverter.TryWriteBytes(corrupt.AsSpan(crcAt), Crc32.Compute(corrupt, 0, crcAt));
            if (PolicyTable.TryOpen(corrupt, 0, corrupt.Length, null, out PolicyTable table, out PolicyFileError error))
            {
                AssertEveryStoredLookupInRange(table);
            }
            else
            {
                Assert.NotEqual(PolicyStatus.CrcMismatch, error.Status);
                Assert.InRange(error.ByteOffset, 0, corrupt.Length);
                compactRejections += error.Status == PolicyStatus.BadCompactTable ? 1 : 0;
            }
        }

        // The flips inside the compact headers and index must have been caught by the structural checks.
        Assert.True(compactRejections > 0);
    }

    // k' = 12, |S_l| = 5: 1,820 ranks per s_g, |A_g| = 4, 30 % noise: thousands of runs, so many blocks and long binary searches.
    private static PolicyPair LargeNoisyPair()
    {
        var rng = new Pcg32(5);
        var ranker = new CountRanker(5, 12);
        int ranks = ranker.Count(12);
        int[] counts = new int[5];
        int[] table = new int[3 * ranks];
        for (int e = 0; e < table.Length; e++)
        {
            ranker.Unrank(e % ranks, 12, counts, 0);
            table[e] = rng.NextBelow(10) < 3 ? (int)rng.NextBelow(4) : Array.IndexOf(counts, counts.Max()) % 4;
        }

        var tables = new int[12][];
        tables[11] = table;
        return new PolicyPair(3, 4, 5, 2, 1, 12, tables, [.. Enumerable.Repeat(0.5, 3 * 5 * 2)]);
    }

    /// <summary>
    /// CRC-valid but wrong encoding-2 files (what a writer bug would make) are refused at the byte that is wrong: encoding 2
    /// in a version-3 file, a block bit cap below a block's length, a rank list that is not a permutation.
    /// </summary>
    [Fact]
    public void WrongCodedSectionsWithAValidCrcAreRefusedAtTheirByte()
    {
        PolicyPair pair = LargeNoisyPair();
        byte[] file = CompactPolicyFileWriter.Write(pair, RandomPolicies.Metadata(41), [pair.K], GlobalTableEncoding.CompactCodedRuns);
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, out PolicyTable table, out PolicyFileError error), PolicyFileMessages.Describe(error));
        Assert.Equal(PolicyFileLayout.FormatVersionCodedRuns, table.FormatVersion);
        Assert.True(table.TryGetSection(0, out _, out _, out int section, out _));
        Assert.True(table.CompactRunCount(pair.K) > 0);

        AssertRefusedAt(file, PolicyFileLayout.VersionOffset, 3, section + CompactGlobalLayout.EncodingOffset);
        AssertRefusedAt(file, section + CompactGlobalLayout.CodedBlockBitsOffset + 1, 0, section + CompactGlobalLayout.CodedBlockBitsOffset); // 640 → 128 < 160

        // A cap in range but below the blocks' length (640 → 160): refused at the first block's offset field in the index.
        byte[] tight = (byte[])file.Clone();
        tight[section + CompactGlobalLayout.CodedBlockBitsOffset] = CompactGlobalLayout.MinBlockBits;
        tight[section + CompactGlobalLayout.CodedBlockBitsOffset + 1] = 0;
        int indexStart = section + CompactGlobalLayout.CodedHeaderLength + (int)CompactGlobalLayout.RuleLength(pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates) + pair.GlobalActionCount - 1;
        int startBits = file[section + CompactGlobalLayout.CodedStartBitsOffset];
        AssertRefusedAt(tight, 0, tight[0], indexStart + (startBits / 8));
        int listStart = section + CompactGlobalLayout.CodedHeaderLength + (int)CompactGlobalLayout.RuleLength(pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates);
        AssertRefusedAt(file, listStart + 1, file[listStart], listStart + 1);
        AssertRefusedAt(file, section + CompactGlobalLayout.CodedReservedOffset, 1, section + CompactGlobalLayout.CodedReservedOffset);
    }

    private static void AssertRefusedAt(byte[] file, int at, int value, int expectedOffset)
    {
        byte[] wrong = (byte[])file.Clone();
        wrong[at] = (byte)value;
        int crcAt = wrong.Length - PolicyFileLayout.CrcLength;
        BitConverter.TryWriteBytes(wrong.AsSpan(crcAt), Crc32.Compute(wrong, 0, crcAt));
        Assert.False(PolicyTable.TryOpen(wrong, 0, wrong.Length, out _, out PolicyFileError error));
        Assert.Equal((PolicyStatus.BadCompactTable, expectedOffset), (error.Status, error.ByteOffset));
        Assert.Contains($"byte {expectedOffset} ", PolicyFileMessages.Describe(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TenThousandCompactLookupsAllocateNothing(bool coded)
    {
        byte[] file = WriteCompact(3, hmac: false, out PolicyPair pair, out List<int> stored, encoding: Coded(coded));
        Assert.Equal(ExpectedVersion(pair, Coded(coded)), PolicyTable.TryOpen(file, 0, file.Length, out PolicyTable opened, out _) ? opened.FormatVersion : 0);
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable buffer, out _));
        Assert.True(PolicyTable.TryOpen(new ByteArraySource(file), 16, 4, null, out PolicyTable sliced, out _));
        foreach (PolicyTable table in new[] { buffer, sliced })
        {
            var ranker = new CountRanker(pair.LocalStates, pair.K);
            int[] counts = new int[pair.LocalStates];
            long checksum = Lookups(table, ranker, stored, counts, 10_000);

            // A lookup that allocates shows up in every pass; the runtime's one-off tier-up work (seen once as 7,472 B
            // on a loaded CI machine) lands in at most one, so the least of three passes must be 0.
            long least = long.MaxValue;
            for (int pass = 0; pass < 3 && least > 0; pass++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                checksum += Lookups(table, ranker, stored, counts, 10_000);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.Equal(0, least);
            Assert.True(checksum > 0);
        }
    }

    /// <summary>
    /// Distillation (lossy, <c>export --distill</c>): keeping every run is the exact encoding byte for byte; keeping fewer
    /// only turns entries back to the rule, so the entries that differ from the trainer's grow as runs are dropped (nested).
    /// </summary>
    [Property(MaxTest = 40)]
    public void DistillingKeepsTheLongestRunsAndOnlyEverRevertsEntriesToTheRule(ulong seed)
    {
        PolicyPair pair = Structured(seed);
        int k = pair.K;
        byte[] exact = CompactTableEncoder.Encode(pair.GlobalActions[k - pair.KMin], pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, k);
        int runs = (int)BitConverter.ToUInt32(exact, CompactGlobalLayout.RunCountOffset);
        Assert.Equal(exact, CompactTableEncoder.Distill(exact, pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, runs));

        HashSet<int>? previous = null;
        foreach (int keep in new[] { runs, runs * 2 / 3, runs / 3, 0 })
        {
            byte[] body = CompactTableEncoder.Distill(exact, pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, keep);
            byte[] file = CompactPolicyFileWriter.Write(pair, RandomPolicies.Metadata(seed), [new EncodedGlobalTable(k, PolicyFileLayout.SectionCompactGlobalTable, body)]);
            Assert.True(PolicyTable.TryOpen(file, 0, file.Length, out PolicyTable table, out PolicyFileError error), PolicyFileMessages.Describe(error));
            int[] trained = pair.GlobalActions[k - pair.KMin];
            int ranks = trained.Length / pair.GlobalStates;
            var wrong = new HashSet<int>();
            for (int e = 0; e < trained.Length; e++)
            {
                Assert.True(table.TryGetGlobalActionByRank(e / ranks, k, e % ranks, out int a));
                if (a != trained[e])
                {
                    wrong.Add(e);
                }
            }

            Assert.True(previous is null || previous.IsSubsetOf(wrong));
            Assert.True(keep < runs || wrong.Count == 0);
            previous = wrong;
        }
    }

    [Fact]
    public void APlainBitPackedFileSaysVersionTwoAndStoresEveryKPrime()
    {
        PolicyPair pair = RandomPolicies.Create(17);
        byte[] file = PolicyFileWriter.Write(pair, RandomPolicies.Metadata(17));
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable table, out _));
        Assert.Equal(PolicyFileLayout.FormatVersion, table.FormatVersion);
        for (int kPrime = pair.KMin; kPrime <= pair.K; kPrime++)
        {
            Assert.True(table.HasGlobalTable(kPrime));
            Assert.Equal(PolicyFileLayout.SectionGlobalTable, table.GlobalTableKind(kPrime));
        }
    }

    private static long Lookups(PolicyTable table, CountRanker ranker, List<int> stored, int[] counts, int n)
    {
        long checksum = 0;
        for (int i = 0; i < n; i++)
        {
            int kPrime = stored[i % stored.Count];
            int ranks = ranker.Count(kPrime);
            int rank = (int)((i * 2654435761L) % ranks);
            ranker.Unrank(rank, kPrime, counts, 0);
            table.TryGetGlobalAction(i % table.GlobalStates, counts, 0, out int a);
            table.TryGetGlobalActionByRank(i % table.GlobalStates, kPrime, rank, out int b);
            checksum += a + b + 1;
        }

        return checksum;
    }

    internal static void AssertStoredTablesEqual(PolicyPair pair, IReadOnlyCollection<int> stored, PolicyTable table)
    {
        var ranker = new CountRanker(pair.LocalStates, pair.K);
        int[] counts = new int[pair.LocalStates];
        for (int kPrime = pair.KMin; kPrime <= pair.K; kPrime++)
        {
            Assert.Equal(stored.Contains(kPrime), table.HasGlobalTable(kPrime));
            if (!stored.Contains(kPrime))
            {
                continue;
            }

            int ranks = ranker.Count(kPrime);
            int[] expected = pair.GlobalActions[kPrime - pair.KMin];
            for (int sg = 0; sg < pair.GlobalStates; sg++)
            {
                for (int rank = 0; rank < ranks; rank++)
                {
                    Assert.True(table.TryGetGlobalActionByRank(sg, kPrime, rank, out int byRank));
                    ranker.Unrank(rank, kPrime, counts, 0);
                    Assert.True(table.TryGetGlobalAction(sg, counts, 0, out int byCounts));
                    if (table.CompactEncoding(kPrime) == CompactGlobalLayout.EncodingCodedRuns)
                    {
                        Assert.InRange(table.LastLookupSteps, 1, table.CodedWorstCaseSteps(kPrime));
                    }

                    Assert.Equal(expected[(sg * ranks) + rank], byRank);
                    Assert.Equal(expected[(sg * ranks) + rank], byCounts);
                }
            }
        }
    }

    private static void AssertEveryStoredLookupInRange(PolicyTable table)
    {
        var ranker = new CountRanker(table.LocalStates, table.K);
        int[] counts = new int[table.LocalStates];
        for (int kPrime = table.KMin; kPrime <= table.K; kPrime++)
        {
            if (!table.HasGlobalTable(kPrime))
            {
                continue;
            }

            for (int sg = 0; sg < table.GlobalStates; sg++)
            {
                for (int rank = 0; rank < ranker.Count(kPrime); rank++)
                {
                    ranker.Unrank(rank, kPrime, counts, 0);
                    Assert.True(table.TryGetGlobalAction(sg, counts, 0, out int a));
                    Assert.InRange(a, 0, table.GlobalActions - 1);
                }
            }
        }
    }
}
