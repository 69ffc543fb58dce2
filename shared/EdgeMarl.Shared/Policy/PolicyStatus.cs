namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// Why a policy file was rejected (or <see cref="Ok"/>). Stored in logs and shown by tools: values are
    /// never renumbered; retired ones stay, marked deprecated. With <see cref="PolicyFileError.ByteOffset"/>
    /// (relative to the start of the file) the pair names the field.
    /// </summary>
    public enum PolicyStatus : byte
    {
        /// <summary>The file was accepted.</summary>
        Ok = 0,

        /// <summary>Fewer bytes than the fixed header and CRC need.</summary>
        Truncated = 1,

        /// <summary>The first 4 bytes are not <c>"EMPL"</c>.</summary>
        BadMagic = 2,

        /// <summary>The format version is not one this reader knows.</summary>
        UnsupportedVersion = 3,

        /// <summary>The header's file length differs from the bytes given (truncated or extended file).</summary>
        LengthMismatch = 4,

        /// <summary>The CRC-32 over the file does not match the trailer.</summary>
        CrcMismatch = 5,

        /// <summary>The header length field is not the one of this version.</summary>
        BadHeaderLength = 6,

        /// <summary>Unknown flag bits are set.</summary>
        BadFlags = 7,

        /// <summary>A size (<c>|S_g|, |A_g|, |S_l|, |A_l|, n</c>) is out of range.</summary>
        BadSize = 8,

        /// <summary><c>k_min</c> or <c>k</c> is out of range (needs <c>0 ≤ k_min ≤ k</c>).</summary>
        BadSampleSize = 9,

        /// <summary>The bits per global entry differ from <c>⌈log2 |A_g|⌉</c>.</summary>
        BadBitsPerEntry = 10,

        /// <summary>A reserved byte is not zero.</summary>
        BadReserved = 11,

        /// <summary>A text field has a non-NUL byte after its NUL padding, or a byte outside its character set.</summary>
        BadText = 12,

        /// <summary>The section count differs from the one the sizes and flags imply.</summary>
        BadSectionCount = 13,

        /// <summary>A section has the wrong kind or parameter for its position.</summary>
        BadSectionKind = 14,

        /// <summary>A section does not start where the previous one ended.</summary>
        BadSectionOffset = 15,

        /// <summary>A section's length differs from the one the sizes imply.</summary>
        BadSectionLength = 16,

        /// <summary>A global table entry is <c>≥ |A_g|</c>.</summary>
        BadGlobalEntry = 17,

        /// <summary>The padding bits after a global table's last entry are not zero.</summary>
        BadPadding = 18,

        /// <summary>A local row does not sum to 256 (or is not the single-255 form of a deterministic row).</summary>
        BadLocalRow = 19,

        /// <summary>The tables are too large for this reader (a count exceeds Int32).</summary>
        TooLarge = 20,

        /// <summary>An authenticator was given but the file has no HMAC section.</summary>
        HmacMissing = 21,

        /// <summary>The HMAC tag does not match the fleet key.</summary>
        HmacMismatch = 22,

        /// <summary>The source returned fewer bytes than asked for.</summary>
        ReadFailed = 23,

        /// <summary>The buffer, offset or length arguments are invalid.</summary>
        BadArgument = 24,

        /// <summary>
        /// A compact global table section (kind 4, docs/policy-format.md "Compact global tables") is malformed: a
        /// field, block index entry or run that would make a lookup leave its table. (Value 40 leaves 25–39 free for
        /// codes other branches add concurrently; the lead renumbers at merge if needed, before any release.)
        /// </summary>
        BadCompactTable = 40,
    }
}
