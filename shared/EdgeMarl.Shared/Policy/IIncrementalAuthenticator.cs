namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// An <see cref="IMessageAuthenticator"/> that also computes the tag over a message given in pieces, so a
    /// policy file is verified streaming from flash with a small buffer whatever its size (docs/policy-format.md,
    /// "Authentication"). The device's policy store requires one.
    /// </summary>
    public interface IIncrementalAuthenticator : IMessageAuthenticator
    {
        /// <summary>Starts a new message.</summary>
        void Start();

        /// <summary>Appends <c>buffer[offset .. offset+count)</c>.</summary>
        /// <param name="buffer">Caller-owned bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Bytes.</param>
        void Append(byte[] buffer, int offset, int count);

        /// <summary>Writes the 32-byte tag of the message to <c>tag[offset ..]</c>.</summary>
        /// <param name="tag">Caller-owned destination.</param>
        /// <param name="offset">First destination byte.</param>
        void Finish(byte[] tag, int offset);
    }
}
