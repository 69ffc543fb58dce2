namespace EdgeMarl.Shared.Protocol
{
    /// <summary>
    /// Little-endian reads and writes by shifts: explicit byte order, no allocation, and no BinaryPrimitives
    /// (absent on nanoFramework). Callers check ranges.
    /// </summary>
    public static class WireBytes
    {
        /// <summary>Writes <paramref name="value"/> as 2 little-endian bytes.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte written.</param>
        /// <param name="value">Value.</param>
        public static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>Writes <paramref name="value"/> as 4 little-endian bytes.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte written.</param>
        /// <param name="value">Value.</param>
        public static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        /// <summary>Reads 2 little-endian bytes.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte read.</param>
        /// <returns>The value in <c>[0, 65535]</c>.</returns>
        public static int ReadUInt16(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8);
        }

        /// <summary>Reads 4 little-endian bytes.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte read.</param>
        /// <returns>The value.</returns>
        public static uint ReadUInt32(byte[] buffer, int offset)
        {
            return (uint)buffer[offset] | ((uint)buffer[offset + 1] << 8) | ((uint)buffer[offset + 2] << 16) | ((uint)buffer[offset + 3] << 24);
        }

        /// <summary>Writes <paramref name="value"/> as 8 little-endian bytes.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte written.</param>
        /// <param name="value">Value.</param>
        public static void WriteUInt64(byte[] buffer, int offset, ulong value)
        {
            WriteUInt32(buffer, offset, (uint)value);
            WriteUInt32(buffer, offset + 4, (uint)(value >> 32));
        }

        /// <summary>Reads 8 little-endian bytes.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte read.</param>
        /// <returns>The value.</returns>
        public static ulong ReadUInt64(byte[] buffer, int offset)
        {
            return ReadUInt32(buffer, offset) | ((ulong)ReadUInt32(buffer, offset + 4) << 32);
        }
    }
}
