using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// Issue 11, finding 3: an attacker without the key records one genuine PolicyRequest and replays it to the gateway
/// after every tick. Before the fix this reset the robot to "not ready" forever: no announcement after 500 ticks.
/// </summary>
public sealed class RolloutReplayTests
{
    private static DisseminatorOptions Options() => new() { FramesPerTick = 8, LeadTicks = 8, LingerTicks = 10 };

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void A_replayed_policy_request_cannot_stall_the_rollout(double loss)
    {
        byte[] oldImage = TestPolicies.Medium(1, TestPolicies.Key);
        byte[] newImage = TestPolicies.Medium(2, TestPolicies.Key);
        var fleet = new DeployFleet(n: 6, k: 3, loss: loss, 41, oldImage, newImage, Options());
        InMemoryRadio attacker = fleet.Network.Attach(999);
        DeployFleet.Robot victim = fleet.Robots[0];
        byte[]? recorded = null;
        int ticks = 0;

        // Whenever the victim acks, the attacker replays the recorded request right behind it, so the gateway's last word
        // on the victim is "missing chunks" when it decides whether to announce.
        victim.OnPolicyFrameSent = frame =>
        {
            if (recorded is not null && frame[FrameLayout.KindOffset] == (byte)FrameKind.PolicyAck)
            {
                attacker.Send(DeployFleet.GatewayId, recorded, 0, recorded.Length);
            }
        };
        while (!fleet.Disseminator.Finished && ticks < 500)
        {
            int readyBefore = fleet.Disseminator.RobotsReady;
            fleet.Tick();
            ticks++;

            // No robot reboots here, so the gateway's count of ready robots may only grow: a replay must not reset one.
            Assert.True(fleet.Disseminator.RobotsReady >= readyBefore, $"tick {ticks}: ready robots fell from {readyBefore} to {fleet.Disseminator.RobotsReady}");
            recorded ??= victim.SentPolicyFrames.FirstOrDefault(f => f[FrameLayout.KindOffset] == (byte)FrameKind.PolicyRequest);
            if (recorded is not null)
            {
                // Replayed to the gateway, which hears it during its next tick.
                attacker.Send(DeployFleet.GatewayId, recorded, 0, recorded.Length);
            }
        }

        Assert.NotNull(recorded);
        Assert.True(fleet.Disseminator.Finished, $"rollout stalled: {fleet.Disseminator.RobotsReady}/6 ready after {ticks} ticks, {fleet.Disseminator.ChunksSent} chunk frames");
        Assert.Equal(fleet.NewCrc, victim.Store.CurrentCrc);
        Assert.True(fleet.Disseminator.ReplaysRefused > 0, "the replays reached the gateway and were refused");
        int chunks = RadioPolicyLayout.ChunkCount(newImage.Length);
        Assert.True(fleet.Disseminator.ChunksSent < 6 * chunks, $"{fleet.Disseminator.ChunksSent} chunk frames for {chunks} chunks");
    }
}

/// <summary>Issue 11, finding 3 (bound): with one robot offline and 30% loss the rollout still ends, naming the straggler.</summary>
public sealed class RolloutBoundTests
{
    [Theory]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    [InlineData(6UL)]
    [InlineData(7UL)]
    [InlineData(8UL)]
    [InlineData(9UL)]
    public void With_one_robot_offline_the_rollout_ends_within_the_bound_names_it_and_it_holds_safe_until_it_catches_up(ulong seed)
    {
        var options = new DisseminatorOptions { FramesPerTick = 8, LeadTicks = 8, LingerTicks = 10, GiveUpTicks = 60 };
        // Pumps run at ticks first … first + GiveUp + Lead + Linger + 1: the last one sees the linger over and finishes.
        int bound = options.GiveUpTicks + options.LeadTicks + options.LingerTicks + 2;
        byte[] oldImage = TestPolicies.Medium(1, TestPolicies.Key);
        byte[] newImage = TestPolicies.Medium(2, TestPolicies.Key);
        var fleet = new DeployFleet(n: 8, k: 3, loss: 0.3, seed, oldImage, newImage, options);
        DeployFleet.Robot offline = fleet.Robots[5];
        offline.Down = true;

        int ticks = 0;
        while (!fleet.Disseminator.Finished)
        {
            fleet.Tick();
            ticks++;
            Assert.True(ticks <= bound, $"rollout still running after the bound of {bound} ticks");
        }

        int[] stragglers = new int[8];
        Assert.Equal(1, fleet.Disseminator.CopyStragglers(stragglers, 0));
        Assert.Equal(offline.Id, stragglers[0]);
        uint T = fleet.Disseminator.SwitchTick;
        Assert.Equal(T, fleet.GatewaySwitchedAt);
        foreach (DeployFleet.Robot r in fleet.Robots.Where(r => r != offline))
        {
            Assert.Equal(fleet.NewCrc, r.Store.CurrentCrc);
            Assert.True(r.Receiver.SwitchedAtTick >= T);
        }

        Assert.Equal(fleet.OldCrc, offline.Store.CurrentCrc);

        // The straggler comes back: it hears the gateway's status polls, holds its safe action, fetches the image and switches.
        offline.Boot(fleet);
        int held = 0;
        for (int t = 0; t < 200 && fleet.Disseminator.StragglerCount > 0; t++)
        {
            fleet.Tick();
            held = Math.Max(held, offline.Node!.HeldSafe);
        }

        Assert.True(0 == fleet.Disseminator.StragglerCount, $"straggler left: joined {offline.Session.Joined} ({offline.Session.JoinsSent} joins), chunks {offline.Receiver.ChunksReceived}, refused {offline.Receiver.Refused}, hold {offline.Receiver.HoldSafeAction}, replays refused at the gateway {fleet.Disseminator.ReplaysRefused}");
        Assert.Equal(fleet.NewCrc, offline.Store.CurrentCrc);
        Assert.True(held > 0, "the straggler held its safe action while it caught up");
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: rollout ended after {ticks} ticks (bound {bound}), straggler {offline.Id} caught up, held safe {held} times");
    }
}
