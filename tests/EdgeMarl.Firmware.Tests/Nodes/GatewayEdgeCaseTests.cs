using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Nodes;

/// <summary>Degenerate sizes and the bytes the gateway puts on the wire.</summary>
public class GatewayEdgeCaseTests
{
    [Fact]
    public void EachTickSendsOnePollToEachSampledRobotThenOneBroadcast()
    {
        var policy = FakePolicy.Random(2, 2, 3, 2, kMin: 1, k: 3, seed: 1);
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = FrameCodec.InsecureUntaggedForHostSimulation(3);
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 9, RobotIds = [100, 200, 300, 400, 500], SampleSize = 3, ReplyWindowMs = 5, FirstSequence = 41, FirstTick = 6 },
            policy, codec, radio, clock, new SettableGlobalSensor { State = 1 }, null);
        ScriptedJoin.Admit(gateway, radio, codec, 100, 200, 300, 400, 500);
        Assert.Equal(46u, gateway.LastSequence); // five join accepts after sequence 41

        gateway.Tick();

        int[] sampled = new int[3];
        gateway.CopySampledIds(sampled, 0);
        Assert.Equal(sampled, radio.Sent.Select(s => s.Destination));
        var d = new DecodedFrame();
        for (int i = 0; i < 3; i++)
        {
            byte[] frame = radio.Sent[i].Frame;
            Assert.Equal(FrameStatus.Ok, codec.Decode(frame, 0, frame.Length, d));
            Assert.Equal((FrameKind.Poll, 9, 7u, 47u + (uint)i, sampled[i], 1u), (d.Kind, d.SenderId, d.Tick, d.Sequence, d.TargetId, d.Epoch));
        }

        byte[] broadcast = Assert.Single(radio.Broadcasts);
        Assert.Equal(FrameStatus.Ok, codec.Decode(broadcast, 0, broadcast.Length, d));
        Assert.Equal((FrameKind.Broadcast, 7u, 50u, 0), (d.Kind, d.Tick, d.Sequence, d.SampleCount));
        Assert.Equal(5, clock.NowMs()); // waited exactly the reply window for the missing answers
    }

    [Theory]
    [InlineData(1, 1, 1)] // one robot, always polled
    [InlineData(4, 4, 3)] // k = n
    [InlineData(4, 2, 1)] // |S_l| = 1: every count vector is (k')
    [InlineData(3, 0, 2)] // k = 0: the decision comes from the k' = 0 table alone
    public void DegenerateSizesStillDecideFromTheTable(int n, int k, int localStates)
    {
        var policy = FakePolicy.Random(globalStates: 2, localStates, globalActions: 4, localActions: 2, kMin: 0, k: Math.Max(k, 1), seed: 3);
        var fleet = new Fleet(policy, n, k, NetworkImpairments.None, seed: 2);
        for (int t = 0; t < 20; t++)
        {
            fleet.GlobalSensor.State = t % 2;
            for (int i = 0; i < n; i++)
            {
                fleet.Sensors[i].State = (t + i) % localStates;
            }

            fleet.Tick();
            int[] ids = new int[k];
            fleet.Gateway.CopySampledIds(ids, 0);
            int[] counts = new int[localStates];
            foreach (int id in ids)
            {
                counts[fleet.TrueState(id)]++;
            }

            Assert.Equal(k, fleet.Gateway.LastReportCount);
            Assert.False(fleet.Gateway.LastUsedFallback);
            Assert.Equal(policy.Expected(t % 2, counts), fleet.Gateway.LastGlobalAction);
        }
    }

    [Fact]
    public void ARobotThatNeverAnswersCostsOnlyItsOwnSlot()
    {
        var policy = FakePolicy.Random(globalStates: 2, localStates: 3, globalActions: 4, localActions: 2, kMin: 1, k: 3, seed: 6);
        var fleet = new Fleet(policy, n: 4, k: 3, NetworkImpairments.None, seed: 5);
        int mute = fleet.RobotIds[2];
        fleet.Sensors[2].State = -1; // sensor fault: the robot stays silent rather than report a wrong state
        int[] ids = new int[3];
        int[] states = new int[3];
        int timesSampled = 0;
        for (int t = 0; t < 50; t++)
        {
            fleet.Tick();
            fleet.Gateway.CopySampledIds(ids, 0);
            fleet.Gateway.CopySampledStates(states, 0);
            bool muteSampled = ids.Contains(mute);
            timesSampled += muteSampled ? 1 : 0;
            Assert.Equal(muteSampled ? 2 : 3, fleet.Gateway.LastReportCount);
            Assert.All(ids.Zip(states), p => Assert.Equal(p.First == mute ? -1 : 0, p.Second));
        }

        Assert.Equal(timesSampled, fleet.Gateway.Lost);
        // The mute robot also cannot act on any of the 50 broadcasts: it applies its safe action instead.
        Assert.Equal(timesSampled + 50, fleet.Robots[2].SensorFaults);
        Assert.Equal(50, fleet.Robots[2].SafeActionsApplied);
        Assert.True(timesSampled > 0);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3, 2 })]
    [InlineData(new[] { 7, 7 })]
    [InlineData(new[] { 1, 0 })] // equal to the gateway id
    [InlineData(new[] { 1, 70000 })] // beyond 16 bits
    public void AnInvalidRosterIsRefused(int[] robotIds)
    {
        var policy = FakePolicy.Random(2, 2, 3, 2, kMin: 1, k: 2, seed: 1);
        var clock = new SimulatedClock();
        Assert.Throws<ArgumentException>(() => new GatewayNode(
            new GatewayOptions { GatewayId = 0, RobotIds = robotIds, SampleSize = 2 },
            policy, FrameCodec.InsecureUntaggedForHostSimulation(1), new ScriptedRadio(clock), clock, new SettableGlobalSensor(), null));
    }
}
