using EdgeMarl.Shared.Integrity;

namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// The fleet key as a policy-file authenticator: HMAC-SHA256 computed by the managed, allocation-free
    /// <see cref="HmacSha256"/>, so it runs the same on the host and on nanoFramework (whose crypto API has no
    /// incremental hashing) and never needs the whole file in RAM.
    /// </summary>
    public sealed class StreamingHmacSha256Authenticator : IIncrementalAuthenticator
    {
        private readonly HmacSha256 _hmac;

        /// <summary>Initializes a new instance of the <see cref="StreamingHmacSha256Authenticator"/> class.</summary>
        /// <param name="key">The fleet key (at least 1 byte; 32 random bytes recommended); copied into the HMAC pads.</param>
        public StreamingHmacSha256Authenticator(byte[] key)
        {
            _hmac = new HmacSha256(key);
        }

        /// <inheritdoc/>
        public void Start()
        {
            _hmac.Start();
        }

        /// <inheritdoc/>
        public void Append(byte[] buffer, int offset, int count)
        {
            _hmac.Append(buffer, offset, count);
        }

        /// <inheritdoc/>
        public void Finish(byte[] tag, int offset)
        {
            _hmac.Finish(tag, offset);
        }

        /// <inheritdoc/>
        public byte[] ComputeTag(byte[] message)
        {
            byte[] tag = new byte[HmacSha256.TagLength];
            _hmac.Start();
            _hmac.Append(message, 0, message.Length);
            _hmac.Finish(tag, 0);
            return tag;
        }
    }
}
