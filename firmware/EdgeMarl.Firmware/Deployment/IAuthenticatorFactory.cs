using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>Makes an HMAC-SHA256 authenticator under a key (host: .NET's HMACSHA256; ESP32: nanoFramework's).</summary>
    public interface IAuthenticatorFactory
    {
        /// <summary>Creates the authenticator.</summary>
        /// <param name="key">The key.</param>
        /// <returns>HMAC-SHA256 under <paramref name="key"/>.</returns>
        IMessageAuthenticator Create(byte[] key);
    }
}
