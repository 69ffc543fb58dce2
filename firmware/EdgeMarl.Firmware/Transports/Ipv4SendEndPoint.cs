using System.Net;

namespace EdgeMarl.Firmware.Transports
{
    /// <summary>
    /// One reusable destination for <c>Socket.SendTo</c>: an IPv4 address and port set before each send, so the UDP radio
    /// keeps its peers as packed integers (4 + 2 bytes each) instead of one <see cref="IPEndPoint"/> object per robot.
    /// </summary>
    /// <remarks>
    /// <para>Both runtimes send to <c>remoteEP.Serialize()</c> (nanoFramework's System.Net <c>Socket.SendTo</c> reads
    /// <c>remoteEP.Serialize().m_Buffer</c>; .NET serializes any non-<see cref="IPEndPoint"/> endpoint the same way), so
    /// returning one <see cref="SocketAddress"/> whose port and address bytes are rewritten sends without making an object
    /// (an <see cref="IPEndPoint"/> allocates a new <see cref="SocketAddress"/> per send on nanoFramework).</para>
    /// <para>Layout of an IPv4 socket address, the same on both runtimes (sockaddr_in): bytes 0–1 the family (set by
    /// the runtime when the address is made), 2–3 the port big-endian, 4–7 the address in network order. Not
    /// thread-safe: one per radio, used only inside its send.</para>
    /// </remarks>
    public sealed class Ipv4SendEndPoint : EndPoint
    {
        private readonly SocketAddress _address;

        /// <summary>Initializes a new instance of the <see cref="Ipv4SendEndPoint"/> class (0.0.0.0:0 until <see cref="Set"/>).</summary>
        public Ipv4SendEndPoint()
        {
            _address = new IPEndPoint(IPAddress.Any, 0).Serialize();
        }

        /// <summary>Points the endpoint at <paramref name="address"/>:<paramref name="port"/>.</summary>
        /// <param name="address">IPv4 address, first octet in the high byte (192.168.50.7 = 0xC0A83207).</param>
        /// <param name="port">UDP port, 0 … 65,535.</param>
        public void Set(uint address, int port)
        {
            _address[2] = (byte)(port >> 8);
            _address[3] = (byte)port;
            _address[4] = (byte)(address >> 24);
            _address[5] = (byte)(address >> 16);
            _address[6] = (byte)(address >> 8);
            _address[7] = (byte)address;
        }

        /// <summary>Packs an IPv4 address's four octets (first octet high).</summary>
        /// <param name="octets">At least 4 bytes in network order (<c>IPAddress.GetAddressBytes()</c>).</param>
        /// <returns>The packed address.</returns>
        public static uint Pack(byte[] octets)
        {
            return ((uint)octets[0] << 24) | ((uint)octets[1] << 16) | ((uint)octets[2] << 8) | octets[3];
        }

        /// <inheritdoc/>
        public override SocketAddress Serialize()
        {
            return _address;
        }

        /// <inheritdoc/>
        public override EndPoint Create(SocketAddress socketAddress)
        {
            return new IPEndPoint(IPAddress.Any, 0).Create(socketAddress);
        }
    }
}
