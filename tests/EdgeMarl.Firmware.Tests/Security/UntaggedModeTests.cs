using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Security;

/// <summary>
/// Finding 4 of issue 11: untagged mode let one forged broadcast with sequence 0xFFFFFFFF be acted on and then lock
/// the robot out of every genuine broadcast. Firmware must not be buildable untagged by accident.
/// </summary>
public class UntaggedModeTests
{
    [Fact]
    public void ACodecCannotBeBuiltWithoutAnAuthenticator()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new FrameCodec(1, null!));
        Assert.Contains("insecure", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheExplicitInsecureCodecSaysSoAndIsUntagged()
    {
        FrameCodec codec = FrameCodec.InsecureUntaggedForHostSimulation(1);
        Assert.False(codec.Authenticated);
    }

    [Fact]
    public void AForgedMaxSequenceBroadcastIsIgnoredAndGenuineBroadcastsKeepWorking()
    {
        var fleet = new Fleet(FakePolicy.Random(2, 3, 2, 3, 1, 2, 1), n: 3, k: 2, NetworkImpairments.None, seed: 5);
        fleet.Tick();
        int before = fleet.Robots[0].BroadcastsApplied;

        // The attacker has no key: the best it can send is an untagged frame (or one tagged with a guessed key).
        var attacker = FrameCodec.InsecureUntaggedForHostSimulation(Fleet.FleetId);
        byte[] frame = new byte[FrameLayout.MaxFrameBytes];
        int length = attacker.EncodeBroadcast(Fleet.GatewayId, 1, 1_000_000, 0xFFFFFFFF, 0, 0, 0, frame, 0);
        var forger = fleet.Network.Attach(Fleet.GatewayId + 999);
        forger.Broadcast(frame, 0, length);
        fleet.Network.RunUntil(fleet.Network.Clock.NowMs() + 10);
        Assert.Equal(before, fleet.Robots[0].BroadcastsApplied);
        Assert.Equal(FrameStatus.MissingTag, fleet.Robots[0].LastRejectStatus);

        for (int t = 0; t < 20; t++)
        {
            fleet.Tick();
        }

        Assert.Equal(before + 20, fleet.Robots[0].BroadcastsApplied);
    }
}
