using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// Issue 11, findings 2 and 5: after a robot reboots, a recorded chunk of an OLD rollout (its image still sits in the
/// robot's free slot) replayed with a tick at or after its switch tick must neither switch the robot back nor stop it
/// acting on the current fleet policy.
/// </summary>
public sealed class RebootReplayTests
{
    private static DisseminatorOptions Options() => new() { FramesPerTick = 8, LeadTicks = 4, LingerTicks = 4 };

    [Fact]
    public void A_rebooted_robot_ignores_a_replayed_chunk_of_an_old_rollout()
    {
        byte[] v1 = TestPolicies.Medium(1, TestPolicies.Key);
        byte[] v2 = TestPolicies.Medium(2, TestPolicies.Key);
        byte[] v3 = TestPolicies.Medium(3, TestPolicies.Key);

        // Yesterday: the fleet rolled out v2; an eavesdropper recorded a status poll of it sent after its switch tick.
        var yesterday = new DeployFleet(n: 3, k: 2, loss: 0, 51, v1, v2, Options());
        InMemoryRadio recorder = yesterday.Network.Attach(999);
        byte[]? oldChunk = null;
        byte[] buffer = new byte[FrameLayout.MaxFrameBytes];
        var decoded = new DecodedFrame();
        var codec = new FrameCodec(DeployFleet.FleetId, new HmacSha256Authenticator(TestPolicies.Key));
        for (int t = 0; t < 200 && !yesterday.Disseminator.Finished; t++)
        {
            yesterday.Tick();
            for (int length; (length = recorder.Receive(buffer, 0, buffer.Length, 0)) > 0;)
            {
                if (buffer[FrameLayout.KindOffset] == (byte)FrameKind.PolicyChunk && codec.Decode(buffer, 0, length, decoded) == FrameStatus.Ok
                    && yesterday.Disseminator.SwitchTick != 0 && decoded.Tick >= yesterday.Disseminator.SwitchTick)
                {
                    oldChunk = buffer.AsSpan(0, length).ToArray();
                }
            }
        }

        Assert.NotNull(oldChunk);

        // Today: the same fleet rolls out v3; each robot's free slot now holds v2.
        var today = new DeployFleet(n: 3, k: 2, loss: 0, 52, v2, v3, Options());
        for (int t = 0; t < 200 && !today.Disseminator.Finished; t++)
        {
            today.Tick();
        }

        Assert.True(today.Disseminator.Finished);
        DeployFleet.Robot victim = today.Robots[0];
        Assert.Equal(today.NewCrc, victim.Store.CurrentCrc);

        // The victim reboots; the attacker replays yesterday's chunk at it before anything else.
        victim.Boot(today);
        InMemoryRadio attacker = today.Network.Attach(998);
        attacker.Send(victim.Id, oldChunk!, 0, oldChunk!.Length);
        today.Network.RunUntil(today.Network.Clock.NowMs() + 10);
        for (int t = 0; t < 20; t++)
        {
            today.Tick();
        }

        Assert.Equal(today.NewCrc, victim.Store.CurrentCrc);
        Assert.False(victim.Receiver.HoldSafeAction, "the replayed old announcement made the robot hold its safe action (silenced)");
        Assert.Equal(0, victim.Node!.HeldSafe);
        Assert.True(victim.ActedWith.Count > 0, "the robot acts with the fleet's policy again");
    }
}
