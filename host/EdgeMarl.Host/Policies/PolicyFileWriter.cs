using System.Buffers.Binary;
using System.Text;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>
/// Writes a <see cref="PolicyPair"/> as a policy file (format version 2, docs/policy-format.md) that
/// <see cref="PolicyTable"/> reads in place. The bytes depend only on the inputs: no timestamps, no
/// platform-dependent encodings, so the same training gives the same file.
/// </summary>
public static class PolicyFileWriter
{
    /// <summary>Encodes a policy pair.</summary>
    /// <param name="pair">The policies; global entries in <c>[0, |A_g|)</c>, local rows distributions.</param>
    /// <param name="metadata">Header metadata.</param>
    /// <param name="hmacKey">Fleet key for the optional HMAC-SHA256 section; null for none.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException">An input does not fit the format; the message names it.</exception>
    public static byte[] Write(PolicyPair pair, PolicyFileMetadata metadata, byte[]? hmacKey = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(metadata);
        CheckSizes(pair);
        byte[] gameName = EncodeText(metadata.GameName, PolicyFileLayout.GameNameLength, "game name", asciiOnly: false);
        byte[] producer = EncodeText(metadata.ProducerVersion, PolicyFileLayout.ProducerVersionLength, "producer version", asciiOnly: true);
        CheckHash(metadata.GameHash, "game hash");
        CheckHash(metadata.ConfigHash, "config hash");
        if (metadata.AgentCount < 1)
        {
            throw new ArgumentException($"fleet size n = {metadata.AgentCount} must be at least 1", nameof(metadata));
        }

        if (hmacKey is { Length: 0 })
        {
            throw new ArgumentException("HMAC key is empty", nameof(hmacKey));
        }

        int bits = PolicyFileLayout.BitsPerEntry(pair.GlobalActionCount);
        int tables = pair.K - pair.KMin + 1;
        var ranker = new CountRanker(pair.LocalStates, pair.K);
        bool hmac = hmacKey is not null;
        int sectionCount = tables + 1 + (hmac ? 1 : 0);
        var sectionLength = new long[sectionCount];
        for (int i = 0; i < tables; i++)
        {
            sectionLength[i] = PolicyFileLayout.GlobalTableLength((long)pair.GlobalStates * ranker.Count(pair.KMin + i), bits);
            if (sectionLength[i] < 0)
            {
                throw new ArgumentException($"global table of k'={pair.KMin + i} exceeds 2 GB", nameof(pair));
            }
        }

        sectionLength[tables] = (long)pair.GlobalStates * pair.LocalStates * pair.LocalActionCount;
        if (hmac)
        {
            sectionLength[tables + 1] = PolicyFileLayout.HmacLength;
        }

        long dataStart = PolicyFileLayout.HeaderLength + ((long)sectionCount * PolicyFileLayout.SectionEntryLength);
        long fileLength = dataStart + sectionLength.Sum() + PolicyFileLayout.CrcLength;
        if (fileLength > int.MaxValue)
        {
            throw new ArgumentException($"policy file would be {fileLength} bytes, above the 2 GB limit", nameof(pair));
        }

        var file = new byte[fileLength];
        WriteHeader(file, pair, metadata, gameName, producer, bits, sectionCount, hmac);

        int cursor = (int)dataStart;
        for (int i = 0; i < sectionCount; i++)
        {
            Span<byte> entry = file.AsSpan(PolicyFileLayout.HeaderLength + (i * PolicyFileLayout.SectionEntryLength), PolicyFileLayout.SectionEntryLength);
            int kind = i < tables ? PolicyFileLayout.SectionGlobalTable : i == tables ? PolicyFileLayout.SectionLocalWeights : PolicyFileLayout.SectionHmac;
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)kind);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], (ushort)(i < tables ? pair.KMin + i : 0));
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)cursor);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)sectionLength[i]);
            Span<byte> body = file.AsSpan(cursor, (int)sectionLength[i]);
            if (i < tables)
            {
                PackGlobalTable(pair.GlobalActions[i], (long)pair.GlobalStates * ranker.Count(pair.KMin + i), pair.KMin + i, pair.GlobalActionCount, bits, body);
            }
            else if (i == tables)
            {
                WriteLocalWeights(pair, body);
            }
            else
            {
                byte[] tag = new HmacSha256Authenticator(hmacKey!).ComputeTag(file[..cursor]);
                tag.CopyTo(body);
            }

            cursor += (int)sectionLength[i];
        }

        uint crc = Crc32.Compute(file, 0, cursor);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(cursor), crc);
        return file;
    }

    /// <summary>Returns the file length <see cref="Write"/> would produce, from the sizes alone (no tables needed).</summary>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <param name="globalActions"><c>|A_g|</c>.</param>
    /// <param name="localStates"><c>|S_l|</c>.</param>
    /// <param name="localActions"><c>|A_l|</c>.</param>
    /// <param name="kMin"><c>k_min</c>.</param>
    /// <param name="k"><c>k</c>.</param>
    /// <param name="hmac">Whether the HMAC section is present.</param>
    /// <returns>The length in bytes (may exceed Int32 for sizes the format refuses).</returns>
    public static long FileLength(int globalStates, int globalActions, int localStates, int localActions, int kMin, int k, bool hmac)
    {
        int bits = PolicyFileLayout.BitsPerEntry(globalActions);
        int sections = k - kMin + 1 + 1 + (hmac ? 1 : 0);
        long length = PolicyFileLayout.HeaderLength + ((long)sections * PolicyFileLayout.SectionEntryLength) + PolicyFileLayout.CrcLength;
        for (int kPrime = kMin; kPrime <= k; kPrime++)
        {
            length += ((globalStates * CountVectors(kPrime, localStates) * bits) + 7) / 8;
        }

        return length + ((long)globalStates * localStates * localActions) + (hmac ? PolicyFileLayout.HmacLength : 0);
    }

    /// <summary>Returns <c>C(k'+L−1, L−1)</c> as a long (for size reports beyond Int32).</summary>
    /// <param name="sampleSize"><c>k'</c>.</param>
    /// <param name="localStates"><c>L = |S_l|</c>.</param>
    /// <returns>The number of count vectors.</returns>
    public static long CountVectors(int sampleSize, int localStates)
    {
        long c = 1;
        int m = localStates - 1;
        for (int i = 1; i <= m; i++)
        {
            c = c * (sampleSize + i) / i;
        }

        return c;
    }

    private static void CheckSizes(PolicyPair pair)
    {
        CheckU16(pair.GlobalStates, 1, "|S_g|");
        CheckU16(pair.GlobalActionCount, 1, "|A_g|");
        CheckU16(pair.LocalStates, 1, "|S_l|");
        CheckU16(pair.LocalActionCount, 1, "|A_l|");
        CheckU16(pair.K, 0, "k");
        if (pair.KMin < 0 || pair.KMin > pair.K)
        {
            throw new ArgumentException($"k_min = {pair.KMin} must be in [0, k = {pair.K}]", nameof(pair));
        }

        if (pair.GlobalActions is null || pair.GlobalActions.Length != pair.K - pair.KMin + 1)
        {
            throw new ArgumentException($"global policy needs {pair.K - pair.KMin + 1} tables (k' = {pair.KMin}..{pair.K})", nameof(pair));
        }

        long localLength = (long)pair.GlobalStates * pair.LocalStates * pair.LocalActionCount;
        if (pair.LocalPolicy is null || pair.LocalPolicy.Length != localLength)
        {
            throw new ArgumentException($"local policy needs {localLength} entries [s_g, s_l, a_l], has {pair.LocalPolicy?.Length ?? 0}", nameof(pair));
        }
    }

    private static void CheckU16(int value, int min, string name)
    {
        if (value < min || value > PolicyFileLayout.MaxU16)
        {
            throw new ArgumentException($"{name} = {value} must be in [{min}, {PolicyFileLayout.MaxU16}]", nameof(value));
        }
    }

    internal static void CheckHash(byte[] hash, string name)
    {
        if (hash is null || hash.Length != PolicyFileLayout.HashLength)
        {
            throw new ArgumentException($"{name} must be {PolicyFileLayout.HashLength} bytes", nameof(hash));
        }
    }

    internal static byte[] EncodeText(string text, int fieldLength, string name, bool asciiOnly)
    {
        ArgumentNullException.ThrowIfNull(text, name);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > fieldLength)
        {
            throw new ArgumentException($"{name} \"{text}\" is {bytes.Length} bytes in UTF-8; the field holds {fieldLength}", nameof(text));
        }

        foreach (byte b in bytes)
        {
            if (b == 0 || (asciiOnly && (b < 0x20 || b > 0x7E)))
            {
                throw new ArgumentException($"{name} \"{text}\" has a character the field does not allow (NUL{(asciiOnly ? " or non-printable ASCII" : string.Empty)})", nameof(text));
            }
        }

        return bytes;
    }

    internal static void WriteHeader(byte[] file, PolicyPair pair, PolicyFileMetadata metadata, byte[] gameName, byte[] producer, int bits, int sectionCount, bool hmac)
    {
        Span<byte> h = file;
        h[0] = PolicyFileLayout.Magic0;
        h[1] = PolicyFileLayout.Magic1;
        h[2] = PolicyFileLayout.Magic2;
        h[3] = PolicyFileLayout.Magic3;
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.VersionOffset..], PolicyFileLayout.FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.FlagsOffset..], (ushort)(hmac ? PolicyFileLayout.FlagHmac : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(h[PolicyFileLayout.FileLengthOffset..], (uint)file.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.HeaderLengthOffset..], PolicyFileLayout.HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.SectionCountOffset..], (ushort)sectionCount);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.GlobalStatesOffset..], (ushort)pair.GlobalStates);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.GlobalActionsOffset..], (ushort)pair.GlobalActionCount);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.LocalStatesOffset..], (ushort)pair.LocalStates);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.LocalActionsOffset..], (ushort)pair.LocalActionCount);
        BinaryPrimitives.WriteUInt32LittleEndian(h[PolicyFileLayout.AgentCountOffset..], (uint)metadata.AgentCount);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.SampleSizeOffset..], (ushort)pair.K);
        BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.MinSampleSizeOffset..], (ushort)pair.KMin);
        h[PolicyFileLayout.BitsPerEntryOffset] = (byte)bits;
        metadata.GameHash.CopyTo(h[PolicyFileLayout.GameHashOffset..]);
        metadata.ConfigHash.CopyTo(h[PolicyFileLayout.ConfigHashOffset..]);
        producer.CopyTo(h[PolicyFileLayout.ProducerVersionOffset..]);
        gameName.CopyTo(h[PolicyFileLayout.GameNameOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[PolicyFileLayout.PolicyVersionOffset..], metadata.PolicyVersion);
        if (metadata.RobotTypes != 1)
        {
            // Version 5: the pair's local states are the T·|S_l| classes; the header keeps |S_l| and says T.
            int t = metadata.RobotTypes;
            if (t < 1 || t > PolicyFileLayout.MaxRobotTypes || pair.LocalStates % t != 0)
            {
                throw new ArgumentException($"robot types T = {t}: need 1 ≤ T ≤ {PolicyFileLayout.MaxRobotTypes} dividing the pair's T·|S_l| = {pair.LocalStates}", nameof(metadata));
            }

            BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.VersionOffset..], PolicyFileLayout.FormatVersionTyped);
            BinaryPrimitives.WriteUInt16LittleEndian(h[PolicyFileLayout.LocalStatesOffset..], (ushort)(pair.LocalStates / t));
            h[PolicyFileLayout.RobotTypesOffset] = (byte)t;
        }
    }

    // Entry e occupies bits [e·b, (e+1)·b) of the table's bit stream, least significant bit first.
    internal static void PackGlobalTable(int[] actions, long entries, int sampleSize, int globalActionCount, int bits, Span<byte> body)
    {
        if (actions is null || actions.Length != entries)
        {
            throw new ArgumentException($"global table of k'={sampleSize} has {actions?.Length ?? 0} entries, needs |S_g| · C(k'+|S_l|−1, |S_l|−1) = {entries}", nameof(actions));
        }

        long bit = 0;
        for (int e = 0; e < actions.Length; e++)
        {
            int a = actions[e];
            if (a < 0 || a >= globalActionCount)
            {
                throw new ArgumentException($"global table of k'={sampleSize}, entry {e}: action {a} is outside [0, |A_g| = {globalActionCount})", nameof(actions));
            }

            for (int i = 0; i < bits; i++, bit++)
            {
                if (((a >> i) & 1) != 0)
                {
                    body[(int)(bit >> 3)] |= (byte)(1 << (int)(bit & 7));
                }
            }
        }
    }

    internal static void WriteLocalWeights(PolicyPair pair, Span<byte> body)
    {
        int actions = pair.LocalActionCount;
        var weights = new int[actions];
        for (int row = 0; row < pair.GlobalStates * pair.LocalStates; row++)
        {
            try
            {
                LocalPolicyQuantizer.QuantizeRow(pair.LocalPolicy.AsSpan(row * actions, actions), weights);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"local policy row s_g={row / pair.LocalStates}, s_l={row % pair.LocalStates}: {e.Message}", nameof(pair), e);
            }

            for (int a = 0; a < actions; a++)
            {
                // 256 does not fit a byte: a deterministic row is stored as a single 255 (docs/policy-format.md).
                body[(row * actions) + a] = (byte)Math.Min(weights[a], 255);
            }
        }
    }
}
