using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.HostAdapters
{
    /// <summary>Host HMAC-SHA256 authenticators for the device code (<see cref="DeviceService"/>'s key fingerprint).</summary>
    public sealed class HmacAuthenticatorFactory : IAuthenticatorFactory
    {
        /// <inheritdoc/>
        public IMessageAuthenticator Create(byte[] key) => new EdgeMarl.Shared.Policy.HmacSha256Authenticator(key);
    }
}
