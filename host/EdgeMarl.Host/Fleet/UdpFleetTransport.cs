using System.Net;
using System.Net.Sockets;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// Real UDP on 127.0.0.1: one socket (own port) per robot, one for the gateway, one for the attacker when forging. A
/// single thread runs everything: while the gateway waits for reports, its radio pumps the robots (one
/// <c>Socket.Select</c> over all sockets, then <c>ProcessPending</c> on the robots with datagrams), so no robot
/// thread exists and nothing can be left running. Every wait is bounded (the gateway's reply window; settling stops
/// when a 1 ms wait finds nothing, or after <see cref="MaxSettlePasses"/>). All sockets are closed by <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// "Broadcast" is the gateway's <see cref="UdpRadio"/> fan-out: one datagram to each robot's port (loopback has no
/// subnet broadcast). Loopback delivery is synchronous, so when a send returns the datagram is in the receiver's buffer;
/// with no impairments the run is as deterministic as the in-memory one.
/// </remarks>
internal sealed class UdpFleetTransport : IFleetTransport
{
    /// <summary>Upper bound on select passes per settle (each handles every robot with datagrams).</summary>
    public const int MaxSettlePasses = 1000;

    private readonly List<Socket> _sockets = [];
    private readonly Dictionary<Socket, int> _robotBySocket = [];
    private readonly List<Socket> _selectList;
    private readonly Socket _gatewaySocket;
    private readonly UdpRadio _gatewayUdp;
    private readonly UdpRadio[] _robotUdp;
    private readonly IRadio[] _robotRadios;
    private readonly UdpRadio? _attackerUdp;
    private readonly Action<int> _pumpRobot;
    private readonly FleetCounters _impairmentCounters = new();

    public UdpFleetTransport(FleetOptions options, ulong seed, Action<int> pumpRobot)
    {
        _pumpRobot = pumpRobot;
        int n = options.Robots;
        try
        {
            _gatewaySocket = Open();
            var robotSockets = new Socket[n];
            var robotEndpoints = new EndPoint[n];
            int[] robotIds = new int[n];
            for (int i = 0; i < n; i++)
            {
                robotSockets[i] = Open();
                robotEndpoints[i] = robotSockets[i].LocalEndPoint!;
                robotIds[i] = i;
                _robotBySocket.Add(robotSockets[i], i);
            }

            var rng = new Pcg32(seed, 0x75);
            EndPoint gatewayEndpoint = _gatewaySocket.LocalEndPoint!;
            // No address plan: the gateway's unicast table starts empty and learns each robot's endpoint from its
            // authenticated join. Broadcasts fan out to every robot socket (loopback has no subnet broadcast), each copy
            // impaired on its own, through a second radio on the same socket.
            _gatewayUdp = new UdpRadio(_gatewaySocket, [], [], robotEndpoints, n);
            var fanOut = new UdpRadio(_gatewaySocket, robotIds, robotEndpoints, robotEndpoints);
            GatewayRadio = new PumpingRadio(this, new ImpairedRadio(_gatewayUdp, robotIds, options, rng, _impairmentCounters), new ImpairedRadio(fanOut, robotIds, options, rng, _impairmentCounters));
            GatewayAddressLearner = _gatewayUdp;
            _robotUdp = new UdpRadio[n];
            _robotRadios = new IRadio[n];
            for (int i = 0; i < n; i++)
            {
                _robotUdp[i] = new UdpRadio(robotSockets[i], [FleetRunner.GatewayId], [gatewayEndpoint], []);
                _robotRadios[i] = new ImpairedRadio(_robotUdp[i], [FleetRunner.GatewayId], options, rng, _impairmentCounters);
            }

            if (options.Forge > 0)
            {
                Socket attacker = Open();
                int[] ids = [.. robotIds, FleetRunner.GatewayId];
                EndPoint[] endpoints = [.. robotEndpoints, gatewayEndpoint];
                _attackerUdp = new UdpRadio(attacker, ids, endpoints, robotEndpoints);
                AttackerRadio = _attackerUdp;
            }

            _selectList = new List<Socket>(_sockets.Count);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IClock Clock { get; } = new SystemClock();

    public IRadio GatewayRadio { get; }

    public IRadio? AttackerRadio { get; }

    public IAddressLearner? GatewayAddressLearner { get; }

    public IRadio RobotRadio(int robot) => _robotRadios[robot];

    public void BeginTick()
    {
    }

    public void Settle()
    {
        int quiet = 0;
        for (int pass = 0; pass < MaxSettlePasses && quiet < 2; pass++)
        {
            // A zero wait first; when nothing is ready, one short wait catches a straggler before giving up.
            quiet = Pump(quiet == 0 ? 0 : 1000) ? 0 : quiet + 1;
        }
    }

    public void AddCounters(FleetCounters counters)
    {
        counters.NetworkLost += _impairmentCounters.NetworkLost;
        counters.NetworkDuplicated += _impairmentCounters.NetworkDuplicated;
        counters.NetworkCorrupted += _impairmentCounters.NetworkCorrupted;
        long socketErrors = _gatewayUdp.SendFailures + _gatewayUdp.ReceiveFailures;
        foreach (UdpRadio r in _robotUdp)
        {
            socketErrors += r.SendFailures + r.ReceiveFailures;
        }

        counters.NetworkOverflowed += socketErrors;
    }

    public void Dispose()
    {
        foreach (Socket s in _sockets)
        {
            s.Dispose();
        }

        _sockets.Clear();
    }

    /// <summary>One select over every socket (up to <paramref name="timeoutMicroseconds"/>); robots with datagrams handle them.</summary>
    /// <returns>True when any socket was ready (the gateway's included).</returns>
    private bool Pump(int timeoutMicroseconds)
    {
        _selectList.Clear();
        _selectList.AddRange(_sockets);
        Socket.Select(_selectList, null, null, timeoutMicroseconds);
        foreach (Socket ready in _selectList)
        {
            if (_robotBySocket.TryGetValue(ready, out int robot))
            {
                _pumpRobot(robot);
            }
            else if (_attackerUdp is not null && ready != _gatewaySocket)
            {
                DrainAttacker(ready);
            }
        }

        return _selectList.Count > 0;
    }

    private static void DrainAttacker(Socket socket)
    {
        byte[] sink = new byte[512];
        while (socket.Available > 0)
        {
            socket.Receive(sink);
        }
    }

    private Socket Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sockets.Add(socket);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>The gateway's radio: while it waits for a frame, the robots run. Unicast and receive through the learning radio, broadcasts through the fan-out.</summary>
    private sealed class PumpingRadio(UdpFleetTransport transport, IRadio inner, IRadio broadcast) : IRadio
    {
        public bool Send(int destinationId, byte[] frame, int offset, int length) => inner.Send(destinationId, frame, offset, length);

        public bool Broadcast(byte[] frame, int offset, int length) => broadcast.Broadcast(frame, offset, length);

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
        {
            long deadline = Environment.TickCount64 + Math.Max(0, timeoutMs);
            while (true)
            {
                int length = inner.Receive(buffer, offset, capacity, 0);
                if (length > 0)
                {
                    return length;
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return 0;
                }

                transport.Pump((int)Math.Min(remaining, 2) * 1000);
            }
        }
    }
}
