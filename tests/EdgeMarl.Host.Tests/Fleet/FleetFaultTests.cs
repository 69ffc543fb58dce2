using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Host.Fleet;
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Host.Tests.Fleet;

/// <summary>Crashes, gateway restarts, duplicated, reordered, corrupted and forged frames: runs complete and robots act only on genuine frames.</summary>
public class FleetFaultTests
{
    private static (FleetResult Result, List<string> Violations, int PolicyActions) RunInstrumented(FleetOptions options, Func<IRadio, IRadio>? underRobot = null)
    {
        (Game game, PolicyTable policy) = FleetFixtures.Zones(options.Robots, kMin: 1, k: 4);
        RecordingRadio? gateway = null;
        var radios = new LastFrameRadio[options.Robots];
        var actuators = new CheckingActuator[options.Robots];
        var violations = new List<string>();
        var hooks = new FleetHooks
        {
            GatewayRadio = inner => gateway = new RecordingRadio(inner),
            RobotRadio = (i, inner) => radios[i] = new LastFrameRadio(underRobot is null ? inner : underRobot(inner)),
            RobotActuator = (i, inner) => actuators[i] = new CheckingActuator(inner, radios[i], gateway!, violations, i),
        };
        FleetResult result = new FleetRunner(game, policy, options, hooks).Run();
        return (result, violations, actuators.Sum(a => a.PolicyActions));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void EveryFaultAtOnceInMemory(ulong seed)
    {
        var options = new FleetOptions
        {
            Robots = 25,
            K = 4,
            Episodes = 2,
            Ticks = 40,
            Seed = seed,
            Key = FleetFixtures.Key,
            Loss = 0.1,
            Duplicate = 0.2,
            Reorder = 0.2,
            Corrupt = 0.2,
            MaxDelayMs = 10,
            Forge = 0.5,
            CrashRate = 0.05,
            GatewayRestartRate = 0.05,
        };

        (FleetResult result, List<string> violations, int policyActions) = RunInstrumented(options);

        Assert.Empty(violations);
        Assert.True(policyActions > 500, $"only {policyActions} policy actions: the invariant was barely exercised");
        FleetCounters c = result.Counters;
        Assert.Equal(2 * 40, c.Ticks);
        Assert.Equal(c.PolicyActions, policyActions);
        Assert.All(result.EpisodeReturns, r => Assert.True(double.IsFinite(r)));
        Assert.True(c.Crashes > 0 && c.GatewayRestarts > 0 && c.ForgedSent > 0, "faults were injected");
        Assert.True(c.NetworkCorrupted > 0 && c.NetworkDuplicated > 0 && c.NetworkReordered > 0 && c.NetworkLost > 0);
        Assert.True(c.Rejected > 0, "corrupted and forged frames are rejected");
        Assert.True(c.Replayed > 0, "duplicated and overtaken gateway frames are dropped as not new");
        Assert.True(c.Lost > 0 && c.ReportsAccepted > 0);
        Assert.Equal(c.PollsSent, c.ReportsAccepted + c.Lost);
    }

    [Fact]
    public void CorruptionWithoutAuthenticationIsCaughtByTheCrc()
    {
        var options = new FleetOptions { Robots = 20, K = 4, Episodes = 1, Ticks = 40, Seed = 8, Corrupt = 0.3 };

        (FleetResult result, List<string> violations, int policyActions) = RunInstrumented(options);

        Assert.Empty(violations);
        Assert.True(policyActions > 300);
        Assert.True(result.Counters.NetworkCorrupted > 100);
        Assert.True(result.Counters.Rejected > 100);
    }

    [Fact]
    public void EveryFaultAtOnceOverLoopbackUdp()
    {
        var options = new FleetOptions
        {
            Robots = 6,
            K = 3,
            Episodes = 1,
            Ticks = 25,
            Seed = 4,
            Key = FleetFixtures.Key,
            Transport = FleetTransportKind.Udp,
            ReplyWindowMs = 30,
            Loss = 0.15,
            Duplicate = 0.2,
            Corrupt = 0.2,
            Forge = 0.5,
            CrashRate = 0.05,
            GatewayRestartRate = 0.05,
        };

        (FleetResult result, List<string> violations, int policyActions) = RunInstrumented(options);

        Assert.Empty(violations);
        Assert.True(policyActions > 50);
        Assert.Equal(25, result.Counters.Ticks);
        Assert.True(result.Counters.Rejected > 0 && result.Counters.ForgedSent > 0);
    }

    [Fact]
    public void LossCurveRunsCompleteAndPollSuccessFallsWithLoss()
    {
        (Game game, PolicyTable policy) = FleetFixtures.Zones(30, kMin: 1, k: 5);
        double previous = 1.1;
        foreach (double p in new[] { 0.0, 0.1, 0.2, 0.3, 0.5 })
        {
            var options = new FleetOptions { Robots = 30, K = 5, Episodes = 2, Ticks = 30, Seed = 12, Loss = p };
            FleetResult result = new FleetRunner(game, policy, options).Run();
            double success = result.Counters.PollSuccessRate;
            Assert.True(success < previous, $"p = {p}: poll success {success} not below {previous}");
            Assert.All(result.EpisodeReturns, r => Assert.True(double.IsFinite(r)));
            previous = success;
        }
    }

    [Fact]
    public void TheCheckerCatchesAnActionOnAFrameTheGatewayNeverSent()
    {
        // Negative control: an insider with the fleet key rewrites s_g in broadcasts; the frames are valid, so robots act
        // on them, and the instrumented actuators must report it.
        var codec = new FrameCodec(FleetRunner.FleetId, new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(FleetFixtures.Key));
        var options = new FleetOptions { Robots = 10, K = 3, Episodes = 1, Ticks = 5, Seed = 2, Key = FleetFixtures.Key };

        (_, List<string> violations, _) = RunInstrumented(options, inner => new TamperingRadio(inner, codec));

        Assert.NotEmpty(violations);
    }

    [Fact]
    public void ForgingWithoutAKeyIsRefused()
    {
        (Game game, PolicyTable policy) = FleetFixtures.Zones(5, kMin: 1, k: 2);
        Assert.Throws<ArgumentException>(() => new FleetRunner(game, policy, new FleetOptions { Robots = 5, Forge = 0.1 }));
    }
}

/// <summary>Re-encodes every received broadcast with another <c>s_g</c> under the fleet key (an insider; test only).</summary>
internal sealed class TamperingRadio(IRadio inner, FrameCodec codec) : IRadio
{
    private readonly DecodedFrame _frame = new();

    public bool Send(int destinationId, byte[] frame, int offset, int length) => inner.Send(destinationId, frame, offset, length);

    public bool Broadcast(byte[] frame, int offset, int length) => inner.Broadcast(frame, offset, length);

    public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
    {
        int length = inner.Receive(buffer, offset, capacity, timeoutMs);
        if (length > 0 && codec.Decode(buffer, offset, length, _frame) == FrameStatus.Ok && _frame.Kind == FrameKind.Broadcast)
        {
            length = codec.EncodeBroadcast(_frame.SenderId, _frame.Epoch, _frame.Tick, _frame.Sequence, (_frame.GlobalState + 1) % 5, _frame.GlobalAction, _frame.SampleCount, buffer, offset);
        }

        return length;
    }
}
