using System.Buffers.Binary;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>One encoded global table: its <c>k'</c>, section kind (1 bit-packed, 4 compact) and bytes.</summary>
/// <param name="SampleSize"><c>k'</c>.</param>
/// <param name="Kind"><see cref="PolicyFileLayout.SectionGlobalTable"/> or <see cref="PolicyFileLayout.SectionCompactGlobalTable"/>.</param>
/// <param name="Body">The section's bytes.</param>
public sealed record EncodedGlobalTable(int SampleSize, int Kind, byte[] Body);

/// <summary>How <see cref="CompactPolicyFileWriter.EncodeTable"/> stores a global table.</summary>
public enum GlobalTableEncoding
{
    /// <summary>The smallest of compact (kind 4, encoding 1 or 2) and bit-packed (kind 1).</summary>
    Smallest = 0,

    /// <summary>Always bit-packed (kind 1, as in version 1).</summary>
    Packed = 1,

    /// <summary>Always compact (kind 4), the smaller of encodings 1 and 2.</summary>
    Compact = 2,

    /// <summary>Always compact (kind 4), encoding 1 (rule + varint runs): what a version-3 writer wrote.</summary>
    CompactRuleRuns = 3,

    /// <summary>Always compact (kind 4), encoding 2 (rule + bit-coded runs; format version 4) when <c>|A_g|</c> allows it, else encoding 1.</summary>
    CompactCodedRuns = 4,
}

/// <summary>
/// Writes a policy file of format version 3 or 4 (docs/policy-format.md, "Version 3", "Version 4"): global tables for a chosen
/// set of <c>k'</c> only (the degradation tables), each bit-packed or compact, whichever is smaller. Version 4 when a table
/// uses compact encoding 2 (bit-coded runs), else version 3, byte for byte as before.
/// </summary>
public static class CompactPolicyFileWriter
{
    /// <summary>Writes a version-3 file storing the tables of <paramref name="sampleSizes"/> only.</summary>
    /// <param name="pair">The policies; must hold every table asked for.</param>
    /// <param name="metadata">Header metadata.</param>
    /// <param name="sampleSizes">The <c>k'</c> to store, any order, no repeats.</param>
    /// <param name="encoding">How each table is stored.</param>
    /// <param name="hmacKey">Fleet key, or null.</param>
    /// <returns>The file's bytes.</returns>
    public static byte[] Write(PolicyPair pair, PolicyFileMetadata metadata, IEnumerable<int> sampleSizes, GlobalTableEncoding encoding = GlobalTableEncoding.Smallest, byte[]? hmacKey = null)
    {
        ArgumentNullException.ThrowIfNull(sampleSizes);
        var sorted = sampleSizes.Distinct().Order().ToList();
        return Write(pair, metadata, sorted.Select(k => EncodeTable(pair, k, encoding)).ToList(), hmacKey);
    }

    /// <summary>Encodes the table of <paramref name="sampleSize"/> as <paramref name="encoding"/> says.</summary>
    /// <param name="pair">The policies; must hold the table of <paramref name="sampleSize"/>.</param>
    /// <param name="sampleSize"><c>k'</c>.</param>
    /// <param name="encoding">Smallest of both (default), always bit-packed, or always compact.</param>
    /// <returns>The encoded table.</returns>
    public static EncodedGlobalTable EncodeTable(PolicyPair pair, int sampleSize, GlobalTableEncoding encoding = GlobalTableEncoding.Smallest)
    {
        ArgumentNullException.ThrowIfNull(pair);
        int[] actions = TableOf(pair, sampleSize);
        int bits = PolicyFileLayout.BitsPerEntry(pair.GlobalActionCount);
        var ranker = new CountRanker(pair.LocalStates, sampleSize);
        long entries = (long)pair.GlobalStates * ranker.Count(sampleSize);
        int packedLength = PolicyFileLayout.GlobalTableLength(entries, bits);
        if (packedLength < 0)
        {
            throw new ArgumentException($"global table of k'={sampleSize} exceeds 2 GB", nameof(pair));
        }

        if (encoding != GlobalTableEncoding.Packed)
        {
            byte[] compact;
            bool coded = pair.GlobalActionCount >= 2 && pair.GlobalActionCount <= CompactGlobalLayout.MaxCodedActions;
            if (encoding == GlobalTableEncoding.CompactRuleRuns || !coded)
            {
                compact = CompactTableEncoder.Encode(actions, pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, sampleSize);
            }
            else
            {
                (byte[] ruleRuns, byte[] codedRuns) = CompactTableEncoder.EncodeBoth(actions, pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, sampleSize);
                compact = codedRuns.Length < ruleRuns.Length || encoding == GlobalTableEncoding.CompactCodedRuns ? codedRuns : ruleRuns;
            }

            if (compact.Length < packedLength || encoding != GlobalTableEncoding.Smallest)
            {
                return new EncodedGlobalTable(sampleSize, PolicyFileLayout.SectionCompactGlobalTable, compact);
            }
        }

        byte[] packed = new byte[packedLength];
        PolicyFileWriter.PackGlobalTable(actions, entries, sampleSize, pair.GlobalActionCount, bits, packed);
        return new EncodedGlobalTable(sampleSize, PolicyFileLayout.SectionGlobalTable, packed);
    }

    /// <summary>Returns the file length <c>Write</c> gives for these tables.</summary>
    /// <param name="pair">The policies (sizes only).</param>
    /// <param name="tables">The encoded tables.</param>
    /// <param name="hmac">Whether an HMAC section is added.</param>
    /// <returns>Bytes.</returns>
    public static long FileLength(PolicyPair pair, IReadOnlyList<EncodedGlobalTable> tables, bool hmac)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(tables);
        int sections = tables.Count + 1 + (hmac ? 1 : 0);
        long length = PolicyFileLayout.HeaderLength + ((long)sections * PolicyFileLayout.SectionEntryLength) + PolicyFileLayout.CrcLength;
        foreach (EncodedGlobalTable t in tables)
        {
            length += t.Body.Length;
        }

        return length + ((long)pair.GlobalStates * pair.LocalStates * pair.LocalActionCount) + (hmac ? PolicyFileLayout.HmacLength : 0);
    }

    /// <summary>Writes a version-3 file holding <paramref name="tables"/> (strictly increasing <c>k'</c>, at least one).</summary>
    /// <param name="pair">The policies (sizes and local policy).</param>
    /// <param name="metadata">Header metadata.</param>
    /// <param name="tables">The global tables to store; the header's <c>k_min</c> and <c>k</c> are the first and last <c>k'</c>.</param>
    /// <param name="hmacKey">Fleet key for the HMAC-SHA256 section; null for none.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException">An input does not fit the format.</exception>
    public static byte[] Write(PolicyPair pair, PolicyFileMetadata metadata, IReadOnlyList<EncodedGlobalTable> tables, byte[]? hmacKey = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0)
        {
            throw new ArgumentException("a policy file needs at least one global table", nameof(tables));
        }

        for (int i = 1; i < tables.Count; i++)
        {
            if (tables[i].SampleSize <= tables[i - 1].SampleSize)
            {
                throw new ArgumentException("global tables must have strictly increasing k'", nameof(tables));
            }
        }

        if (hmacKey is { Length: 0 })
        {
            throw new ArgumentException("HMAC key is empty", nameof(hmacKey));
        }

        byte[] gameName = PolicyFileWriter.EncodeText(metadata.GameName, PolicyFileLayout.GameNameLength, "game name", asciiOnly: false);
        byte[] producer = PolicyFileWriter.EncodeText(metadata.ProducerVersion, PolicyFileLayout.ProducerVersionLength, "producer version", asciiOnly: true);
        PolicyFileWriter.CheckHash(metadata.GameHash, "game hash");
        PolicyFileWriter.CheckHash(metadata.ConfigHash, "config hash");
        bool hmac = hmacKey is not null;
        long fileLength = FileLength(pair, tables, hmac);
        if (fileLength > int.MaxValue)
        {
            throw new ArgumentException($"policy file would be {fileLength} bytes, above the 2 GB limit", nameof(tables));
        }

        int sectionCount = tables.Count + 1 + (hmac ? 1 : 0);
        var file = new byte[fileLength];
        int bits = PolicyFileLayout.BitsPerEntry(pair.GlobalActionCount);
        PolicyFileWriter.WriteHeader(file, pair, metadata, gameName, producer, bits, sectionCount, hmac);
        bool codedRuns = tables.Any(t => t.Kind == PolicyFileLayout.SectionCompactGlobalTable && t.Body[CompactGlobalLayout.EncodingOffset] == CompactGlobalLayout.EncodingCodedRuns);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(PolicyFileLayout.VersionOffset), (ushort)(metadata.RobotTypes > 1 ? PolicyFileLayout.FormatVersionTyped : codedRuns ? PolicyFileLayout.FormatVersionCodedRuns : PolicyFileLayout.FormatVersionCompact));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(PolicyFileLayout.SampleSizeOffset), (ushort)tables[^1].SampleSize);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(PolicyFileLayout.MinSampleSizeOffset), (ushort)tables[0].SampleSize);

        int cursor = PolicyFileLayout.HeaderLength + (sectionCount * PolicyFileLayout.SectionEntryLength);
        for (int i = 0; i < sectionCount; i++)
        {
            int kind;
            int parameter = 0;
            int length;
            if (i < tables.Count)
            {
                kind = tables[i].Kind;
                parameter = tables[i].SampleSize;
                length = tables[i].Body.Length;
                tables[i].Body.CopyTo(file, cursor);
            }
            else if (i == tables.Count)
            {
                kind = PolicyFileLayout.SectionLocalWeights;
                length = pair.GlobalStates * pair.LocalStates * pair.LocalActionCount;
                PolicyFileWriter.WriteLocalWeights(pair, file.AsSpan(cursor, length));
            }
            else
            {
                kind = PolicyFileLayout.SectionHmac;
                length = PolicyFileLayout.HmacLength;
            }

            Span<byte> entry = file.AsSpan(PolicyFileLayout.HeaderLength + (i * PolicyFileLayout.SectionEntryLength), PolicyFileLayout.SectionEntryLength);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)kind);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], (ushort)parameter);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)cursor);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)length);
            if (kind == PolicyFileLayout.SectionHmac)
            {
                // The tag covers every byte before it, section table included (written above for this entry too).
                new HmacSha256Authenticator(hmacKey!).ComputeTag(file[..cursor]).CopyTo(file, cursor);
            }

            cursor += length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(cursor), Crc32.Compute(file, 0, cursor));
        return file;
    }

    private static int[] TableOf(PolicyPair pair, int sampleSize)
    {
        int index = sampleSize - pair.KMin;
        if (index < 0 || index >= pair.GlobalActions.Length || pair.GlobalActions[index] is null)
        {
            throw new ArgumentException($"the policy pair has no global table for k'={sampleSize}", nameof(sampleSize));
        }

        return pair.GlobalActions[index];
    }
}
