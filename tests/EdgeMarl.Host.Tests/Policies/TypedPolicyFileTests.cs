using System.Buffers.Binary;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Tests.Policies;

/// <summary>Format version 5 (docs/policy-format.md "Version 5"): typed policies for T robot types.</summary>
public class TypedPolicyFileTests
{
    /// <summary>
    /// A typed file is the untyped file of the same expanded pair (tables over T·|S_l| classes, local rows per class) with three header
    /// fields changed: version 5, |S_l| per type, T in byte 33; everything else (sections, tables, rows) is the same bytes.
    /// </summary>
    [Theory]
    [InlineData(1UL, 2)]
    [InlineData(2UL, 3)]
    [InlineData(3UL, 2)]
    public void ATypedFileIsTheExpandedPairWithVersionFiveAndTInTheHeader(ulong seed, int types)
    {
        PolicyPair pair = TypedPair(seed, types, statesPerType: 2, k: 3);
        PolicyFileMetadata metadata = RandomPolicies.Metadata(seed);
        byte[] untyped = PolicyFileWriter.Write(pair, metadata);
        byte[] typed = PolicyFileWriter.Write(pair, metadata with { RobotTypes = types });

        Assert.Equal(untyped.Length, typed.Length);
        for (int i = 0; i < typed.Length - PolicyFileLayout.CrcLength; i++)
        {
            byte expected = i switch
            {
                PolicyFileLayout.VersionOffset => (byte)PolicyFileLayout.FormatVersionTyped,
                PolicyFileLayout.LocalStatesOffset => 2,
                PolicyFileLayout.RobotTypesOffset => (byte)types,
                _ => untyped[i],
            };
            Assert.True(expected == typed[i], $"byte {i}: {typed[i]} vs {expected}");
        }

        Assert.True(PolicyTable.TryOpen(typed, 0, typed.Length, out PolicyTable table, out PolicyFileError error), error.ToString());
        Assert.Equal(types, table.RobotTypes);
        Assert.Equal(2, table.LocalStates);
        Assert.Equal(PolicyFileLayout.FormatVersionTyped, table.FormatVersion);
    }

    [Theory]
    [InlineData(4UL, 2, GlobalTableEncoding.Smallest)]
    [InlineData(5UL, 3, GlobalTableEncoding.Compact)]
    [InlineData(6UL, 2, GlobalTableEncoding.Packed)]
    public void TheReaderAnswersEveryTypedEntryAndRowAsThePair(ulong seed, int types, GlobalTableEncoding encoding)
    {
        int l = 3;
        PolicyPair pair = TypedPair(seed, types, l, k: 4);
        byte[] file = CompactPolicyFileWriter.Write(pair, RandomPolicies.Metadata(seed) with { RobotTypes = types }, [1, 2, 4], encoding);
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, out PolicyTable table, out PolicyFileError error), error.ToString());
        Assert.Equal(PolicyFileLayout.FormatVersionTyped, table.FormatVersion);

        int classes = types * l;
        var ranker = new CountRanker(classes, 4);
        int[] counts = new int[classes];
        foreach (int kPrime in new[] { 1, 2, 4 })
        {
            for (int sg = 0; sg < pair.GlobalStates; sg++)
            {
                for (int rank = 0; rank < ranker.Count(kPrime); rank++)
                {
                    ranker.Unrank(rank, kPrime, counts, 0);
                    Assert.True(table.TryGetGlobalAction(sg, counts, 0, out int ag));
                    Assert.Equal(pair.GlobalActions[kPrime - pair.KMin]![(sg * ranker.Count(kPrime)) + rank], ag);
                }
            }
        }

        Span<int> weights = stackalloc int[pair.LocalActionCount];
        for (int sg = 0; sg < pair.GlobalStates; sg++)
        {
            for (int x = 0; x < classes; x++)
            {
                LocalPolicyQuantizer.QuantizeRow(pair.LocalPolicy.AsSpan(((sg * classes) + x) * pair.LocalActionCount, pair.LocalActionCount), weights);
                for (int a = 0; a < pair.LocalActionCount; a++)
                {
                    Assert.Equal(weights[a], table.GetLocalWeight(sg, x, a));
                }
            }

            Assert.Equal(-1, table.GetLocalAction(sg, classes, 0)); // no type T
        }
    }

    [Fact]
    public void HeaderErrorsNameByte33()
    {
        PolicyPair pair = TypedPair(7, 2, 2, k: 2);
        byte[] typed = PolicyFileWriter.Write(pair, RandomPolicies.Metadata(7) with { RobotTypes = 2 });
        byte[] untyped = PolicyFileWriter.Write(pair, RandomPolicies.Metadata(7));

        // T = 0 in a version-5 file.
        Assert.Equal((PolicyStatus.BadSize, 33), Open(Patch(typed, 33, 0)));

        // T = 3 where the sections were written for T = 2: the tables are the wrong length for 3·|S_l| classes.
        Assert.Equal(PolicyStatus.BadSectionLength, Open(Patch(typed, 33, 3)).Status);

        // A version-2 file with a non-zero byte 33 (a T an old writer would never set): reserved, refused.
        Assert.Equal((PolicyStatus.BadReserved, 33), Open(Patch(untyped, 33, 2)));

        // Version 5 keeps bytes 34–35 reserved.
        Assert.Equal((PolicyStatus.BadReserved, 34), Open(Patch(typed, 34, 1)));

        // The host's one-line message names the field.
        var e = Assert.Throws<InvalidDataException>(() => PolicyFileMessages.OpenBytes(Patch(typed, 33, 0), null));
        Assert.Contains("byte 33 (header robot types T", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWriterRefusesATThatDoesNotDivideTheClasses()
    {
        PolicyPair pair = TypedPair(8, 2, 3, k: 2); // 6 classes

        var e = Assert.Throws<ArgumentException>(() => PolicyFileWriter.Write(pair, RandomPolicies.Metadata(8) with { RobotTypes = 4 }));

        Assert.Contains("T = 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UntypedMetadataWritesTheSameBytesAsBefore()
    {
        // RobotTypes = 1 (the default) is today's file byte for byte: the golden tests pin those bytes; here the explicit 1.
        PolicyPair pair = RandomPolicies.Create(9);
        PolicyFileMetadata metadata = RandomPolicies.Metadata(9);

        Assert.Equal(PolicyFileWriter.Write(pair, metadata), PolicyFileWriter.Write(pair, metadata with { RobotTypes = 1 }));
        Assert.Equal(PolicyFileLayout.FormatVersion, PolicyFileWriter.Write(pair, metadata)[PolicyFileLayout.VersionOffset]);
    }

    [Fact]
    public void TheTypedPairJsonKeepsTAndUntypedJsonIsUnchanged()
    {
        PolicyPair pair = TypedPair(10, 2, 2, k: 2);
        var typed = new TrainedPolicy(pair, "zones-mixed", new byte[32], new byte[32], 24, 2);
        var untyped = typed with { RobotTypes = 1 };

        Assert.Equal(2, PolicyPairJson.Parse(PolicyPairJson.Serialize(typed)).RobotTypes);
        Assert.DoesNotContain("robotTypes", PolicyPairJson.Serialize(untyped), StringComparison.Ordinal);
        Assert.Equal(PolicyPairJson.Serialize(untyped), PolicyPairJson.Serialize(PolicyPairJson.Parse(PolicyPairJson.Serialize(untyped))));
    }

    private static (PolicyStatus Status, int Offset) Open(byte[] file)
    {
        Assert.False(PolicyTable.TryOpen(file, 0, file.Length, out _, out PolicyFileError error));
        return (error.Status, error.ByteOffset);
    }

    /// <summary>Sets one byte and recomputes the CRC: a writer bug, not a transmission error, so the structural checks must catch it.</summary>
    private static byte[] Patch(byte[] file, int offset, byte value)
    {
        byte[] copy = (byte[])file.Clone();
        copy[offset] = value;
        int crcAt = copy.Length - PolicyFileLayout.CrcLength;
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(crcAt), Crc32.Compute(copy, 0, crcAt));
        return copy;
    }

    /// <summary>A random typed pair: global tables over T·|S_l| classes for every k' ∈ [1, k], local rows per (s_g, class).</summary>
    internal static PolicyPair TypedPair(ulong seed, int types, int statesPerType, int k)
    {
        var rng = new Pcg32(seed, 3);
        int globalStates = 2, globalActions = 3, localActions = 3, classes = types * statesPerType;
        var ranker = new CountRanker(classes, k);
        var tables = new int[k][];
        for (int i = 0; i < k; i++)
        {
            tables[i] = new int[globalStates * ranker.Count(i + 1)];
            for (int e = 0; e < tables[i].Length; e++)
            {
                // Mostly "argmax of the counts" so compact tables have a rule to learn, with random exceptions.
                tables[i][e] = rng.NextBelow(4) == 0 ? (int)rng.NextBelow((uint)globalActions) : e % globalActions;
            }
        }

        var local = new double[globalStates * classes * localActions];
        for (int row = 0; row < globalStates * classes; row++)
        {
            RandomPolicies.RandomRow(rng, local.AsSpan(row * localActions, localActions));
        }

        return new PolicyPair(globalStates, globalActions, classes, localActions, 1, k, tables, local);
    }
}
