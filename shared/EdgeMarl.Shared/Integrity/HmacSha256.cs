namespace EdgeMarl.Shared.Integrity
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104) computed incrementally over <see cref="Sha256"/>, so a policy file is authenticated
    /// streaming from flash in small chunks (docs/policy-format.md, "Authentication"). Byte-for-byte the same
    /// tag as <c>System.Security.Cryptography.HMACSHA256</c>.
    /// </summary>
    /// <remarks>
    /// The key's inner and outer pads are computed once by the constructor; <see cref="Start"/>,
    /// <see cref="Append"/> and <see cref="Finish"/> allocate nothing. About 0.6 KB of state in all. Not thread-safe.
    /// </remarks>
    public sealed class HmacSha256
    {
        /// <summary>Tag length in bytes.</summary>
        public const int TagLength = Sha256.HashLength;

        private readonly Sha256 _sha = new Sha256();
        private readonly byte[] _innerPad = new byte[Sha256.BlockLength];
        private readonly byte[] _outerPad = new byte[Sha256.BlockLength];
        private readonly byte[] _innerHash = new byte[Sha256.HashLength];

        /// <summary>Initializes a new instance of the <see cref="HmacSha256"/> class, ready for <see cref="Append"/>.</summary>
        /// <param name="key">The key, any length ≥ 1 (keys longer than 64 bytes are hashed first, as RFC 2104 says); copied into the pads.</param>
        /// <exception cref="System.ArgumentException">The key is null or empty.</exception>
        public HmacSha256(byte[] key)
        {
            if (key == null || key.Length == 0)
            {
                throw new System.ArgumentException("empty HMAC key", nameof(key));
            }

            byte[] k = key;
            if (key.Length > Sha256.BlockLength)
            {
                k = new byte[Sha256.HashLength];
                _sha.Append(key, 0, key.Length);
                _sha.Finish(k, 0);
            }

            for (int i = 0; i < Sha256.BlockLength; i++)
            {
                byte b = i < k.Length ? k[i] : (byte)0;
                _innerPad[i] = (byte)(b ^ 0x36);
                _outerPad[i] = (byte)(b ^ 0x5c);
            }

            Start();
        }

        /// <summary>Starts a new message.</summary>
        public void Start()
        {
            _sha.Start();
            _sha.Append(_innerPad, 0, Sha256.BlockLength);
        }

        /// <summary>Appends <c>buffer[offset .. offset+count)</c> to the message.</summary>
        /// <param name="buffer">Caller-owned bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Bytes.</param>
        public void Append(byte[] buffer, int offset, int count)
        {
            _sha.Append(buffer, offset, count);
        }

        /// <summary>Writes the 32-byte tag of the message to <c>tag[offset ..]</c> and starts a new message.</summary>
        /// <param name="tag">Caller-owned destination.</param>
        /// <param name="offset">First destination byte.</param>
        public void Finish(byte[] tag, int offset)
        {
            _sha.Finish(_innerHash, 0);
            _sha.Append(_outerPad, 0, Sha256.BlockLength);
            _sha.Append(_innerHash, 0, Sha256.HashLength);
            _sha.Finish(tag, offset);
            Start();
        }
    }
}
