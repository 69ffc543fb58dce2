using System.Buffers.Binary;
using System.Globalization;
using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>
/// Host side of the reader's errors: opens a file or turns a <see cref="PolicyFileError"/> (status + byte offset,
/// what the device reports) into one line naming the field and the byte offset.
/// </summary>
public static class PolicyFileMessages
{
    /// <summary>Reads and opens a policy file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="hmacKey">Fleet key to verify the HMAC with; null to skip verification.</param>
    /// <returns>The opened table.</returns>
    /// <exception cref="InvalidDataException">The file was rejected; the message names the file, field and byte offset.</exception>
    public static PolicyTable Open(string path, byte[]? hmacKey)
    {
        try
        {
            return OpenBytes(File.ReadAllBytes(path), hmacKey);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Opens a policy file held in memory.</summary>
    /// <param name="bytes">The file; must stay unchanged while the table is used.</param>
    /// <param name="hmacKey">Fleet key to verify the HMAC with; null to skip verification.</param>
    /// <returns>The opened table.</returns>
    /// <exception cref="InvalidDataException">The file was rejected; the message names the field and byte offset.</exception>
    public static PolicyTable OpenBytes(byte[] bytes, byte[]? hmacKey)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        IMessageAuthenticator? authenticator = hmacKey is null ? null : new HmacSha256Authenticator(hmacKey);
        return PolicyTable.TryOpen(bytes, 0, bytes.Length, authenticator, out PolicyTable table, out PolicyFileError error)
            ? table
            : throw new InvalidDataException(Describe(error) + Detail(bytes, error));
    }

    // The device reports only status and offset; with the bytes at hand the host can add the values.
    private static string Detail(byte[] bytes, PolicyFileError error)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        if (error.Status == PolicyStatus.LengthMismatch && error.ByteOffset == PolicyFileLayout.FileLengthOffset && bytes.Length >= PolicyFileLayout.FileLengthOffset + 4)
        {
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(PolicyFileLayout.FileLengthOffset));
            return string.Create(c, $" (header says {declared} bytes, file has {bytes.Length})");
        }

        if (error.Status == PolicyStatus.CrcMismatch)
        {
            int at = bytes.Length - PolicyFileLayout.CrcLength;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            return string.Create(c, $" (stored 0x{stored:x8}, computed 0x{Crc32.Compute(bytes, 0, at):x8})");
        }

        return string.Empty;
    }

    /// <summary>Returns one line describing <paramref name="error"/>, e.g. <c>byte 18 (header |A_g|): size out of range</c>.</summary>
    /// <param name="error">The reader's error.</param>
    /// <returns>The message.</returns>
    public static string Describe(PolicyFileError error)
    {
        string what = error.Status switch
        {
            PolicyStatus.Ok => "ok",
            PolicyStatus.Truncated => "file is truncated (shorter than the header and CRC need)",
            PolicyStatus.BadMagic => "not a policy file (magic is not \"EMPL\")",
            PolicyStatus.UnsupportedVersion => $"format version not supported (this reader knows versions {PolicyFileLayout.FormatVersion1}, {PolicyFileLayout.FormatVersion}, {PolicyFileLayout.FormatVersionCompact}, {PolicyFileLayout.FormatVersionCodedRuns} and {PolicyFileLayout.FormatVersionTyped})",
            PolicyStatus.LengthMismatch => "file length does not match the header (truncated or extended file)",
            PolicyStatus.CrcMismatch => "CRC-32 mismatch (file corrupted)",
            PolicyStatus.BadHeaderLength => $"header length is not the format version's ({PolicyFileLayout.HeaderLengthV1} in v1, {PolicyFileLayout.HeaderLength} in v2 to v5)",
            PolicyStatus.BadFlags => "unknown flag bits set",
            PolicyStatus.BadSize => "size out of range",
            PolicyStatus.BadSampleSize => "k_min or k out of range (need 0 <= k_min <= k)",
            PolicyStatus.BadBitsPerEntry => "bits per global entry is not ceil(log2 |A_g|)",
            PolicyStatus.BadReserved => "reserved byte is not zero",
            PolicyStatus.BadText => "text field has a byte outside its character set or after its NUL padding",
            PolicyStatus.BadSectionCount => "section count does not match the sizes and flags",
            PolicyStatus.BadSectionKind => "section kind or parameter out of order",
            PolicyStatus.BadSectionOffset => "section does not start where the previous one ended",
            PolicyStatus.BadSectionLength => "section length does not match the sizes",
            PolicyStatus.BadGlobalEntry => "global table entry is not an action (>= |A_g|)",
            PolicyStatus.BadPadding => "padding bits after the last global entry are not zero",
            PolicyStatus.BadLocalRow => "local policy row does not sum to 256",
            PolicyStatus.TooLarge => "tables too large for this reader",
            PolicyStatus.HmacMissing => "a key was given but the file has no HMAC section",
            PolicyStatus.HmacMismatch => "HMAC-SHA256 does not match the key (wrong key or tampered file)",
            PolicyStatus.ReadFailed => "read failed",
            PolicyStatus.BadArgument => "invalid buffer, offset or length",
            PolicyStatus.BadCompactTable => "compact global table is malformed (header, block index, run code or run out of range)",
            _ => $"status {(int)error.Status}",
        };
        if (error.ByteOffset < 0)
        {
            return what;
        }

        int entry = (error.ByteOffset - PolicyFileLayout.HeaderLength) / PolicyFileLayout.SectionEntryLength;
        int part = (error.ByteOffset - PolicyFileLayout.HeaderLength) % PolicyFileLayout.SectionEntryLength;
        string field = error.Status switch
        {
            PolicyStatus.BadSectionKind or PolicyStatus.BadSectionOffset or PolicyStatus.BadSectionLength when error.ByteOffset >= PolicyFileLayout.HeaderLength =>
                $"section table entry {entry} {(part < 2 ? "kind" : part < 4 ? "parameter" : part < 8 ? "offset" : "length")}",
            PolicyStatus.Truncated => "end of data",
            PolicyStatus.CrcMismatch => "CRC-32 trailer",
            PolicyStatus.BadGlobalEntry or PolicyStatus.BadPadding or PolicyStatus.BadCompactTable => "global table",
            PolicyStatus.BadLocalRow => "local weights row",
            PolicyStatus.HmacMismatch => "HMAC section",
            _ => FieldAt(error.ByteOffset),
        };
        return $"byte {error.ByteOffset} ({field}): {what}";
    }

    /// <summary>Names the header field at a byte offset.</summary>
    /// <param name="offset">Byte offset from the start of the file.</param>
    /// <returns>A short name, e.g. <c>header |S_l|</c>.</returns>
    public static string FieldAt(int offset)
    {
        (int Start, int Length, string Name)[] fields =
        [
            (PolicyFileLayout.MagicOffset, 4, "header magic"),
            (PolicyFileLayout.VersionOffset, 2, "header format version"),
            (PolicyFileLayout.FlagsOffset, 2, "header flags"),
            (PolicyFileLayout.FileLengthOffset, 4, "header file length"),
            (PolicyFileLayout.HeaderLengthOffset, 2, "header length"),
            (PolicyFileLayout.SectionCountOffset, 2, "header section count"),
            (PolicyFileLayout.GlobalStatesOffset, 2, "header |S_g|"),
            (PolicyFileLayout.GlobalActionsOffset, 2, "header |A_g|"),
            (PolicyFileLayout.LocalStatesOffset, 2, "header |S_l|"),
            (PolicyFileLayout.LocalActionsOffset, 2, "header |A_l|"),
            (PolicyFileLayout.AgentCountOffset, 4, "header n"),
            (PolicyFileLayout.SampleSizeOffset, 2, "header k"),
            (PolicyFileLayout.MinSampleSizeOffset, 2, "header k_min"),
            (PolicyFileLayout.BitsPerEntryOffset, 1, "header bits per entry"),
            (PolicyFileLayout.RobotTypesOffset, 1, "header robot types T (version 5; reserved before)"),
            (PolicyFileLayout.ReservedOffset + 1, 2, "header reserved"),
            (PolicyFileLayout.GameHashOffset, PolicyFileLayout.HashLength, "header game hash"),
            (PolicyFileLayout.ConfigHashOffset, PolicyFileLayout.HashLength, "header config hash"),
            (PolicyFileLayout.ProducerVersionOffset, PolicyFileLayout.ProducerVersionLength, "header producer version"),
            (PolicyFileLayout.GameNameOffset, PolicyFileLayout.GameNameLength, "header game name"),
            (PolicyFileLayout.PolicyVersionOffset, 4, "header policy version"),
        ];
        foreach ((int start, int length, string name) in fields)
        {
            if (offset >= start && offset < start + length)
            {
                return name;
            }
        }

        return offset < PolicyFileLayout.HeaderLength ? "header" : "section table or data";
    }
}
