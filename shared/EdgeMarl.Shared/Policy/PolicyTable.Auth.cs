namespace EdgeMarl.Shared.Policy
{
    /// <summary>Format version 2: the policy version (anti-rollback counter) and the streaming HMAC check.</summary>
    public sealed partial class PolicyTable
    {
        // Bytes read from the source per HMAC step: the whole RAM cost of verifying, with the 32-byte tag
        // and the authenticator's own state, whatever the file size (docs/policy-format.md, "Authentication").
        private const int HmacChunkLength = 512;

        private int _formatVersion;
        private int _headerLength = PolicyFileLayout.HeaderLength;
        private uint _policyVersion;

        /// <summary>Gets the file's format version (1, 2, or 3 for a file that may hold compact tables and only some <c>k'</c>).</summary>
        public int FormatVersion
        {
            get { return _formatVersion; }
        }

        /// <summary>Gets the policy version (anti-rollback counter, v2 header); 0 for a v1 file.</summary>
        public uint PolicyVersion
        {
            get { return _policyVersion; }
        }

        // Runs right after the CRC, before any size is parsed: with a key, nothing the key holder did not sign is
        // interpreted. The HMAC section is always the last one, so its tag sits at crcPosition − 32 and covers
        // [0, crcPosition − 32); ReadSections later checks that the section table says the same.
        private PolicyFileError CheckHmacFirst(IMessageAuthenticator authenticator, int crcPosition)
        {
            _hmacVerified = false;
            if (authenticator == null)
            {
                return Fail(PolicyStatus.Ok, -1);
            }

            int flags = ReadU16(PolicyFileLayout.FlagsOffset);
            if (flags < 0)
            {
                return Fail(PolicyStatus.ReadFailed, PolicyFileLayout.FlagsOffset);
            }

            if ((flags & PolicyFileLayout.FlagHmac) == 0)
            {
                return Fail(PolicyStatus.HmacMissing, PolicyFileLayout.FlagsOffset);
            }

            int hmacPosition = crcPosition - PolicyFileLayout.HmacLength;
            if (hmacPosition < _headerLength)
            {
                return Fail(PolicyStatus.HmacMismatch, hmacPosition < 0 ? 0 : hmacPosition);
            }

            byte[] tag = new byte[PolicyFileLayout.HmacLength];
            IIncrementalAuthenticator incremental = authenticator as IIncrementalAuthenticator;
            if (incremental != null)
            {
                incremental.Start();
                if (_cache == null)
                {
                    incremental.Append(_buffer, _base, hmacPosition);
                }
                else
                {
                    byte[] chunk = new byte[HmacChunkLength];
                    for (int position = 0; position < hmacPosition; position += HmacChunkLength)
                    {
                        int count = hmacPosition - position < HmacChunkLength ? hmacPosition - position : HmacChunkLength;
                        if (_source.Read(position, chunk, 0, count) != count)
                        {
                            return Fail(PolicyStatus.ReadFailed, position);
                        }

                        incremental.Append(chunk, 0, count);
                    }
                }

                incremental.Finish(tag, 0);
            }
            else
            {
                // One-shot authenticators (HMACSHA256.HashData) hash whole arrays only: host use, needs the file in RAM.
                byte[] message = new byte[hmacPosition];
                if (!CopyBytes(0, message, 0, hmacPosition))
                {
                    return Fail(PolicyStatus.ReadFailed, 0);
                }

                tag = authenticator.ComputeTag(message);
            }

            int difference = tag == null || tag.Length != PolicyFileLayout.HmacLength ? 1 : 0;
            if (difference == 0)
            {
                // Accumulate instead of returning early, so timing says little about where a forged tag differs.
                for (int j = 0; j < PolicyFileLayout.HmacLength; j++)
                {
                    difference |= ReadByte(hmacPosition + j) ^ tag[j];
                }
            }

            if (difference != 0)
            {
                return Fail(PolicyStatus.HmacMismatch, hmacPosition);
            }

            _hmacVerified = true;
            return Fail(PolicyStatus.Ok, -1);
        }
    }
}
