using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.HostAdapters;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// The deterministic transport: one <see cref="InMemoryNetwork"/> on its simulated clock, robots attached with a hook
/// that pumps them as frames arrive. A tick starts at a multiple of the tick period; the gateway waits (in simulated
/// time) up to its reply window; <see cref="Settle"/> runs the network to the end of the period.
/// </summary>
internal sealed class MemoryFleetTransport : IFleetTransport
{
    private readonly InMemoryNetwork _network;
    private readonly InMemoryRadio[] _robots;
    private readonly int _tickPeriodMs;
    private long _tickStart;

    public MemoryFleetTransport(FleetOptions options, ulong seed, Action<int> pumpRobot)
    {
        var impairments = new NetworkImpairments
        {
            LossProbability = options.Loss,
            DuplicateProbability = options.Duplicate,
            CorruptProbability = options.Corrupt,
            ReorderProbability = options.Reorder,
            MinDelayMs = 0,
            MaxDelayMs = options.MaxDelayMs,
        };
        int n = options.Robots;

        // Room for a broadcast to everyone, duplicated, plus frames overtaken into the next tick.
        _network = new InMemoryNetwork(impairments, seed, poolFrames: (3 * n) + 4096, inboxCapacity: 1024);
        _tickPeriodMs = options.TickPeriodMs;
        GatewayRadio = _network.Attach(FleetRunner.GatewayId);
        _robots = new InMemoryRadio[n];
        for (int i = 0; i < n; i++)
        {
            int robot = i;
            _robots[i] = _network.Attach(i, () => pumpRobot(robot));
        }

        if (options.Forge > 0)
        {
            InMemoryRadio? attacker = null;
            byte[] sink = new byte[256];
            attacker = _network.Attach(FleetRunner.AttackerId, () =>
            {
                while (attacker!.Receive(sink, 0, sink.Length, 0) > 0)
                {
                }
            });
            AttackerRadio = attacker;
        }
    }

    public IClock Clock => _network.Clock;

    public IRadio GatewayRadio { get; }

    public IRadio? AttackerRadio { get; }

    public IAddressLearner? GatewayAddressLearner => null;

    public IRadio RobotRadio(int robot) => _robots[robot];

    public void BeginTick()
    {
        // Ticks start on the period grid; a tick that ran long starts the next one at once.
        _network.RunUntil(_tickStart);
        _tickStart = Math.Max(_tickStart, _network.Clock.NowMs());
    }

    public void Settle()
    {
        _tickStart += _tickPeriodMs;
        _network.RunUntil(_tickStart);
    }

    public void AddCounters(FleetCounters counters)
    {
        counters.NetworkLost += _network.Lost;
        counters.NetworkDuplicated += _network.Duplicated;
        counters.NetworkCorrupted += _network.Corrupted;
        counters.NetworkReordered += _network.Reordered;
        counters.NetworkOverflowed += _network.Overflowed;
    }

    public void Dispose()
    {
    }
}
