using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// A monotonic u32 on flash (the gateway's epoch, a robot's boot counter), power-cut safe and robust to losing one
    /// file: two copies, each 12 bytes (magic "EMCT", value u32, CRC-32 of the first 8 bytes). <see cref="Boot"/> takes the
    /// highest valid copy; <see cref="Persist"/> writes copy 0, then copy 1, each made durable before the next.
    /// </summary>
    /// <remarks>
    /// A cut while writing copy 0 leaves copy 1 with the old value (copy 0 fails its CRC); a cut while writing copy 1
    /// leaves copy 0 with the new one. Either way the next boot reads a value at least the last one in use, provided the
    /// caller persists a value before it uses it (docs/protocol.md §6). Losing one file costs nothing; losing both is
    /// reported (<see cref="ValidCopies"/> = 0) so the caller can treat its value as unconfirmed.
    /// </remarks>
    public sealed class PersistentCounter
    {
        /// <summary>Bytes of one copy.</summary>
        public const int RecordBytes = 12;

        private const uint Magic = 0x54434D45; // "EMCT"

        private readonly IRecordFiles _files;
        private readonly byte[] _buffer = new byte[RecordBytes];

        /// <summary>Initializes a new instance of the <see cref="PersistentCounter"/> class; call <see cref="Boot"/> next.</summary>
        /// <param name="files">The two copies.</param>
        public PersistentCounter(IRecordFiles files)
        {
            if (files == null)
            {
                throw new System.ArgumentNullException(nameof(files));
            }

            _files = files;
        }

        /// <summary>Gets the number of valid copies found by the last <see cref="Boot"/> (0, 1 or 2).</summary>
        public int ValidCopies { get; private set; }

        /// <summary>Gets the number of writes that failed (flash errors); the value in RAM is used anyway.</summary>
        public int WriteFailures { get; private set; }

        /// <summary>Reads both copies.</summary>
        /// <returns>The highest valid value, 0 when neither copy is valid.</returns>
        public uint Boot()
        {
            ValidCopies = 0;
            uint highest = 0;
            for (int copy = 0; copy < 2; copy++)
            {
                int read;
                try
                {
                    read = _files.Read(copy, _buffer, 0, RecordBytes);
                }
                catch (System.Exception)
                {
                    continue;
                }

                if (read != RecordBytes || WireBytes.ReadUInt32(_buffer, 0) != Magic || Crc32.Compute(_buffer, 0, 8) != WireBytes.ReadUInt32(_buffer, 8))
                {
                    continue;
                }

                ValidCopies++;
                uint value = WireBytes.ReadUInt32(_buffer, 4);
                if (value > highest)
                {
                    highest = value;
                }
            }

            return highest;
        }

        /// <summary>Writes <paramref name="value"/> to both copies, one after the other.</summary>
        /// <param name="value">The new value.</param>
        /// <returns>True when both copies were written.</returns>
        public bool Persist(uint value)
        {
            WireBytes.WriteUInt32(_buffer, 0, Magic);
            WireBytes.WriteUInt32(_buffer, 4, value);
            WireBytes.WriteUInt32(_buffer, 8, Crc32.Compute(_buffer, 0, 8));
            bool ok = true;
            for (int copy = 0; copy < 2; copy++)
            {
                try
                {
                    _files.Write(copy, _buffer, 0, RecordBytes);
                }
                catch (System.Exception)
                {
                    ok = false;
                }
            }

            if (!ok)
            {
                WriteFailures++;
            }

            return ok;
        }

        /// <summary>Boots, then persists and returns the highest value + 1 (a boot counter, or the next epoch).</summary>
        /// <returns>A value above every value persisted before (unless both copies were lost).</returns>
        public uint TakeNext()
        {
            uint next = Boot() + 1;
            if (next == 0)
            {
                next = 1;
            }

            Persist(next);
            return next;
        }
    }
}
