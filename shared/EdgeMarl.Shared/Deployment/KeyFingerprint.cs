using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Shared.Deployment
{
    /// <summary>
    /// What a device says about its key instead of the key: the first 4 bytes of HMAC-SHA256(key, "edgemarl key
    /// fingerprint 1"), as a u32 (docs/provisioning.md). A PRF output reveals nothing usable about the key, and the
    /// operator can compare it with the fingerprint <c>edgemarl provision</c> printed.
    /// </summary>
    public static class KeyFingerprint
    {
        private static readonly byte[] Label = new byte[]
        {
            0x65, 0x64, 0x67, 0x65, 0x6D, 0x61, 0x72, 0x6C, 0x20, 0x6B, 0x65, 0x79, 0x20,
            0x66, 0x69, 0x6E, 0x67, 0x65, 0x72, 0x70, 0x72, 0x69, 0x6E, 0x74, 0x20, 0x31,
        };

        /// <summary>Computes the fingerprint with an authenticator keyed with the key.</summary>
        /// <param name="keyed">HMAC-SHA256 under the key.</param>
        /// <returns>The fingerprint.</returns>
        public static uint Compute(IMessageAuthenticator keyed)
        {
            byte[] tag = keyed.ComputeTag(Label);
            return (uint)(tag[0] | (tag[1] << 8) | (tag[2] << 16) | (tag[3] << 24));
        }
    }
}
