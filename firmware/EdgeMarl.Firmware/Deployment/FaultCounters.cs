using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// Persisted counts of what went wrong, by cause, and the cause of the last reboot the firmware asked for
    /// (docs/provisioning.md "Fault counters"). Two alternating 64-byte copies with a generation and a CRC, like the
    /// provisioning record; written only when a fault is counted (never per tick), so flash wear follows the fault
    /// rate, which the <c>BootSupervisor</c>'s backoff bounds. Reported by <c>edgemarl device-info</c>. Reads the
    /// 48-byte version-1 copies (8 causes) too.
    /// </summary>
    public sealed class FaultCounters
    {
        /// <summary>Number of causes.</summary>
        public const int CauseCount = 12;

        /// <summary>Causes (never renumbered; 11 is reserved and counts nothing yet). 10: the software watchdog rebooted a hung loop.</summary>
        public const int None = 0, NoNetwork = 1, NoKey = 2, NoPolicy = 3, LoopException = 4, BadProvisioning = 5, RadioFailure = 6, StorageFailure = 7,
            FleetSizeMismatch = 8, Reprovisioned = 9, Watchdog = 10;

        /// <summary>Encoded length (format version 2).</summary>
        public const int Length = 64;

        /// <summary>Encoded length of a format-version-1 copy (8 causes), still read.</summary>
        public const int LengthV1 = 48;

        private const int FormatVersion = 2;
        private const uint Magic = 0x43464D45; // "EMFC"
        private readonly IRecordFiles _files;
        private readonly byte[] _buffer;
        private readonly uint[] _counts;
        private int _currentCopy = -1;
        private uint _generation;

        /// <summary>Initializes a new instance of the <see cref="FaultCounters"/> class and loads the newest valid copy.</summary>
        /// <param name="files">The two copies.</param>
        public FaultCounters(IRecordFiles files)
        {
            _files = files;
            _buffer = new byte[Length];
            _counts = new uint[CauseCount];
            Load();
        }

        /// <summary>Gets the cause recorded with the last requested reboot (<see cref="None"/>: power-on or an external reset).</summary>
        public int LastRebootCause { get; private set; }

        /// <summary>Returns the count of one cause.</summary>
        /// <param name="cause">A cause.</param>
        /// <returns>How often it happened since provisioning.</returns>
        public uint Count(int cause)
        {
            return cause >= 0 && cause < CauseCount ? _counts[cause] : 0;
        }

        /// <summary>Counts one fault and persists the counters (a storage failure here is swallowed: counting must never fail the device).</summary>
        /// <param name="cause">A cause.</param>
        public void Record(int cause)
        {
            if (cause > None && cause < CauseCount)
            {
                _counts[cause]++;
                Persist();
            }
        }

        /// <summary>Remembers why the firmware is about to reboot (persisted before the reboot), so the next boot can report it.</summary>
        /// <param name="cause">A cause.</param>
        public void NoteReboot(int cause)
        {
            LastRebootCause = cause;
            Persist();
        }

        /// <summary>Clears the reboot cause after it was reported at boot (so an external reset afterwards shows as <see cref="None"/>).</summary>
        /// <returns>The cause that was recorded.</returns>
        public int TakeRebootCause()
        {
            int cause = LastRebootCause;
            if (cause != None)
            {
                LastRebootCause = None;
                Persist();
                LastRebootCause = cause;
            }

            return cause;
        }

        private void Load()
        {
            uint best = 0;
            for (int copy = 0; copy < 2; copy++)
            {
                int read;
                try
                {
                    read = _files.Read(copy, _buffer, 0, Length);
                }
                catch (System.Exception)
                {
                    continue;
                }

                // Version 1 (48 B, byte 9 reserved = 0) held 8 causes; version 2 (64 B, byte 9 = 2) holds 12.
                int causes = read == Length && _buffer[9] == FormatVersion ? CauseCount : (read == LengthV1 && _buffer[9] == 0 ? 8 : 0);
                if (causes == 0 || WireBytes.ReadUInt32(_buffer, 0) != Magic || WireBytes.ReadUInt32(_buffer, read - 4) != Crc32.Compute(_buffer, 0, read - 4))
                {
                    continue;
                }

                uint generation = WireBytes.ReadUInt32(_buffer, 4);
                if (_currentCopy >= 0 && generation <= best)
                {
                    continue;
                }

                best = generation;
                _currentCopy = copy;
                LastRebootCause = _buffer[8];
                for (int i = 0; i < CauseCount; i++)
                {
                    _counts[i] = i < causes ? WireBytes.ReadUInt32(_buffer, 12 + (4 * i)) : 0;
                }
            }

            _generation = best;
        }

        private void Persist()
        {
            int copy = _currentCopy == 0 ? 1 : 0;
            for (int i = 0; i < Length; i++)
            {
                _buffer[i] = 0;
            }

            WireBytes.WriteUInt32(_buffer, 0, Magic);
            WireBytes.WriteUInt32(_buffer, 4, _generation + 1);
            _buffer[8] = (byte)LastRebootCause;
            _buffer[9] = FormatVersion;
            for (int i = 0; i < CauseCount; i++)
            {
                WireBytes.WriteUInt32(_buffer, 12 + (4 * i), _counts[i]);
            }

            WireBytes.WriteUInt32(_buffer, Length - 4, Crc32.Compute(_buffer, 0, Length - 4));
            try
            {
                _files.Write(copy, _buffer, 0, Length);
                _generation++;
                _currentCopy = copy;
            }
            catch (System.Exception)
            {
                // Counting is best effort; the device keeps running and the in-RAM counts stay reported.
            }
        }
    }
}
