using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Nodes;

/// <summary>The robot's session rule (docs/protocol.md §6): nothing before the join; then only (epoch, sequence) above the floor.</summary>
public class RobotSessionTests
{
    private static readonly byte[] Key = Enumerable.Repeat((byte)9, 32).ToArray();

    private static (RobotNode Robot, ScriptedRadio Radio, FrameCodec Codec) Make()
    {
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = new FrameCodec(5, new HmacSha256Authenticator(Key));
        var robot = new RobotNode(
            new RobotOptions { RobotId = 42, GatewayId = 0, Seed = 1, SilentTicksBeforeSafeAction = 3, SafeAction = 0, NonceSeed = 77 },
            FakePolicy.Random(2, 3, 2, 3, 1, 2, 1), codec, radio, clock, new SettableLocalSensor { State = 1 }, new RecordingActuator(3));
        return (robot, radio, codec);
    }

    [Fact]
    public void Before_its_join_is_accepted_a_robot_acts_on_nothing_and_answers_no_poll()
    {
        var (robot, radio, codec) = Make();
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeBroadcast(0, 1, 1, 1, 1, 0, 1, f, 0));
        radio.Enqueue(f, codec.EncodePoll(0, 1, 1, 2, 42, f, 0));
        robot.ProcessPending();
        Assert.Equal((0, 0, 2), (robot.BroadcastsApplied, robot.PollsAnswered, robot.NotJoined));
        Assert.Empty(radio.Sent);
    }

    [Fact]
    public void An_accept_for_another_nonce_or_robot_or_a_replayed_accept_starts_no_session()
    {
        var (robot, radio, codec) = Make();
        robot.EndTick();
        var d = new DecodedFrame();
        Assert.Equal(FrameStatus.Ok, codec.Decode(radio.Sent[0].Frame, 0, radio.Sent[0].Frame.Length, d));
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeJoinAccept(0, 1, 0, 5, 42, d.Nonce ^ 1, 1000, f, 0));     // someone else's (or an old) nonce
        radio.Enqueue(f, codec.EncodeJoinAccept(0, 1, 0, 6, 43, d.Nonce, 1000, f, 0));         // for another robot
        robot.ProcessPending();
        Assert.False(robot.Session.Joined);
        int accept = codec.EncodeJoinAccept(0, 1, 0, 7, 42, d.Nonce, 1000, f, 0);
        byte[] recorded = f.AsSpan(0, accept).ToArray();
        radio.Enqueue(recorded, accept);
        radio.Enqueue(recorded, accept); // duplicated or replayed: the nonce is spent
        robot.ProcessPending();
        Assert.True(robot.Session.Joined);
        Assert.Equal(1, robot.Session.Generation);
    }

    [Fact]
    public void After_joining_only_frames_above_the_floor_in_the_session_epoch_or_the_next_are_taken()
    {
        var (robot, radio, codec) = Make();
        RobotNodeTests.JoinAt(robot, radio, codec, epoch: 7, floor: 100);
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeBroadcast(0, 7, 1, 100, 1, 0, 1, f, 0));   // at the floor: sent before the accept
        radio.Enqueue(f, codec.EncodeBroadcast(0, 6, 1, 500, 1, 0, 1, f, 0));   // an older epoch
        radio.Enqueue(f, codec.EncodeBroadcast(0, 9, 1, 1, 1, 0, 1, f, 0));     // two epochs ahead: not ours
        radio.Enqueue(f, codec.EncodeBroadcast(0, 7, 2, 101, 1, 0, 1, f, 0));   // fresh
        radio.Enqueue(f, codec.EncodeBroadcast(0, 8, 3, 1, 1, 0, 1, f, 0));     // the next epoch (wrap or gateway reboot): fresh
        radio.Enqueue(f, codec.EncodeBroadcast(0, 7, 4, 102, 1, 0, 1, f, 0));   // the old epoch again: stale now
        robot.ProcessPending();
        Assert.Equal(2, robot.BroadcastsApplied);
        Assert.Equal(4, robot.Replayed);
        Assert.Equal(8u, robot.Session.Epoch);

        // Moving to the next epoch asks for a new join (a rebooted gateway lost its roster); it reports epoch 8.
        robot.EndTick();
        var d = new DecodedFrame();
        var (_, join) = Assert.Single(radio.Sent);
        Assert.Equal(FrameStatus.Ok, codec.Decode(join, 0, join.Length, d));
        Assert.Equal((FrameKind.Join, 8u), (d.Kind, d.Epoch));
    }

    [Fact]
    public void A_join_accept_may_lower_the_epoch_because_its_nonce_is_fresh()
    {
        // The gateway lost both epoch copies and restarted low: the fresh nonce proves its accept is current.
        var (robot, radio, codec) = Make();
        RobotNodeTests.JoinAt(robot, radio, codec, epoch: 50, floor: 10);
        for (int t = 0; t < 3; t++)
        {
            robot.EndTick(); // silent: the gateway is gone
        }

        robot.EndTick(); // silence limit reached (3 ticks into the session): join again
        var d = new DecodedFrame();
        byte[] join = radio.Sent[^1].Frame;
        Assert.Equal(FrameStatus.Ok, codec.Decode(join, 0, join.Length, d));
        Assert.Equal((FrameKind.Join, 50u), (d.Kind, d.Epoch));
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeJoinAccept(0, 2, 0, 3, 42, d.Nonce, 1000, f, 0));
        radio.Enqueue(f, codec.EncodeBroadcast(0, 2, 1, 4, 1, 0, 1, f, 0));
        robot.ProcessPending();
        Assert.Equal((2u, 1), (robot.Session.Epoch, robot.BroadcastsApplied));
        Assert.Equal(50u, robot.Session.HighestEpoch);
    }

    [Fact]
    public void Policy_frames_may_arrive_reordered_but_each_is_taken_once_and_never_from_before_the_floor()
    {
        var session = new RobotSession(1, 0);
        Assert.False(session.AcceptPolicyFrame(3, 50)); // not joined
        var accept = new DecodedFrame { Kind = FrameKind.JoinAccept, TargetId = 42, Epoch = 3, Sequence = 100, LeaseTicks = 100 };
        accept.Nonce = session.NextJoinNonce();
        Assert.True(session.TryJoin(accept, 42));
        Assert.False(session.AcceptPolicyFrame(3, 100));  // at the floor
        Assert.True(session.AcceptPolicyFrame(3, 105));
        Assert.True(session.AcceptPolicyFrame(3, 103));   // overtaken within the burst: still taken
        Assert.False(session.AcceptPolicyFrame(3, 103));  // but only once
        Assert.False(session.AcceptPolicyFrame(3, 105));
        Assert.True(session.AcceptPolicyFrame(3, 300));
        Assert.False(session.AcceptPolicyFrame(3, 236)); // 64 behind the newest: outside the window
        Assert.True(session.AcceptPolicyFrame(3, 237));
        Assert.True(session.AcceptNodeFrame(3, 101));    // node frames have their own (strict) counter
        Assert.False(session.AcceptNodeFrame(3, 101));
    }
}
