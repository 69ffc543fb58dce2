using System;
using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.HostAdapters
{
    /// <summary>Two record copies in RAM that survive a simulated reboot (the object outlives the nodes); copies can be lost or corrupted.</summary>
    public sealed class MemoryRecordFiles : IRecordFiles
    {
        private readonly byte[]?[] _copies = new byte[2][];

        /// <inheritdoc/>
        public int Read(int copy, byte[] buffer, int offset, int count)
        {
            byte[]? data = _copies[copy];
            if (data is null)
            {
                return 0;
            }

            int n = Math.Min(count, data.Length);
            Array.Copy(data, 0, buffer, offset, n);
            return n;
        }

        /// <inheritdoc/>
        public void Write(int copy, byte[] buffer, int offset, int count) => _copies[copy] = buffer.AsSpan(offset, count).ToArray();

        /// <summary>Deletes copy <paramref name="copy"/> (a lost file).</summary>
        /// <param name="copy">0 or 1.</param>
        public void Lose(int copy) => _copies[copy] = null;

        /// <summary>Flips one bit of copy <paramref name="copy"/> if it exists (a torn or rotten write).</summary>
        /// <param name="copy">0 or 1.</param>
        /// <param name="bit">Bit index within the copy.</param>
        public void Corrupt(int copy, int bit)
        {
            byte[]? data = _copies[copy];
            if (data is not null && data.Length > 0)
            {
                data[(bit / 8) % data.Length] ^= (byte)(1 << (bit & 7));
            }
        }
    }
}
