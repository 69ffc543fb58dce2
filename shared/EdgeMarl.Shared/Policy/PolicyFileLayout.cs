namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// Byte layout of a policy file (<c>.empol</c>), format version 2 (version 1 still read): the one place writer
    /// and reader take their offsets from. The normative description is <c>docs/policy-format.md</c>; all integers are little-endian.
    /// </summary>
    /// <remarks>
    /// <code>
    /// [fixed header, 152 bytes (148 in v1)][section table, 12 bytes × count][sections, contiguous][CRC-32, 4 bytes]
    /// </code>
    /// Version 2 adds the u32 policy version (anti-rollback counter) at the end of the header, inside the part
    /// the HMAC covers.
    /// Sections in v1, in this order: one global table per <c>k' = k_min … k</c>, the local weights, and the
    /// optional HMAC tag. They tile the bytes between the section table and the CRC exactly, with no gaps.
    /// </remarks>
    public static class PolicyFileLayout
    {
        /// <summary>Format version this code writes (it also reads <see cref="FormatVersion1"/>).</summary>
        public const int FormatVersion = 2;

        /// <summary>The first format version: no policy version; still read on the host, refused by the device store.</summary>
        public const int FormatVersion1 = 1;

        /// <summary>
        /// Format version of files that may hold compact global tables (section kind 4) and only some <c>k'</c>
        /// (docs/policy-format.md, "version 3 (compact global tables)"). The reader accepts this and <see cref="FormatVersion"/>.
        /// </summary>
        public const int FormatVersionCompact = 3;

        /// <summary>
        /// Format version of files whose compact tables may use encoding 2 (bit-coded runs,
        /// <see cref="CompactGlobalLayout.EncodingCodedRuns"/>); otherwise as <see cref="FormatVersionCompact"/>.
        /// </summary>
        public const int FormatVersionCodedRuns = 4;

        /// <summary>
        /// Format version of typed policies (docs/policy-format.md, "Version 5"): version 4 plus the number of robot types
        /// <c>T ≥ 1</c> in header byte <see cref="RobotTypesOffset"/>; global tables count over <c>T·|S_l|</c> (type, state) classes
        /// and the local weights hold one row per <c>(s_g, τ·|S_l| + s_l)</c>. Written only when <c>T &gt; 1</c>.
        /// </summary>
        public const int FormatVersionTyped = 5;

        /// <summary>Most robot types a version-5 file can carry (one byte).</summary>
        public const int MaxRobotTypes = 255;

        /// <summary>Magic byte 0 (<c>'E'</c>); the file starts with ASCII <c>"EMPL"</c>.</summary>
        public const byte Magic0 = 0x45;

        /// <summary>Magic byte 1 (<c>'M'</c>).</summary>
        public const byte Magic1 = 0x4D;

        /// <summary>Magic byte 2 (<c>'P'</c>).</summary>
        public const byte Magic2 = 0x50;

        /// <summary>Magic byte 3 (<c>'L'</c>).</summary>
        public const byte Magic3 = 0x4C;

        /// <summary>Offset of the magic (4 bytes).</summary>
        public const int MagicOffset = 0;

        /// <summary>Offset of the format version (u16).</summary>
        public const int VersionOffset = 4;

        /// <summary>Offset of the flags (u16); bit 0 = HMAC section present, other bits zero.</summary>
        public const int FlagsOffset = 6;

        /// <summary>Offset of the total file length in bytes, CRC included (u32).</summary>
        public const int FileLengthOffset = 8;

        /// <summary>Offset of the fixed header length (u16, = <see cref="HeaderLength"/> in v1).</summary>
        public const int HeaderLengthOffset = 12;

        /// <summary>Offset of the number of section table entries (u16).</summary>
        public const int SectionCountOffset = 14;

        /// <summary>Offset of <c>|S_g|</c> (u16).</summary>
        public const int GlobalStatesOffset = 16;

        /// <summary>Offset of <c>|A_g|</c> (u16).</summary>
        public const int GlobalActionsOffset = 18;

        /// <summary>Offset of <c>|S_l|</c> (u16).</summary>
        public const int LocalStatesOffset = 20;

        /// <summary>Offset of <c>|A_l|</c> (u16).</summary>
        public const int LocalActionsOffset = 22;

        /// <summary>Offset of the fleet size <c>n</c> (u32).</summary>
        public const int AgentCountOffset = 24;

        /// <summary>Offset of the trained sample size <c>k</c> (u16).</summary>
        public const int SampleSizeOffset = 28;

        /// <summary>Offset of <c>k_min</c> (u16).</summary>
        public const int MinSampleSizeOffset = 30;

        /// <summary>Offset of the bits per global entry <c>b = ⌈log2 |A_g|⌉</c> (u8).</summary>
        public const int BitsPerEntryOffset = 32;

        /// <summary>Offset of 3 reserved bytes, zero in versions 1–4 (version 5: byte 33 is <c>T</c>, bytes 34–35 stay zero).</summary>
        public const int ReservedOffset = 33;

        /// <summary>Offset of the number of robot types <c>T</c> (u8, version 5 only; 1 … 255).</summary>
        public const int RobotTypesOffset = 33;

        /// <summary>Offset of the SHA-256 of the game tables (32 bytes; see <c>GameHash</c>).</summary>
        public const int GameHashOffset = 36;

        /// <summary>Offset of the training configuration hash (32 bytes).</summary>
        public const int ConfigHashOffset = 68;

        /// <summary>Offset of the producer version, ASCII, NUL-padded (16 bytes).</summary>
        public const int ProducerVersionOffset = 100;

        /// <summary>Offset of the game name, UTF-8, NUL-padded (32 bytes).</summary>
        public const int GameNameOffset = 116;

        /// <summary>Length of each hash field.</summary>
        public const int HashLength = 32;

        /// <summary>Length of the producer version field.</summary>
        public const int ProducerVersionLength = 16;

        /// <summary>Length of the game name field.</summary>
        public const int GameNameLength = 32;

        /// <summary>Length of the fixed header in v2; the section table starts here.</summary>
        public const int HeaderLength = 152;

        /// <summary>Length of the fixed header in v1 (no policy version).</summary>
        public const int HeaderLengthV1 = 148;

        /// <summary>Offset of the policy version (u32, v2 only): the anti-rollback counter a device never lets go down.</summary>
        public const int PolicyVersionOffset = 148;

        /// <summary>Bytes per section table entry: kind (u16), parameter (u16), offset (u32), length (u32).</summary>
        public const int SectionEntryLength = 12;

        /// <summary>Length of the trailing CRC-32 (over every byte before it).</summary>
        public const int CrcLength = 4;

        /// <summary>Length of the HMAC-SHA256 tag.</summary>
        public const int HmacLength = 32;

        /// <summary>Flag bit: the file ends with an HMAC section (before the CRC).</summary>
        public const int FlagHmac = 1;

        /// <summary>Largest <c>|S_g|, |A_g|, |S_l|, |A_l|, k</c> the u16 fields hold.</summary>
        public const int MaxU16 = 65535;

        /// <summary>Section kind: the global table of one <c>k'</c> (parameter = <c>k'</c>).</summary>
        public const int SectionGlobalTable = 1;

        /// <summary>Section kind: the local weights (parameter 0).</summary>
        public const int SectionLocalWeights = 2;

        /// <summary>Section kind: the HMAC-SHA256 tag over every byte before it (parameter 0).</summary>
        public const int SectionHmac = 3;

        /// <summary>
        /// Section kind (version 3): the global table of one <c>k'</c> (parameter = <c>k'</c>) as a per-<c>s_g</c> linear rule
        /// plus the runs where the table differs from it, in blocks with an index (<see cref="CompactGlobalLayout"/>).
        /// </summary>
        public const int SectionCompactGlobalTable = 4;

        /// <summary>Total of the 1/256 weights in one local row.</summary>
        public const int LocalWeightTotal = 256;

        /// <summary>Returns the fixed header length of a format version (the section table's offset).</summary>
        /// <param name="formatVersion">1 or 2.</param>
        /// <returns>148 for v1, 152 for v2.</returns>
        public static int HeaderLengthOf(int formatVersion)
        {
            return formatVersion == FormatVersion1 ? HeaderLengthV1 : HeaderLength;
        }

        /// <summary>Returns <c>b = ⌈log2 |A_g|⌉</c>, the bits per global entry (0 when <c>|A_g| = 1</c>).</summary>
        /// <param name="globalActions"><c>|A_g|</c>, at least 1.</param>
        /// <returns>The bits per entry.</returns>
        public static int BitsPerEntry(int globalActions)
        {
            int bits = 0;
            while ((1 << bits) < globalActions)
            {
                bits++;
            }

            return bits;
        }

        /// <summary>Returns the byte length of one bit-packed global table: <c>⌈entries · b / 8⌉</c>, or -1 above Int32.</summary>
        /// <param name="entries">Entries <c>|S_g| · C(k'+|S_l|−1, |S_l|−1)</c>.</param>
        /// <param name="bitsPerEntry">Bits per entry <c>b</c>.</param>
        /// <returns>The table length in bytes, or -1 when it exceeds <see cref="int.MaxValue"/>.</returns>
        public static int GlobalTableLength(long entries, int bitsPerEntry)
        {
            long bytes = ((entries * bitsPerEntry) + 7) / 8;
            return bytes > int.MaxValue ? -1 : (int)bytes;
        }
    }
}
