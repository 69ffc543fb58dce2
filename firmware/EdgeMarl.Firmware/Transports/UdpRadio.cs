using System.Net;
using System.Net.Sockets;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Nodes;

namespace EdgeMarl.Firmware.Transports
{
    /// <summary>
    /// The default radio: UDP datagrams over Wi-Fi, one frame per datagram, through
    /// <c>Socket.SendTo</c> / <c>Poll</c> / <c>ReceiveFrom</c>, whose signatures are identical on nanoFramework and
    /// .NET (nanoframework-api README §9). Works on the host over 127.0.0.1.
    /// </summary>
    /// <remarks>
    /// Node ids map to endpoints through a table (ids sorted ascending; binary search, O(log n), no allocation): given
    /// at construction, and/or learned (<see cref="IAddressLearner"/>): the gateway, after authenticating a robot's Join,
    /// binds the robot's id to the datagram's source endpoint, so no address plan is needed (docs/protocol.md §6, §9),
    /// and forgets it when the robot leaves the roster. Peers are packed (id, IPv4 address, port: 10 bytes each) and sent
    /// to through one reusable <see cref="Ipv4SendEndPoint"/>, so 1,000 learned robots cost 10 KB, not an object each.
    /// "Broadcast" sends one datagram to each broadcast endpoint: on Wi-Fi that is the subnet broadcast address; on
    /// loopback tests, each robot's endpoint. Transport errors are counted, never thrown into the node. Allocation: the
    /// radio makes nothing per send, but the runtimes' sockets do on receive (nanoFramework's <c>ReceiveFrom</c> makes a
    /// new sender endpoint per datagram; .NET when the sender changes); the zero-allocation guarantee of the nodes is
    /// measured over the in-memory radio. Owns neither the socket nor the broadcast endpoints; the caller closes the socket.
    /// </remarks>
    public sealed class UdpRadio : IRadio, IAddressLearner
    {
        private readonly Socket _socket;

        // Peers as parallel primitive arrays (ids ascending): 4 + 4 + 2 = 10 bytes per peer, no object per peer.
        private readonly int[] _peerIds;
        private readonly uint[] _peerAddresses;
        private readonly ushort[] _peerPorts;
        private readonly Ipv4SendEndPoint _sendTo;
        private int _peerCount;
        private readonly EndPoint[] _broadcastEndpoints;
        private EndPoint _from;

        /// <summary>Initializes a new instance of the <see cref="UdpRadio"/> class over a bound UDP socket.</summary>
        /// <param name="socket">A bound UDP socket (see <see cref="OpenSocket"/>).</param>
        /// <param name="peerIds">Node ids reachable by unicast, strictly ascending.</param>
        /// <param name="peerEndpoints">IPv4 endpoint (<see cref="IPEndPoint"/>) of each id in <paramref name="peerIds"/>, same order.</param>
        /// <param name="broadcastEndpoints">Endpoints a broadcast goes to (may be empty on robots).</param>
        /// <exception cref="System.ArgumentException">Tables missing, of different lengths, ids not ascending, or an endpoint not IPv4.</exception>
        public UdpRadio(Socket socket, int[] peerIds, EndPoint[] peerEndpoints, EndPoint[] broadcastEndpoints)
            : this(socket, peerIds, peerEndpoints, broadcastEndpoints, 0)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="UdpRadio"/> class with room to learn <paramref name="learnCapacity"/> more peers.</summary>
        /// <param name="socket">A bound UDP socket (see <see cref="OpenSocket"/>).</param>
        /// <param name="peerIds">Node ids reachable by unicast from the start, strictly ascending (may be empty).</param>
        /// <param name="peerEndpoints">IPv4 endpoint (<see cref="IPEndPoint"/>) of each id in <paramref name="peerIds"/>, same order.</param>
        /// <param name="broadcastEndpoints">Endpoints a broadcast goes to (may be empty on robots).</param>
        /// <param name="learnCapacity">How many further ids <see cref="LearnSender"/> may add (the gateway: its roster capacity).</param>
        /// <exception cref="System.ArgumentException">Tables missing, of different lengths, ids not ascending, or an endpoint not IPv4.</exception>
        public UdpRadio(Socket socket, int[] peerIds, EndPoint[] peerEndpoints, EndPoint[] broadcastEndpoints, int learnCapacity)
        {
            if (socket == null || peerIds == null || peerEndpoints == null || broadcastEndpoints == null || peerIds.Length != peerEndpoints.Length)
            {
                throw new System.ArgumentException("udp radio: socket and endpoint tables required, ids and endpoints of equal length", nameof(peerIds));
            }

            for (int i = 1; i < peerIds.Length; i++)
            {
                if (peerIds[i] <= peerIds[i - 1])
                {
                    throw new System.ArgumentException("udp radio: peer ids must be strictly ascending", nameof(peerIds));
                }
            }

            if (learnCapacity < 0)
            {
                throw new System.ArgumentException("udp radio: learn capacity >= 0", nameof(learnCapacity));
            }

            _socket = socket;
            int capacity = peerIds.Length + learnCapacity;
            _peerIds = new int[capacity];
            _peerAddresses = new uint[capacity];
            _peerPorts = new ushort[capacity];
            for (int i = 0; i < peerIds.Length; i++)
            {
                IPEndPoint endpoint = peerEndpoints[i] as IPEndPoint;
                byte[] octets = endpoint == null ? null : endpoint.Address.GetAddressBytes();
                if (octets == null || octets.Length != 4)
                {
                    throw new System.ArgumentException("udp radio: peer endpoints must be IPv4 IPEndPoints", nameof(peerEndpoints));
                }

                _peerIds[i] = peerIds[i];
                _peerAddresses[i] = Ipv4SendEndPoint.Pack(octets);
                _peerPorts[i] = (ushort)endpoint.Port;
            }

            _peerCount = peerIds.Length;
            _sendTo = new Ipv4SendEndPoint();
            _broadcastEndpoints = broadcastEndpoints;
            _from = new IPEndPoint(IPAddress.Any, 0);
        }

        /// <summary>Gets the number of datagrams the socket refused to send.</summary>
        public int SendFailures { get; private set; }

        /// <summary>Gets the number of receive errors (oversized datagrams, socket errors).</summary>
        public int ReceiveFailures { get; private set; }

        /// <summary>Gets the number of peers learned, or re-bound to a new endpoint, by <see cref="LearnSender"/>.</summary>
        public int PeersLearned { get; private set; }

        /// <summary>Gets the number of peers that could not be learned because the table was full (or the sender was not IPv4).</summary>
        public int LearnRefused { get; private set; }

        /// <summary>Gets the number of peers known (given at construction or learned, not yet forgotten).</summary>
        public int PeerCount
        {
            get { return _peerCount; }
        }

        /// <inheritdoc/>
        /// <remarks>Packs the source address and port of the last datagram received (reading the address makes a 4-byte
        /// array: an allocation per join, never per tick).</remarks>
        public void LearnSender(int nodeId)
        {
            IPEndPoint from = _from as IPEndPoint;
            byte[] octets = from == null ? null : from.Address.GetAddressBytes();
            if (octets == null || octets.Length != 4)
            {
                LearnRefused++;
                return;
            }

            uint address = Ipv4SendEndPoint.Pack(octets);
            ushort port = (ushort)from.Port;
            int index = SortedIds.Find(_peerIds, _peerCount, nodeId);
            if (index >= 0)
            {
                if (_peerAddresses[index] != address || _peerPorts[index] != port)
                {
                    _peerAddresses[index] = address;
                    _peerPorts[index] = port;
                    PeersLearned++;
                }

                return;
            }

            if (_peerCount == _peerIds.Length)
            {
                LearnRefused++;
                return;
            }

            int at = ~index;
            int tail = _peerCount - at;
            System.Array.Copy(_peerIds, at, _peerIds, at + 1, tail);
            System.Array.Copy(_peerAddresses, at, _peerAddresses, at + 1, tail);
            System.Array.Copy(_peerPorts, at, _peerPorts, at + 1, tail);
            _peerIds[at] = nodeId;
            _peerAddresses[at] = address;
            _peerPorts[at] = port;
            _peerCount++;
            PeersLearned++;
        }

        /// <inheritdoc/>
        public void ForgetSender(int nodeId)
        {
            int index = SortedIds.Find(_peerIds, _peerCount, nodeId);
            if (index < 0)
            {
                return;
            }

            int tail = _peerCount - index - 1;
            System.Array.Copy(_peerIds, index + 1, _peerIds, index, tail);
            System.Array.Copy(_peerAddresses, index + 1, _peerAddresses, index, tail);
            System.Array.Copy(_peerPorts, index + 1, _peerPorts, index, tail);
            _peerCount--;
        }

        /// <summary>Opens a UDP socket bound to <paramref name="localPort"/> on all interfaces, with broadcast sending enabled.</summary>
        /// <param name="localPort">Local port (0 lets the system choose).</param>
        /// <returns>The socket; the caller closes it.</returns>
        public static Socket OpenSocket(int localPort)
        {
            Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, localPort));
            return socket;
        }

        /// <inheritdoc/>
        public bool Send(int destinationId, byte[] frame, int offset, int length)
        {
            int index = SortedIds.Find(_peerIds, _peerCount, destinationId);
            if (index < 0)
            {
                SendFailures++;
                return false;
            }

            _sendTo.Set(_peerAddresses[index], _peerPorts[index]);
            return SendTo(_sendTo, frame, offset, length);
        }

        /// <inheritdoc/>
        public bool Broadcast(byte[] frame, int offset, int length)
        {
            bool all = true;
            for (int i = 0; i < _broadcastEndpoints.Length; i++)
            {
                all &= SendTo(_broadcastEndpoints[i], frame, offset, length);
            }

            return all;
        }

        /// <inheritdoc/>
        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
        {
            try
            {
                // Poll takes microseconds; cap so the product fits Int32 (about 35 minutes).
                int microseconds = timeoutMs > 2000000 ? 2000000000 : timeoutMs * 1000;
                if (!_socket.Poll(microseconds, SelectMode.SelectRead))
                {
                    return 0;
                }

                return _socket.ReceiveFrom(buffer, offset, capacity, SocketFlags.None, ref _from);
            }
            catch (SocketException)
            {
                // E.g. a datagram longer than the buffer (never a valid frame) or ICMP port-unreachable echoes.
                ReceiveFailures++;
                return 0;
            }
        }

        private bool SendTo(EndPoint endpoint, byte[] frame, int offset, int length)
        {
            try
            {
                _socket.SendTo(frame, offset, length, SocketFlags.None, endpoint);
                return true;
            }
            catch (SocketException)
            {
                SendFailures++;
                return false;
            }
        }
    }
}
