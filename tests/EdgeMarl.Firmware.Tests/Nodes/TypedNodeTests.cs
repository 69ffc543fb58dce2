using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Nodes;

/// <summary>
/// Typed fleets on the nodes (docs/heterogeneity.md §8): robots report x = τ·|S_l| + s_l, the gateway counts (type, state)
/// classes and drops reports with x ≥ T·|S_l|.
/// </summary>
public class TypedNodeTests
{
    private const int T = 2;
    private const int L = 3;

    /// <summary>
    /// An attacker holding the fleet key (a stolen or mis-provisioned robot) answers its own poll with a correctly tagged report whose
    /// x is outside [0, T·|S_l|): the gateway counts the fault, drops the reply and decides from the other two, in range.
    /// Without the range check the forged x would index the count vector out of bounds (tried: the tick throws
    /// IndexOutOfRangeException for x = 6, and x = 0xFFFF).
    /// </summary>
    [Theory]
    [InlineData(T * L)]
    [InlineData(0xFFFF)]
    public void AForgedReportWithAnOutOfRangeClassIsCountedAndDropped(int forged)
    {
        var policy = FakePolicy.Random(globalStates: 2, localStates: T * L, globalActions: 4, localActions: 2, kMin: 1, k: 3, seed: 4);
        policy.RobotTypes = T;
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        byte[] key = new byte[32];
        key[3] = 9;
        var codec = new FrameCodec(1, new HmacSha256Authenticator(key));
        radio.OnSend = (destination, poll) =>
        {
            var d = new DecodedFrame();
            Assert.Equal(FrameStatus.Ok, codec.Decode(poll, 0, poll.Length, d));
            byte[] f = new byte[64];
            int x = destination switch
            {
                10 => 1,            // type 0, s_l = 1
                20 => L + 1,        // type 1, s_l = 1: a typed class the gateway must count at x = 4
                _ => forged,        // robot 30, the attacker
            };
            radio.Enqueue(f, codec.EncodeReport(destination, d.Epoch, d.Tick, 1, d.Sequence, x, f, 0));
        };
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 0, RobotIds = [10, 20, 30], SampleSize = 3, ReplyWindowMs = 10 },
            policy, codec, radio, clock, new SettableGlobalSensor { State = 1 }, null);
        ScriptedJoin.Admit(gateway, radio, codec, 10, 20, 30);

        gateway.Tick();

        int[] counts = new int[T * L];
        gateway.CopyCounts(counts, 0);
        Assert.Equal(T * L, gateway.ClassCount);
        Assert.Equal([0, 1, 0, 0, 1, 0], counts);
        Assert.Equal(2, gateway.LastReportCount);
        Assert.Equal(1, gateway.BadClassReports);
        Assert.Equal(1, gateway.Rejected);
        Assert.Equal(1, gateway.Lost);
        Assert.False(gateway.LastUsedFallback);
        Assert.Equal(policy.Expected(1, [0, 1, 0, 0, 1, 0]), gateway.LastGlobalAction);
    }

    [Fact]
    public void AnUntypedGatewayStillRefusesStatesAtOrAboveSl()
    {
        // T = 1: x = s_l, and s_l = |S_l| is out of range exactly as before robot types.
        var policy = FakePolicy.Random(globalStates: 1, localStates: L, globalActions: 3, localActions: 2, kMin: 1, k: 1, seed: 5);
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = FrameCodec.InsecureUntaggedForHostSimulation(1);
        radio.OnSend = (destination, poll) =>
        {
            var d = new DecodedFrame();
            codec.Decode(poll, 0, poll.Length, d);
            byte[] f = new byte[64];
            radio.Enqueue(f, codec.EncodeReport(destination, d.Epoch, d.Tick, 1, d.Sequence, L, f, 0));
        };
        var gateway = new GatewayNode(new GatewayOptions { GatewayId = 0, RobotIds = [7], SampleSize = 1, ReplyWindowMs = 10 }, policy, codec, radio, clock, new SettableGlobalSensor(), null);
        ScriptedJoin.Admit(gateway, radio, codec, 7);

        gateway.Tick();

        Assert.Equal((0, 1, L), (gateway.LastReportCount, gateway.BadClassReports, gateway.ClassCount));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ATypedRobotReportsItsClassAndDrawsFromItsTypesRow(int type)
    {
        // Row (s_g = 0, x) is deterministic: action x mod 3, so the row used shows in the action.
        int[] thresholds = new int[1 * T * L * 3];
        for (int x = 0; x < T * L; x++)
        {
            for (int a = 0; a < 3; a++)
            {
                thresholds[(x * 3) + a] = a >= x % 3 ? 256 : 0;
            }
        }

        var policy = new FakePolicy(1, T * L, 2, 3, 1, 1, [null!, new int[T * L]], thresholds) { RobotTypes = T };
        (RobotNode robot, ScriptedRadio radio, RecordingActuator actuator, FrameCodec codec) = Robot(policy, type, state: 1);
        byte[] f = new byte[64];

        radio.Enqueue(f, codec.EncodePoll(0, 1, 1, 1, robot.RobotId, f, 0));
        radio.Enqueue(f, codec.EncodeBroadcast(0, 1, 1, 2, 0, 0, 1, f, 0));
        robot.ProcessPending();

        var (_, report) = Assert.Single(radio.Sent);
        var d = new DecodedFrame();
        Assert.Equal(FrameStatus.Ok, codec.Decode(report, 0, report.Length, d));
        Assert.Equal((type * L) + 1, d.LocalState);
        Assert.Equal(((type * L) + 1) % 3, actuator.LastAction);
        Assert.Equal(0, robot.TypeFaults);
    }

    [Fact]
    public void ARobotWhoseTypeThePolicyLacksSendsNoReportAndHoldsTheSafeAction()
    {
        var policy = FakePolicy.Random(globalStates: 1, localStates: T * L, globalActions: 2, localActions: 3, kMin: 1, k: 1, seed: 6);
        policy.RobotTypes = T;
        (RobotNode robot, ScriptedRadio radio, RecordingActuator actuator, FrameCodec codec) = Robot(policy, type: T, state: 0);
        byte[] f = new byte[64];

        radio.Enqueue(f, codec.EncodePoll(0, 1, 1, 1, robot.RobotId, f, 0));
        radio.Enqueue(f, codec.EncodeBroadcast(0, 1, 1, 2, 0, 1, 1, f, 0));
        robot.ProcessPending();

        Assert.Empty(radio.Sent);
        Assert.Equal(2, robot.TypeFaults);
        Assert.Equal(2, actuator.LastAction); // the safe action
        Assert.Equal(0, robot.BroadcastsApplied);
    }

    /// <summary>
    /// The class travels in the report's u16 state field: every x a typed fleet can have (T·|S_l| ≤ 65,535) gives the same frame,
    /// 38 bytes tagged (30 untagged), so a typed tick's frames are exactly an untyped tick's and all stay ≤ 250 B.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(0xFFFF)]
    public void AReportIsTheSameSizeForEveryClass(int x)
    {
        var tagged = new FrameCodec(1, new HmacSha256Authenticator(new byte[32]));
        var untagged = FrameCodec.InsecureUntaggedForHostSimulation(1);
        byte[] f = new byte[FrameLayout.MaxFrameBytes];

        int length = tagged.EncodeReport(7, 1, 2, 3, 4, x, f, 0);
        var d = new DecodedFrame();
        Assert.Equal(FrameStatus.Ok, tagged.Decode(f, 0, length, d));

        Assert.Equal(x, d.LocalState);
        Assert.Equal(38, length);
        Assert.Equal(30, untagged.EncodeReport(7, 1, 2, 3, 4, x, f, 0));
        Assert.True(length <= FrameLayout.MaxFrameBytes);
    }

    private static (RobotNode Robot, ScriptedRadio Radio, RecordingActuator Actuator, FrameCodec Codec) Robot(FakePolicy policy, int type, int state)
    {
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = FrameCodec.InsecureUntaggedForHostSimulation(5);
        var actuator = new RecordingActuator(3);
        var robot = new RobotNode(
            new RobotOptions { RobotId = 42, GatewayId = 0, Seed = 1, SafeAction = 2, TickPeriodMs = 10, RobotType = type },
            policy, codec, radio, clock, new SettableLocalSensor { State = state }, actuator);
        RobotNodeTests.JoinAt(robot, radio, codec, epoch: 1, floor: 0);
        return (robot, radio, actuator, codec);
    }
}
