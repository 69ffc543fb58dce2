using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Security;

/// <summary>
/// Issue 11, finding 5 (freshness across reboots): losing the gateway's persisted counter must not silence the fleet,
/// the counter wrap must not either, and a rebooted robot must act on no frame sent before its boot.
/// </summary>
public class RebootFreshnessTests
{
    private static FakePolicy Policy() => FakePolicy.Random(2, 3, 2, 3, 1, 2, 1);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_gateway_that_lost_its_persisted_counter_and_rebooted_does_not_silence_the_fleet(int filesLost)
    {
        // A gateway that has run for a while (its counter is far from 0) loses its persisted state and reboots.
        var fleet = new Fleet(Policy(), n: 4, k: 2, NetworkImpairments.None, seed: 11, firstSequence: 1_000_000);
        RunTicks(fleet, 10);
        fleet.RebootGateway(0);
        RunTicks(fleet, 10);
        fleet.RebootGateway(0);
        RunTicks(fleet, 10);
        uint epochBefore = fleet.Gateway.Epoch;
        fleet.RebootGateway(filesLost);
        int[] before = fleet.Robots.Select(r => r.BroadcastsApplied).ToArray();
        RunTicks(fleet, 40);

        // A bounded pause while robots notice and re-join is allowed; silence is not.
        for (int i = 0; i < fleet.Robots.Length; i++)
        {
            Assert.True(fleet.Robots[i].BroadcastsApplied - before[i] >= 25, $"robot {i} acted on {fleet.Robots[i].BroadcastsApplied - before[i]} of 40 broadcasts after the gateway lost its files");
        }

        // Whatever was lost, the gateway ends above every epoch it used before, and every robot is back in its roster.
        Assert.True(fleet.Gateway.Epoch > epochBefore, $"epoch {fleet.Gateway.Epoch} after {epochBefore}");
        Assert.Equal(fleet.Robots.Length, fleet.Gateway.RosterCount);
        TestContext.Current.TestOutputHelper?.WriteLine($"{filesLost} files lost: epoch {epochBefore} → {fleet.Gateway.Epoch}; robot 0 acted on {fleet.Robots[0].BroadcastsApplied - before[0]} of 40");
    }

    [Fact]
    public void Robots_keep_acting_across_the_gateway_counter_wrap()
    {
        // k + 1 = 3 frames a tick: the 32-bit counter wraps within the first 10 ticks.
        var fleet = new Fleet(Policy(), n: 4, k: 2, NetworkImpairments.None, seed: 12, firstSequence: 0xFFFFFFE0);
        RunTicks(fleet, 60);
        for (int i = 0; i < fleet.Robots.Length; i++)
        {
            Assert.True(fleet.Robots[i].BroadcastsApplied >= 45, $"robot {i} acted on {fleet.Robots[i].BroadcastsApplied} of 60 broadcasts across the wrap");
        }
    }

    [Fact]
    public void A_rebooted_robot_does_not_act_on_a_replayed_pre_reboot_broadcast_or_answer_a_replayed_poll()
    {
        var fleet = new Fleet(Policy(), n: 3, k: 2, NetworkImpairments.None, seed: 13);
        var recorder = new List<byte[]>();
        InMemoryRadio eavesdropper = fleet.Network.Attach(999, null);
        RunTicks(fleet, 5);
        byte[] buffer = new byte[FrameLayout.MaxFrameBytes];
        for (int length; (length = eavesdropper.Receive(buffer, 0, buffer.Length, 0)) > 0;)
        {
            recorder.Add(buffer.AsSpan(0, length).ToArray());
        }

        byte[] broadcast = recorder.Last(f => f[FrameLayout.KindOffset] == (byte)FrameKind.Broadcast);
        fleet.RebootRobot(0);
        var victim = fleet.Robots[0];
        eavesdropper.Broadcast(broadcast, 0, broadcast.Length);
        foreach (byte[] poll in recorder.Where(f => f[FrameLayout.KindOffset] == (byte)FrameKind.Poll))
        {
            eavesdropper.Broadcast(poll, 0, poll.Length);
        }

        fleet.Network.RunUntil(fleet.Network.Clock.NowMs() + 10);
        Assert.Equal(0, victim.BroadcastsApplied);
        Assert.Equal(0, victim.PollsAnswered);
        Assert.Equal(-1, victim.LastLocalAction);
    }

    private static void RunTicks(Fleet fleet, int ticks)
    {
        for (int t = 0; t < ticks; t++)
        {
            fleet.Tick();
        }
    }
}
