using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// The small record that says which slot holds the policy in force, written last when switching. 28 bytes:
    /// <code>
    /// 0 "EMAR" | 4 generation u32 | 8 slot u8 | 9 reserved (3 × 0) | 12 image length u32 | 16 image CRC u32
    /// | 20 policy version u32 | 24 CRC-32 of [0, 24)
    /// </code>
    /// The policy version is the anti-rollback counter: the highest one over the valid records is the floor a
    /// new policy must exceed (docs/policy-store.md). The 24-byte records of store v1 no longer validate: a device
    /// updated from that firmware starts with no policy and takes a version-2 file (its v1 slots are refused anyway).
    /// The image length and CRC bind the record to the bytes of its slot: a slot rewritten later (by the next
    /// upload) no longer matches an old record, so a stale record can never select a half-written image.
    /// </summary>
    public static class ActiveRecord
    {
        /// <summary>Record length in bytes.</summary>
        public const int Length = 28;

        private const int CrcOffset = 24;

        /// <summary>Writes a record into <c>buffer[0 .. 24)</c>.</summary>
        /// <param name="buffer">Caller-owned, at least 24 bytes.</param>
        /// <param name="generation">Commit counter; the highest valid one wins at boot.</param>
        /// <param name="slot"><see cref="StoreFiles.SlotA"/> or <see cref="StoreFiles.SlotB"/>.</param>
        /// <param name="imageLength">Length of the slot's image.</param>
        /// <param name="imageCrc">Image CRC of the slot (PolicyIdentity).</param>
        /// <param name="policyVersion">The slot's policy version (header field of a v2 file).</param>
        public static void Encode(byte[] buffer, uint generation, int slot, int imageLength, uint imageCrc, uint policyVersion)
        {
            buffer[0] = (byte)'E';
            buffer[1] = (byte)'M';
            buffer[2] = (byte)'A';
            buffer[3] = (byte)'R';
            WireBytes.WriteUInt32(buffer, 4, generation);
            buffer[8] = (byte)slot;
            buffer[9] = 0;
            buffer[10] = 0;
            buffer[11] = 0;
            WireBytes.WriteUInt32(buffer, 12, (uint)imageLength);
            WireBytes.WriteUInt32(buffer, 16, imageCrc);
            WireBytes.WriteUInt32(buffer, 20, policyVersion);
            WireBytes.WriteUInt32(buffer, CrcOffset, Crc32.Compute(buffer, 0, CrcOffset));
        }

        /// <summary>Returns whether <c>buffer[0 .. length)</c> is a whole, intact record.</summary>
        /// <param name="buffer">Bytes read from a record file.</param>
        /// <param name="length">How many were read.</param>
        /// <returns>True when magic, reserved bytes, slot and CRC are right.</returns>
        public static bool IsValid(byte[] buffer, int length)
        {
            return length == Length
                && buffer[0] == (byte)'E' && buffer[1] == (byte)'M' && buffer[2] == (byte)'A' && buffer[3] == (byte)'R'
                && buffer[8] <= 1 && buffer[9] == 0 && buffer[10] == 0 && buffer[11] == 0
                && WireBytes.ReadUInt32(buffer, CrcOffset) == Crc32.Compute(buffer, 0, CrcOffset);
        }

        /// <summary>Reads the policy version of a valid record.</summary>
        /// <param name="buffer">A valid record.</param>
        /// <returns>The policy version of the record's slot.</returns>
        public static uint PolicyVersion(byte[] buffer)
        {
            return WireBytes.ReadUInt32(buffer, 20);
        }

        /// <summary>Reads the generation of a valid record.</summary>
        /// <param name="buffer">A valid record.</param>
        /// <returns>The generation.</returns>
        public static uint Generation(byte[] buffer)
        {
            return WireBytes.ReadUInt32(buffer, 4);
        }

        /// <summary>Reads the slot of a valid record.</summary>
        /// <param name="buffer">A valid record.</param>
        /// <returns>The slot file id.</returns>
        public static int Slot(byte[] buffer)
        {
            return buffer[8];
        }

        /// <summary>Reads the image length of a valid record.</summary>
        /// <param name="buffer">A valid record.</param>
        /// <returns>The image length.</returns>
        public static int ImageLength(byte[] buffer)
        {
            uint length = WireBytes.ReadUInt32(buffer, 12);
            return length > int.MaxValue ? -1 : (int)length;
        }

        /// <summary>Reads the image CRC of a valid record.</summary>
        /// <param name="buffer">A valid record.</param>
        /// <returns>The image CRC.</returns>
        public static uint ImageCrc(byte[] buffer)
        {
            return WireBytes.ReadUInt32(buffer, 16);
        }
    }
}
