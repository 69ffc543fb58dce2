using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Nodes;

public class RobotNodeTests
{
    private const int Gateway = 0;
    private const int Me = 42;

    /// <summary>|S_g| = 2, |S_l| = 3, |A_l| = 3; π_l(· | s_l = 2, s_g = 1) = (64, 128, 64) / 256.</summary>
    private static FakePolicy Policy()
    {
        int[] thresholds = new int[2 * 3 * 3];
        for (int row = 0; row < 6; row++)
        {
            thresholds[(row * 3) + 0] = 256;
            thresholds[(row * 3) + 1] = 256;
            thresholds[(row * 3) + 2] = 256;
        }

        int target = ((1 * 3) + 2) * 3;
        thresholds[target] = 64;
        thresholds[target + 1] = 192;
        thresholds[target + 2] = 256;
        return new FakePolicy(2, 3, 2, 3, 1, 2, [null!, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], thresholds);
    }

    private static (RobotNode Robot, ScriptedRadio Radio, RecordingActuator Actuator, SettableLocalSensor Sensor, FrameCodec Codec) Make(ulong seed, int silentTicks = 3, IFrameAuthenticator? auth = null)
    {
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = auth is null ? FrameCodec.InsecureUntaggedForHostSimulation(5) : new FrameCodec(5, auth);
        var actuator = new RecordingActuator(3);
        var sensor = new SettableLocalSensor { State = 2 };
        var robot = new RobotNode(
            new RobotOptions { RobotId = Me, GatewayId = Gateway, Seed = seed, SilentTicksBeforeSafeAction = silentTicks, SafeAction = 0, TickPeriodMs = 10 },
            Policy(), codec, radio, clock, sensor, actuator);
        JoinAt(robot, radio, codec, epoch: 1, floor: 0);
        return (robot, radio, actuator, sensor, codec);
    }

    /// <summary>The robot sends its Join (at its first EndTick); the gateway answers with the floor (epoch, sequence).</summary>
    internal static void JoinAt(RobotNode robot, ScriptedRadio radio, FrameCodec codec, uint epoch, uint floor)
    {
        robot.EndTick();
        var (destination, join) = Assert.Single(radio.Sent);
        var d = new DecodedFrame();
        Assert.Equal(FrameStatus.Ok, codec.Decode(join, 0, join.Length, d));
        Assert.Equal((Gateway, FrameKind.Join), (destination, d.Kind));
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeJoinAccept(Gateway, epoch, 0, floor, robot.RobotId, d.Nonce, 1000, f, 0));
        robot.ProcessPending();
        Assert.True(robot.Session.Joined);
        radio.Sent.Clear();
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void ActionFrequenciesMatchPiLWithinTheChiSquareBound(ulong seed)
    {
        var (robot, radio, actuator, _, codec) = Make(seed);
        const int draws = 6000;
        byte[] f = new byte[64];
        for (uint i = 1; i <= draws; i++)
        {
            radio.Enqueue(f, codec.EncodeBroadcast(Gateway, 1, i, i, 1, 0, 1, f, 0));
        }

        Assert.Equal(draws, robot.ProcessPending());
        Assert.Equal(draws, robot.BroadcastsApplied);

        // Pearson χ² with df = |A_l| − 1 = 2; 13.82 is its 99.9 % quantile. Fixed seeds make this deterministic;
        // the same counts against a wrong π (uniform) give χ² ≈ 750, so the bound has power.
        double[] pi = [0.25, 0.5, 0.25];
        Assert.True(ChiSquare(actuator.Counts, pi, draws) < 13.82, $"χ² = {ChiSquare(actuator.Counts, pi, draws)}");
        Assert.True(ChiSquare(actuator.Counts, [1 / 3.0, 1 / 3.0, 1 / 3.0], draws) > 13.82);
    }

    private static double ChiSquare(int[] observed, double[] p, int n) =>
        observed.Select((o, a) => (o - (n * p[a])) * (o - (n * p[a])) / (n * p[a])).Sum();

    [Fact]
    public void TheSafeActionIsAppliedAfterTheConfiguredSilenceAndEveryTickUntilABroadcast()
    {
        var (robot, radio, actuator, _, codec) = Make(seed: 1, silentTicks: 3);
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeBroadcast(Gateway, 1, 1, 1, 0, 0, 1, f, 0)); // (s_g 0, s_l 2) → action 0 w.p. 1
        robot.ProcessPending();
        robot.EndTick();
        Assert.Equal(0, robot.SilentTicks);

        robot.EndTick();
        robot.EndTick();
        Assert.Equal(0, robot.SafeActionsApplied);
        robot.EndTick(); // third silent tick
        Assert.Equal(1, robot.SafeActionsApplied);
        Assert.False(actuator.LastStatus);
        robot.EndTick();
        Assert.Equal(2, robot.SafeActionsApplied);

        radio.Enqueue(f, codec.EncodeBroadcast(Gateway, 1, 2, 2, 0, 0, 1, f, 0));
        robot.Tick(); // Run for the tick period on the scripted clock, then EndTick
        Assert.Equal(0, robot.SilentTicks);
        Assert.True(actuator.LastStatus);
        Assert.Equal(2, robot.SafeActionsApplied);
    }

    [Fact]
    public void PollsAreAnsweredWithTheSensorStateEchoingThePollSequence()
    {
        var (robot, radio, _, sensor, codec) = Make(seed: 1);
        sensor.State = 1;
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodePoll(Gateway, 1, 17, 300, Me, f, 0));
        robot.ProcessPending();

        var (destination, frame) = Assert.Single(radio.Sent);
        var d = new DecodedFrame();
        Assert.Equal(FrameStatus.Ok, codec.Decode(frame, 0, frame.Length, d));
        Assert.Equal((Gateway, FrameKind.Report, Me, 17u, 300u, 1), (destination, d.Kind, d.SenderId, d.Tick, d.EchoSequence, d.LocalState));
    }

    [Fact]
    public void ReplayedForgedAndMisaddressedFramesAreDroppedAndCounted()
    {
        byte[] key = Enumerable.Repeat((byte)3, 32).ToArray();
        var (robot, radio, actuator, sensor, codec) = Make(seed: 1, auth: new HmacSha256Authenticator(key));
        var forger = new FrameCodec(5, new HmacSha256Authenticator(new byte[32]));
        byte[] f = new byte[64];
        int n = codec.EncodeBroadcast(Gateway, 1, 10, 10, 1, 0, 1, f, 0);
        byte[] captured = f.AsSpan(0, n).ToArray();
        radio.Enqueue(captured, n);
        radio.Enqueue(captured, n);                                                      // replay of the same frame
        radio.Enqueue(f, codec.EncodeBroadcast(Gateway, 1, 9, 9, 1, 0, 1, f, 0));          // older sequence
        radio.Enqueue(f, codec.EncodePoll(Gateway, 1, 11, 11, Me + 1, f, 0));              // poll for another robot
        radio.Enqueue(f, codec.EncodeBroadcast(Gateway + 1, 1, 11, 12, 1, 0, 1, f, 0));    // not from our gateway
        radio.Enqueue(f, forger.EncodeBroadcast(Gateway, 1, 12, 13, 1, 0, 1, f, 0));       // forged
        robot.ProcessPending();
        sensor.State = -1;
        radio.Enqueue(f, codec.EncodePoll(Gateway, 1, 12, 14, Me, f, 0));                  // valid poll, but the sensor fails
        robot.ProcessPending();

        Assert.Equal(1, robot.BroadcastsApplied);
        Assert.Equal(1, actuator.Applied);
        Assert.Equal(2, robot.Replayed);
        Assert.Equal(2, robot.Foreign);
        Assert.Equal(1, robot.Rejected);
        Assert.Equal(FrameStatus.BadTag, robot.LastRejectStatus);
        Assert.Equal(1, robot.SensorFaults);
        Assert.Empty(radio.Sent); // no answer is better than a wrong one
    }

    [Fact]
    public void ABroadcastThePolicyCannotServeAppliesTheSafeAction()
    {
        var (robot, radio, actuator, _, codec) = Make(seed: 1);
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeBroadcast(Gateway, 1, 1, 1, 9, 0, 1, f, 0)); // s_g = 9 ∉ S_g
        robot.ProcessPending();

        Assert.Equal(1, robot.PolicyFaults);
        Assert.Equal(0, actuator.LastAction);
        Assert.False(actuator.LastStatus);
    }
}
