using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Integrity;

namespace EdgeMarl.Shared.Policy
{
    /// <summary>Opening and validation: everything a lookup relies on is checked here, once.</summary>
    public sealed partial class PolicyTable
    {
        /// <summary>
        /// Largest rank table (<c>(k + |S_l|) · |S_l|</c> Int32 entries, 4 MB) this reader builds; larger
        /// <c>k</c> or <c>|S_l|</c> are refused with <see cref="PolicyStatus.TooLarge"/> rather than risking
        /// an out-of-memory on the device.
        /// </summary>
        public const int MaxRankTableEntries = 1 << 20;

        // Bytes hashed per CRC step in slice mode (a transient buffer of open, not kept).
        private const int CrcChunkLength = 256;

        /// <summary>Validates a policy file held in memory, without HMAC verification, and opens it for lookups.</summary>
        /// <param name="buffer">The bytes; owned by the caller, must stay unchanged while the table is used.</param>
        /// <param name="offset">First byte of the file in <paramref name="buffer"/>.</param>
        /// <param name="length">Length of the file in bytes.</param>
        /// <param name="table">The opened table, or null.</param>
        /// <param name="error">Why the file was rejected (status and byte offset), or <see cref="PolicyStatus.Ok"/>.</param>
        /// <returns>True when the file was accepted.</returns>
        public static bool TryOpen(byte[] buffer, int offset, int length, out PolicyTable table, out PolicyFileError error)
        {
            return TryOpen(buffer, offset, length, null, out table, out error);
        }

        /// <summary>Validates a policy file held in memory and opens it for lookups.</summary>
        /// <param name="buffer">The bytes; owned by the caller, must stay unchanged while the table is used.</param>
        /// <param name="offset">First byte of the file in <paramref name="buffer"/>.</param>
        /// <param name="length">Length of the file in bytes.</param>
        /// <param name="authenticator">Verifies the HMAC section with the fleet key; null to skip (an HMAC section
        /// is then accepted unverified, see <see cref="HmacVerified"/>).</param>
        /// <param name="table">The opened table, or null.</param>
        /// <param name="error">Why the file was rejected (status and byte offset), or <see cref="PolicyStatus.Ok"/>.</param>
        /// <returns>True when the file was accepted.</returns>
        public static bool TryOpen(byte[] buffer, int offset, int length, IMessageAuthenticator authenticator, out PolicyTable table, out PolicyFileError error)
        {
            table = null;
            if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length)
            {
                error = new PolicyFileError(PolicyStatus.BadArgument, -1);
                return false;
            }

            return Finish(new PolicyTable(buffer, offset, length, null, null), authenticator, out table, out error);
        }

        /// <summary>
        /// Validates a policy file read in slices (flash, resource) and opens it for lookups through a page cache
        /// of <paramref name="pageCount"/> × <paramref name="pageLength"/> bytes, allocated here and owned by the table.
        /// </summary>
        /// <param name="source">The bytes; must stay unchanged while the table is used.</param>
        /// <param name="pageLength">Bytes per cached page, at least 1.</param>
        /// <param name="pageCount">Cached pages, at least 1.</param>
        /// <param name="authenticator">Verifies the HMAC section; null to skip. Verifying needs one transient array of the covered bytes.</param>
        /// <param name="table">The opened table, or null.</param>
        /// <param name="error">Why the file was rejected, or <see cref="PolicyStatus.Ok"/>.</param>
        /// <returns>True when the file was accepted.</returns>
        public static bool TryOpen(IPolicySource source, int pageLength, int pageCount, IMessageAuthenticator authenticator, out PolicyTable table, out PolicyFileError error)
        {
            table = null;
            if (source == null || pageLength < 1 || pageCount < 1 || source.Length < 0)
            {
                error = new PolicyFileError(PolicyStatus.BadArgument, -1);
                return false;
            }

            var cache = new PolicyPageCache(source, pageLength, pageCount);
            return Finish(new PolicyTable(null, 0, source.Length, source, cache), authenticator, out table, out error);
        }

        private static bool Finish(PolicyTable candidate, IMessageAuthenticator authenticator, out PolicyTable table, out PolicyFileError error)
        {
            error = candidate.Validate(authenticator);
            table = error.IsOk ? candidate : null;
            return error.IsOk;
        }

        private static PolicyFileError Fail(PolicyStatus status, int byteOffset)
        {
            return new PolicyFileError(status, byteOffset);
        }

        // C(n, m) if it fits Int32, else -1; multiplicative, each partial product is an integer.
        private static long BinomialOrMinusOne(int n, int m)
        {
            if (m > n - m)
            {
                m = n - m;
            }

            long c = 1;
            for (int i = 1; i <= m; i++)
            {
                c = c * (n - m + i) / i;
                if (c > int.MaxValue)
                {
                    return -1;
                }
            }

            return c;
        }

        private PolicyFileError Validate(IMessageAuthenticator authenticator)
        {
            // Magic and version first (STYLE.md §5), then the length and CRC: once the CRC matches, no
            // other header field can carry a transmission error, so a flipped size is never used.
            int length = _length;
            int magicBytes = length < 4 ? length : 4;
            for (int i = 0; i < magicBytes; i++)
            {
                int b = ReadByte(PolicyFileLayout.MagicOffset + i);
                if (b < 0)
                {
                    return Fail(PolicyStatus.ReadFailed, i);
                }

                if (b != MagicByte(i))
                {
                    return Fail(PolicyStatus.BadMagic, PolicyFileLayout.MagicOffset + i);
                }
            }

            if (length < PolicyFileLayout.VersionOffset + 2)
            {
                return Fail(PolicyStatus.Truncated, length);
            }

            int version = ReadU16(PolicyFileLayout.VersionOffset);
            if (version < 0)
            {
                return Fail(PolicyStatus.ReadFailed, PolicyFileLayout.VersionOffset);
            }

            if (version != PolicyFileLayout.FormatVersion && version != PolicyFileLayout.FormatVersion1 && version != PolicyFileLayout.FormatVersionCompact
                && version != PolicyFileLayout.FormatVersionCodedRuns && version != PolicyFileLayout.FormatVersionTyped)
            {
                return Fail(PolicyStatus.UnsupportedVersion, PolicyFileLayout.VersionOffset);
            }

            _formatVersion = version;
            _headerLength = PolicyFileLayout.HeaderLengthOf(version);
            if (length < _headerLength + PolicyFileLayout.CrcLength)
            {
                return Fail(PolicyStatus.Truncated, length);
            }

            long fileLength = ReadU32(PolicyFileLayout.FileLengthOffset);
            if (fileLength < 0)
            {
                return Fail(PolicyStatus.ReadFailed, PolicyFileLayout.FileLengthOffset);
            }

            if (fileLength != length)
            {
                return Fail(PolicyStatus.LengthMismatch, PolicyFileLayout.FileLengthOffset);
            }

            _formatVersion = version;

            int crcPosition = length - PolicyFileLayout.CrcLength;
            PolicyFileError crcError = CheckCrc(crcPosition);
            if (!crcError.IsOk)
            {
                return crcError;
            }

            // Authenticate before parsing anything the key holder vouches for (docs/policy-format.md, "Validation order").
            PolicyFileError hmacError = CheckHmacFirst(authenticator, crcPosition);
            if (!hmacError.IsOk)
            {
                return hmacError;
            }

            PolicyFileError headerError = ReadHeader();
            if (!headerError.IsOk)
            {
                return headerError;
            }

            PolicyFileError sectionError = ReadSections(crcPosition, out int hmacPosition);
            if (!sectionError.IsOk)
            {
                return sectionError;
            }

            for (int i = 0; i < _tableStart.Length; i++)
            {
                PolicyFileError tableError = CheckStoredTable(i);
                if (!tableError.IsOk)
                {
                    return tableError;
                }
            }

            PolicyFileError localError = CheckLocalRows();
            if (!localError.IsOk)
            {
                return localError;
            }

            return hmacPosition == crcPosition - PolicyFileLayout.HmacLength || !_hasHmac
                ? Fail(PolicyStatus.Ok, -1)
                : Fail(PolicyStatus.BadSectionOffset, PolicyFileLayout.FileLengthOffset);
        }

        private static int MagicByte(int i)
        {
            switch (i)
            {
                case 0: return PolicyFileLayout.Magic0;
                case 1: return PolicyFileLayout.Magic1;
                case 2: return PolicyFileLayout.Magic2;
                default: return PolicyFileLayout.Magic3;
            }
        }

        private PolicyFileError CheckCrc(int crcPosition)
        {
            uint register = Crc32.Start();
            if (_cache == null)
            {
                register = Crc32.Append(register, _buffer, _base, crcPosition);
            }
            else
            {
                byte[] chunk = new byte[CrcChunkLength];
                for (int position = 0; position < crcPosition; position += CrcChunkLength)
                {
                    int count = crcPosition - position < CrcChunkLength ? crcPosition - position : CrcChunkLength;
                    if (_source.Read(position, chunk, 0, count) != count)
                    {
                        return Fail(PolicyStatus.ReadFailed, position);
                    }

                    register = Crc32.Append(register, chunk, 0, count);
                }
            }

            long stored = ReadU32(crcPosition);
            if (stored < 0)
            {
                return Fail(PolicyStatus.ReadFailed, crcPosition);
            }

            return (uint)stored == Crc32.Finish(register) ? Fail(PolicyStatus.Ok, -1) : Fail(PolicyStatus.CrcMismatch, crcPosition);
        }

        private PolicyFileError ReadHeader()
        {
            if (ReadU16(PolicyFileLayout.HeaderLengthOffset) != _headerLength)
            {
                return Fail(PolicyStatus.BadHeaderLength, PolicyFileLayout.HeaderLengthOffset);
            }

            int flags = ReadU16(PolicyFileLayout.FlagsOffset);
            if (flags < 0 || (flags & ~PolicyFileLayout.FlagHmac) != 0)
            {
                return Fail(PolicyStatus.BadFlags, PolicyFileLayout.FlagsOffset);
            }

            _hasHmac = (flags & PolicyFileLayout.FlagHmac) != 0;

            // Version 5 carries T in the first reserved byte; older versions are untyped (T = 1) and keep all three zero.
            bool typed = _formatVersion == PolicyFileLayout.FormatVersionTyped;
            _robotTypes = typed ? ReadByte(PolicyFileLayout.RobotTypesOffset) : 1;
            if (_robotTypes < 1)
            {
                return Fail(PolicyStatus.BadSize, PolicyFileLayout.RobotTypesOffset);
            }

            for (int i = typed ? 1 : 0; i < 3; i++)
            {
                if (ReadByte(PolicyFileLayout.ReservedOffset + i) != 0)
                {
                    return Fail(PolicyStatus.BadReserved, PolicyFileLayout.ReservedOffset + i);
                }
            }

            _policyVersion = _formatVersion == PolicyFileLayout.FormatVersion1 ? 0 : (uint)ReadU32(PolicyFileLayout.PolicyVersionOffset);
            _globalStates = ReadU16(PolicyFileLayout.GlobalStatesOffset);
            _globalActions = ReadU16(PolicyFileLayout.GlobalActionsOffset);
            _localStates = ReadU16(PolicyFileLayout.LocalStatesOffset);
            _localActions = ReadU16(PolicyFileLayout.LocalActionsOffset);
            long agentCount = ReadU32(PolicyFileLayout.AgentCountOffset);
            if (_globalStates < 1)
            {
                return Fail(PolicyStatus.BadSize, PolicyFileLayout.GlobalStatesOffset);
            }

            if (_globalActions < 1)
            {
                return Fail(PolicyStatus.BadSize, PolicyFileLayout.GlobalActionsOffset);
            }

            if (_localStates < 1)
            {
                return Fail(PolicyStatus.BadSize, PolicyFileLayout.LocalStatesOffset);
            }

            // From here on _localStates counts classes: x = τ·|S_l| + s_l, which a report carries in a u16.
            _statesPerType = _localStates;
            if ((long)_robotTypes * _statesPerType > PolicyFileLayout.MaxU16)
            {
                return Fail(PolicyStatus.BadSize, PolicyFileLayout.RobotTypesOffset);
            }

            _localStates = _robotTypes * _statesPerType;

            if (_localActions < 1)
            {
                return Fail(PolicyStatus.BadSize, PolicyFileLayout.LocalActionsOffset);
            }

            if (agentCount < 1 || agentCount > int.MaxValue)
            {
                return Fail(PolicyStatus.BadSize, PolicyFileLayout.AgentCountOffset);
            }

            _agentCount = (int)agentCount;
            _k = ReadU16(PolicyFileLayout.SampleSizeOffset);
            _kMin = ReadU16(PolicyFileLayout.MinSampleSizeOffset);
            if (_k < 0 || _kMin < 0 || _kMin > _k)
            {
                return Fail(PolicyStatus.BadSampleSize, PolicyFileLayout.MinSampleSizeOffset);
            }

            _bitsPerEntry = ReadByte(PolicyFileLayout.BitsPerEntryOffset);
            if (_bitsPerEntry != PolicyFileLayout.BitsPerEntry(_globalActions))
            {
                return Fail(PolicyStatus.BadBitsPerEntry, PolicyFileLayout.BitsPerEntryOffset);
            }

            PolicyFileError textError = CheckText(PolicyFileLayout.ProducerVersionOffset, PolicyFileLayout.ProducerVersionLength, true);
            if (!textError.IsOk)
            {
                return textError;
            }

            textError = CheckText(PolicyFileLayout.GameNameOffset, PolicyFileLayout.GameNameLength, false);
            if (!textError.IsOk)
            {
                return textError;
            }

            // Rank tables: refuse sizes CountRanker would throw on (no exception escapes TryOpen). It fills
            // C(a, b) for a ≤ k+|S_l|−1, b ≤ |S_l|−1 and refuses any entry above Int32; the largest is
            // C(k+|S_l|−1, min(|S_l|−1, ⌊(k+|S_l|−1)/2⌋)).
            int top = _k + _localStates - 1;
            int widest = _localStates - 1 < top / 2 ? _localStates - 1 : top / 2;
            if ((long)(_k + _localStates) * _localStates > MaxRankTableEntries || BinomialOrMinusOne(top, widest) < 0)
            {
                return Fail(PolicyStatus.TooLarge, PolicyFileLayout.SampleSizeOffset);
            }

            _ranker = new CountRanker(_localStates, _k);
            return Fail(PolicyStatus.Ok, -1);
        }

        // NUL-padded text: after the first NUL only NULs; ASCII fields allow printable 0x20..0x7E only.
        private PolicyFileError CheckText(int position, int length, bool printableAscii)
        {
            bool ended = false;
            for (int i = 0; i < length; i++)
            {
                int b = ReadByte(position + i);
                if (b == 0)
                {
                    ended = true;
                }
                else if (ended || b < 0 || (printableAscii && (b < 0x20 || b > 0x7E)))
                {
                    return Fail(PolicyStatus.BadText, position + i);
                }
            }

            return Fail(PolicyStatus.Ok, -1);
        }

        private PolicyFileError ReadSections(int crcPosition, out int hmacPosition)
        {
            hmacPosition = -1;
            if (_formatVersion >= PolicyFileLayout.FormatVersionCompact)
            {
                return ReadSectionsCompact(crcPosition, out hmacPosition);
            }

            int tables = _k - _kMin + 1;
            int expectedCount = tables + 1 + (_hasHmac ? 1 : 0);
            _sectionCount = ReadU16(PolicyFileLayout.SectionCountOffset);
            long cursor = _headerLength + ((long)expectedCount * PolicyFileLayout.SectionEntryLength);
            if (_sectionCount != expectedCount || cursor > crcPosition)
            {
                return Fail(PolicyStatus.BadSectionCount, PolicyFileLayout.SectionCountOffset);
            }

            _tableStart = new int[tables];
            _rankCount = new int[tables];
            _tableKind = new int[tables];
            for (int i = 0; i < expectedCount; i++)
            {
                int entry = _headerLength + (i * PolicyFileLayout.SectionEntryLength);
                int expectedKind;
                int expectedParameter = 0;
                long expectedLength;
                if (i < tables)
                {
                    int sampleSize = _kMin + i;
                    expectedKind = PolicyFileLayout.SectionGlobalTable;
                    expectedParameter = sampleSize;
                    _rankCount[i] = _ranker.Count(sampleSize);
                    expectedLength = PolicyFileLayout.GlobalTableLength((long)_globalStates * _rankCount[i], _bitsPerEntry);
                    if (expectedLength < 0)
                    {
                        return Fail(PolicyStatus.TooLarge, entry + 8);
                    }
                }
                else if (i == tables)
                {
                    expectedKind = PolicyFileLayout.SectionLocalWeights;
                    expectedLength = (long)_globalStates * _localStates * _localActions;
                }
                else
                {
                    expectedKind = PolicyFileLayout.SectionHmac;
                    expectedLength = PolicyFileLayout.HmacLength;
                }

                if (ReadU16(entry) != expectedKind)
                {
                    return Fail(PolicyStatus.BadSectionKind, entry);
                }

                if (ReadU16(entry + 2) != expectedParameter)
                {
                    return Fail(PolicyStatus.BadSectionKind, entry + 2);
                }

                if (ReadU32(entry + 4) != cursor)
                {
                    return Fail(PolicyStatus.BadSectionOffset, entry + 4);
                }

                if (ReadU32(entry + 8) != expectedLength || cursor + expectedLength > crcPosition)
                {
                    return Fail(PolicyStatus.BadSectionLength, entry + 8);
                }

                if (i < tables)
                {
                    _tableStart[i] = (int)cursor;
                    _tableKind[i] = PolicyFileLayout.SectionGlobalTable;
                }
                else if (i == tables)
                {
                    _localStart = (int)cursor;
                }
                else
                {
                    hmacPosition = (int)cursor;
                }

                cursor += expectedLength;
            }

            // The sections must end exactly at the CRC: no unexplained bytes.
            return cursor == crcPosition ? Fail(PolicyStatus.Ok, -1) : Fail(PolicyStatus.LengthMismatch, PolicyFileLayout.FileLengthOffset);
        }

        private PolicyFileError CheckGlobalTable(int start, long entries)
        {
            if (_bitsPerEntry == 0)
            {
                return Fail(PolicyStatus.Ok, -1);
            }

            // With |A_g| a power of two every b-bit value is an action; otherwise check each entry.
            if ((1 << _bitsPerEntry) != _globalActions)
            {
                for (long e = 0; e < entries; e++)
                {
                    int value = ReadEntry(start, e);
                    if (value < 0)
                    {
                        return Fail(PolicyStatus.ReadFailed, start + (int)((e * _bitsPerEntry) >> 3));
                    }

                    if (value >= _globalActions)
                    {
                        return Fail(PolicyStatus.BadGlobalEntry, start + (int)((e * _bitsPerEntry) >> 3));
                    }
                }
            }

            // LSB-first packing leaves the unused high bits of the last byte; they must be zero (one encoding per policy).
            long bits = entries * _bitsPerEntry;
            int usedInLast = (int)(bits & 7);
            if (usedInLast != 0)
            {
                int last = start + (int)(bits >> 3);
                int value = ReadByte(last);
                if (value < 0 || (value >> usedInLast) != 0)
                {
                    return Fail(value < 0 ? PolicyStatus.ReadFailed : PolicyStatus.BadPadding, last);
                }
            }

            return Fail(PolicyStatus.Ok, -1);
        }

        // Each row: weights summing to 256, or a single 255 (a deterministic row; 256 does not fit a byte).
        private PolicyFileError CheckLocalRows()
        {
            int rows = _globalStates * _localStates;
            for (int r = 0; r < rows; r++)
            {
                int row = _localStart + (r * _localActions);
                int sum = 0;
                int nonZero = 0;
                for (int a = 0; a < _localActions; a++)
                {
                    int w = ReadByte(row + a);
                    if (w < 0)
                    {
                        return Fail(PolicyStatus.ReadFailed, row + a);
                    }

                    sum += w;
                    if (w != 0)
                    {
                        nonZero++;
                    }
                }

                if (sum != PolicyFileLayout.LocalWeightTotal && !(sum == 255 && nonZero == 1))
                {
                    return Fail(PolicyStatus.BadLocalRow, row);
                }
            }

            return Fail(PolicyStatus.Ok, -1);
        }
    }
}
