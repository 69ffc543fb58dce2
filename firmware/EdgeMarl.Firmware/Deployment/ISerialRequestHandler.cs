namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>Answers serial request types the <see cref="SerialPolicyReceiver"/> does not know (docs/protocol.md §10.4).</summary>
    public interface ISerialRequestHandler
    {
        /// <summary>Handles one CRC-checked request and writes its response frame to <paramref name="link"/>.</summary>
        /// <param name="type">Request type.</param>
        /// <param name="sequence">Request sequence (echo it).</param>
        /// <param name="frame">The decoder's buffer (read-only).</param>
        /// <param name="payloadOffset">First payload byte in <paramref name="frame"/>.</param>
        /// <param name="payloadLength">Payload bytes.</param>
        /// <param name="link">Where the response goes.</param>
        /// <returns>False when the type is not this handler's either.</returns>
        bool Handle(byte type, byte sequence, byte[] frame, int payloadOffset, int payloadLength, ISerialLink link);
    }
}
