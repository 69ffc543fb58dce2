using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>One section of a policy file as <c>edgemarl inspect</c> shows it.</summary>
/// <param name="Kind">"global", "local" or "hmac".</param>
/// <param name="Parameter"><c>k'</c> for a global table, else 0.</param>
/// <param name="Offset">First byte in the file.</param>
/// <param name="Length">Bytes.</param>
/// <param name="ActionHistogram">For a global table: how many entries pick each <c>a_g</c>; else null.</param>
/// <param name="Encoding">For a global table: "bit-packed" (kind 1), "compact" (kind 4 encoding 1, rule + varint exception runs) or "compact-coded" (kind 4 encoding 2, rule + bit-coded runs); else null.</param>
/// <param name="Runs">For a compact table: its exception runs; else 0.</param>
public sealed record PolicySectionReport(string Kind, int Parameter, int Offset, int Length, long[]? ActionHistogram, string? Encoding = null, int Runs = 0);

/// <summary>Everything <c>edgemarl inspect</c> prints about a validated policy file (<see cref="PolicyVersion"/>: the anti-rollback counter, 0 in v1).</summary>
public sealed record PolicyFileReport(
    int FormatVersion,
    int FileLength,
    string Crc32,
    string Hmac,
    string ProducerVersion,
    string GameName,
    string GameHash,
    string ConfigHash,
    int GlobalStates,
    int GlobalActions,
    int LocalStates,
    int LocalActions,
    int AgentCount,
    int KMin,
    int K,
    int BitsPerEntry,
    int HeaderBytes,
    int SectionTableBytes,
    int CrcBytes,
    IReadOnlyList<PolicySectionReport> Sections,
    uint PolicyVersion)
{
    /// <summary>Gets the robot types <c>T</c> of a typed (format 5) file, or null for an untyped one (left out of <c>inspect --json</c> then).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? RobotTypes { get; init; }

    /// <summary>Builds the report of an opened table (reads every global entry once for the histograms).</summary>
    /// <param name="table">The opened table.</param>
    /// <returns>The report.</returns>
    public static PolicyFileReport Create(PolicyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        byte[] header = new byte[PolicyFileLayout.HeaderLengthOf(table.FormatVersion)];
        byte[] crc = new byte[PolicyFileLayout.CrcLength];
        table.CopyBytes(0, header, 0, header.Length);
        table.CopyBytes(table.FileLength - PolicyFileLayout.CrcLength, crc, 0, crc.Length);
        var sections = new List<PolicySectionReport>();
        for (int i = 0; i < table.SectionCount; i++)
        {
            table.TryGetSection(i, out int kind, out int parameter, out int offset, out int length);
            long[]? histogram = null;
            if (kind == PolicyFileLayout.SectionGlobalTable || kind == PolicyFileLayout.SectionCompactGlobalTable)
            {
                histogram = new long[table.GlobalActions];
                int ranks = table.RankCount(parameter);
                for (int s = 0; s < table.GlobalStates; s++)
                {
                    for (int r = 0; r < ranks; r++)
                    {
                        table.TryGetGlobalActionByRank(s, parameter, r, out int a);
                        histogram[a]++;
                    }
                }
            }

            string kindName = kind switch
            {
                PolicyFileLayout.SectionGlobalTable or PolicyFileLayout.SectionCompactGlobalTable => "global",
                PolicyFileLayout.SectionLocalWeights => "local",
                PolicyFileLayout.SectionHmac => "hmac",
                _ => kind.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            string? encoding = kind switch
            {
                PolicyFileLayout.SectionGlobalTable => "bit-packed",
                PolicyFileLayout.SectionCompactGlobalTable => table.CompactEncoding(parameter) == CompactGlobalLayout.EncodingCodedRuns ? "compact-coded" : "compact",
                _ => null,
            };
            sections.Add(new PolicySectionReport(kindName, parameter, offset, length, histogram, encoding, table.CompactRunCount(kind == PolicyFileLayout.SectionCompactGlobalTable ? parameter : -1)));
        }

        return new PolicyFileReport(
            table.FormatVersion,
            table.FileLength,
            "0x" + System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(crc).ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
            !table.HasHmac ? "absent" : table.HmacVerified ? "verified" : "present, not verified (no key given)",
            Text(header, PolicyFileLayout.ProducerVersionOffset, PolicyFileLayout.ProducerVersionLength),
            Text(header, PolicyFileLayout.GameNameOffset, PolicyFileLayout.GameNameLength),
            Convert.ToHexStringLower(header, PolicyFileLayout.GameHashOffset, PolicyFileLayout.HashLength),
            Convert.ToHexStringLower(header, PolicyFileLayout.ConfigHashOffset, PolicyFileLayout.HashLength),
            table.GlobalStates,
            table.GlobalActions,
            table.LocalStates,
            table.LocalActions,
            table.AgentCount,
            table.KMin,
            table.K,
            table.BitsPerEntry,
            header.Length,
            table.SectionCount * PolicyFileLayout.SectionEntryLength,
            PolicyFileLayout.CrcLength,
            sections,
            table.PolicyVersion)
        {
            RobotTypes = table.RobotTypes > 1 ? table.RobotTypes : null,
        };
    }

    private static string Text(byte[] header, int offset, int length)
    {
        int end = Array.IndexOf(header, (byte)0, offset, length);
        return System.Text.Encoding.UTF8.GetString(header, offset, (end < 0 ? offset + length : end) - offset);
    }
}
