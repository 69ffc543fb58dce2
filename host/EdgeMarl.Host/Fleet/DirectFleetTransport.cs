using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// The fast in-memory transport for zero-delay runs (no reordering, no delay): a send copies the frame into the
/// destination's inbox and, for a robot, pumps it at once; a wait with nothing to read moves the simulated clock to its
/// timeout. Frames reach each node in send order, as on <see cref="InMemoryNetwork"/> with zero delay, so both memory
/// transports give the same run; this one skips the in-flight heap. Loss, duplication and bit flips are drawn per copy
/// from one seeded generator (<see cref="ImpairedRadio"/>). Single-threaded; the pumping is not re-entered.
/// </summary>
internal sealed class DirectFleetTransport : IFleetTransport
{
    /// <summary>Frames a robot's inbox holds: a poll, a broadcast, and room for duplicates and forgeries in one tick.</summary>
    private const int RobotInboxFrames = 16;

    private readonly SimulatedClock _clock = new();
    private readonly Inbox[] _inboxes;
    private readonly IRadio[] _robotRadios;
    private readonly Action<int> _pumpRobot;
    private readonly FleetCounters _counters = new();
    private readonly int _tickPeriodMs;
    private readonly int _robots;
    private readonly Queue<int> _toPump = new();
    private readonly bool[] _queued;
    private bool _pumping;
    private long _tickStart;

    public DirectFleetTransport(FleetOptions options, int k, ulong seed, Action<int> pumpRobot)
    {
        _pumpRobot = pumpRobot;
        _tickPeriodMs = options.TickPeriodMs;
        _robots = options.Robots;
        int nodes = _robots + 2; // robots 0 … n−1, then the gateway, then the attacker
        _inboxes = new Inbox[nodes];
        for (int i = 0; i < nodes; i++)
        {
            // The gateway takes up to k reports per tick, duplicated, plus forgeries.
            _inboxes[i] = new Inbox(i < _robots ? RobotInboxFrames : 64 + (4 * k));
        }

        _queued = new bool[_robots];
        var rng = new Pcg32(seed, 0xD1);
        int[] robotIds = Enumerable.Range(0, _robots).ToArray();
        bool clean = ImpairedRadio.IsClean(options);
        GatewayRadio = clean ? new Port(this, _robots) : new ImpairedRadio(new Port(this, _robots), robotIds, options, rng, _counters);
        _robotRadios = new IRadio[_robots];
        for (int i = 0; i < _robots; i++)
        {
            _robotRadios[i] = clean ? new Port(this, i) : new ImpairedRadio(new Port(this, i), [FleetRunner.GatewayId], options, rng, _counters);
        }

        if (options.Forge > 0)
        {
            AttackerRadio = new Port(this, _robots + 1);
        }
    }

    public IClock Clock => _clock;

    public IRadio GatewayRadio { get; }

    public IRadio? AttackerRadio { get; }

    public IAddressLearner? GatewayAddressLearner => null;

    /// <summary>Returns whether the transport can carry <paramref name="options"/> (no delay, no reordering).</summary>
    public static bool Supports(FleetOptions options) => options.MaxDelayMs == 0 && options.Reorder <= 0;

    public IRadio RobotRadio(int robot) => _robotRadios[robot];

    public void BeginTick() => _tickStart = Math.Max(_tickStart, _clock.NowMs());

    public void Settle()
    {
        PumpQueued();
        _tickStart += _tickPeriodMs;
        _clock.AdvanceTo(_tickStart);
        _inboxes[_robots + 1].Clear();
    }

    public void AddCounters(FleetCounters counters)
    {
        counters.NetworkLost += _counters.NetworkLost;
        counters.NetworkDuplicated += _counters.NetworkDuplicated;
        counters.NetworkCorrupted += _counters.NetworkCorrupted;
        counters.NetworkOverflowed += _counters.NetworkOverflowed;
        foreach (Inbox inbox in _inboxes)
        {
            counters.NetworkOverflowed += inbox.Overflowed;
        }
    }

    public void Dispose()
    {
    }

    private int IndexOf(int id) => id == FleetRunner.GatewayId ? _robots : id == FleetRunner.AttackerId ? _robots + 1 : id >= 0 && id < _robots ? id : -1;

    private bool Deliver(int sender, int destinationId, byte[] frame, int offset, int length)
    {
        int index = IndexOf(destinationId);
        if (index < 0 || index == sender || length > FrameLayout.MaxFrameBytes)
        {
            _counters.NetworkOverflowed++;
            return false;
        }

        _inboxes[index].Put(frame, offset, length);
        if (index < _robots)
        {
            if (!_pumping)
            {
                // The common case (a gateway send): pump the robot now, then anything it queued.
                _pumping = true;
                try
                {
                    _pumpRobot(index);
                }
                finally
                {
                    _pumping = false;
                }

                PumpQueued();
            }
            else if (!_queued[index])
            {
                _queued[index] = true;
                _toPump.Enqueue(index);
            }
        }

        return true;
    }

    private void PumpQueued()
    {
        if (_pumping || _toPump.Count == 0)
        {
            return;
        }

        _pumping = true;
        try
        {
            while (_toPump.TryDequeue(out int robot))
            {
                _queued[robot] = false;
                _pumpRobot(robot);
            }
        }
        finally
        {
            _pumping = false;
        }
    }

    private int Receive(int node, byte[] buffer, int offset, int capacity, int timeoutMs)
    {
        int length = _inboxes[node].Take(buffer, offset, capacity);
        if (length == 0 && timeoutMs > 0)
        {
            // Nothing is in flight on a zero-delay network: waiting only lets time pass.
            _clock.Advance(timeoutMs);
        }

        return length;
    }

    /// <summary>A bounded FIFO of frames, storage made once.</summary>
    private sealed class Inbox(int capacity)
    {
        private readonly byte[]?[] _frames = new byte[capacity][]; // slots made on first use: most inboxes see two frames a tick
        private readonly int[] _lengths = new int[capacity];
        private int _head;
        private int _count;

        public long Overflowed { get; private set; }

        public void Put(byte[] frame, int offset, int length)
        {
            if (_count == _frames.Length)
            {
                Overflowed++;
                return;
            }

            int slot = (_head + _count) % _frames.Length;
            Array.Copy(frame, offset, _frames[slot] ??= new byte[FrameLayout.MaxFrameBytes], 0, length);
            _lengths[slot] = length;
            _count++;
        }

        public int Take(byte[] buffer, int offset, int capacity)
        {
            while (_count > 0)
            {
                int slot = _head;
                int length = _lengths[slot];
                _head = (_head + 1) % _frames.Length;
                _count--;
                if (length <= capacity)
                {
                    Array.Copy(_frames[slot]!, 0, buffer, offset, length);
                    return length;
                }
            }

            return 0;
        }

        public void Clear() => _count = 0;
    }

    /// <summary>One node's attachment.</summary>
    private sealed class Port(DirectFleetTransport transport, int node) : IRadio
    {
        public bool Send(int destinationId, byte[] frame, int offset, int length) => transport.Deliver(node, destinationId, frame, offset, length);

        public bool Broadcast(byte[] frame, int offset, int length)
        {
            bool ok = true;
            for (int i = 0; i < transport._robots; i++)
            {
                if (i != node)
                {
                    ok &= transport.Deliver(node, i, frame, offset, length);
                }
            }

            return ok;
        }

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs) => transport.Receive(node, buffer, offset, capacity, timeoutMs);
    }
}
