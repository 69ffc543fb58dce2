using BenchmarkDotNet.Attributes;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Bench;

internal sealed class ConstantSensor : ILocalStateSensor, IGlobalStateSensor
{
    public int ReadLocalState() => 2;
    public int ReadGlobalState() => 3;
}

internal sealed class NullActuator : IActuator
{
    public void Apply(int action) { }
    public void ShowStatus(bool healthy) { }
}

/// <summary>
/// Gateway tick compute on the zones shape (|S_g| = |S_l| = |A_g| = 5, n = 1000): sample k, encode k polls,
/// decode k reports, count, rank, look up, encode the broadcast. <c>RobotSideWork</c> is what the instant radio
/// does inside <c>GatewayTick</c> on the robots' behalf (decode k polls, encode k reports); subtract it for the
/// gateway alone.
/// </summary>
[MemoryDiagnoser]
public class GatewayTickBenchmarks
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private GatewayNode _gateway = null!;
    private FrameCodec _robotCodec = null!;
    private readonly byte[] _frame = new byte[FrameLayout.MaxFrameBytes];
    private readonly byte[] _poll = new byte[FrameLayout.MaxFrameBytes];
    private readonly DecodedFrame _decoded = new();
    private int _pollLength;

    [Params(10, 50)]
    public int K { get; set; }

    [Params(false, true)]
    public bool Authenticated { get; set; }

    private FrameCodec NewCodec() => Authenticated ? new FrameCodec(1, new HmacSha256Authenticator(Key)) : FrameCodec.InsecureUntaggedForHostSimulation(1);

    [GlobalSetup]
    public void Setup()
    {
        var policy = new BenchPolicy(5, 5, 5, 3, K);
        _robotCodec = NewCodec();
        var radio = new InstantGatewayRadio(NewCodec(), 1000);
        _gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 0, MaxRobots = 1000, SampleSize = K, ReplyWindowMs = 50, Seed = 1, JoinAcceptsPerTick = 1000, LeaseTicks = uint.MaxValue / 2 },
            policy, NewCodec(), radio, new SimulatedClock(), new ConstantSensor(), new NullActuator());
        for (int id = 1; id <= 1000; id++)
        {
            radio.InjectJoin(id); // 1,000 robots join, then ticks poll among them
        }

        _gateway.ServeJoins(0);
        _pollLength = _robotCodec.EncodePoll(0, 1, 1, 1, 7, _poll, 0);
    }

    [Benchmark]
    public int GatewayTick()
    {
        _gateway.Tick();
        return _gateway.LastGlobalAction;
    }

    [Benchmark]
    public int RobotSideWork()
    {
        int total = 0;
        for (int i = 0; i < K; i++)
        {
            _robotCodec.Decode(_poll, 0, _pollLength, _decoded);
            total += _robotCodec.EncodeReport(i, 1, _decoded.Tick, (uint)i, _decoded.Sequence, 2, _frame, 0);
        }

        return total;
    }
}

/// <summary>
/// Robot handling of one tick: decode a poll, read the sensor, encode and send the report; decode a broadcast,
/// draw a_l, apply it. <c>GatewayFrameEncodes</c> is the poll + broadcast encoding the instant radio does inside.
/// </summary>
[MemoryDiagnoser]
public class RobotBenchmarks
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private RobotNode _robot = null!;
    private InstantRobotRadio _radio = null!;
    private FrameCodec _gatewayCodec = null!;
    private readonly byte[] _frame = new byte[FrameLayout.MaxFrameBytes];
    private uint _sequence;

    [Params(false, true)]
    public bool Authenticated { get; set; }

    private FrameCodec NewCodec() => Authenticated ? new FrameCodec(1, new HmacSha256Authenticator(Key)) : FrameCodec.InsecureUntaggedForHostSimulation(1);

    [GlobalSetup]
    public void Setup()
    {
        var policy = new BenchPolicy(5, 5, 5, 3, 1);
        _gatewayCodec = NewCodec();
        _radio = new InstantRobotRadio(NewCodec(), 7);
        _robot = new RobotNode(
            new RobotOptions { RobotId = 7, GatewayId = 0, Seed = 1 },
            policy, NewCodec(), _radio, new SimulatedClock(), new ConstantSensor(), new NullActuator());
        _robot.EndTick();        // sends its Join
        _robot.ProcessPending(); // takes the JoinAccept
    }

    [Benchmark]
    public int RobotPollAndBroadcast()
    {
        _radio.Arm();
        _robot.ProcessPending();
        return _robot.LastLocalAction;
    }

    [Benchmark]
    public int GatewayFrameEncodes()
    {
        _sequence += 2;
        return _gatewayCodec.EncodePoll(0, 1, _sequence, _sequence, 7, _frame, 0)
            + _gatewayCodec.EncodeBroadcast(0, 1, _sequence, _sequence + 1, 1, 1, 10, _frame, 0);
    }
}
