using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Nodes;

/// <summary>The gateway's roster by join (docs/protocol.md §6): budget, allow-list, lease, epoch files.</summary>
public class GatewayJoinTests
{
    private static readonly byte[] Key = Enumerable.Repeat((byte)5, 32).ToArray();

    private static (GatewayNode Gateway, ScriptedRadio Radio, FrameCodec Codec, SimulatedClock Clock) Make(int[]? allowed = null, uint lease = 3000, GatewaySession? session = null)
    {
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = new FrameCodec(2, new HmacSha256Authenticator(Key));
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 0, RobotIds = allowed, MaxRobots = 200, SampleSize = 2, ReplyWindowMs = 10, JoinAcceptsPerTick = 16, LeaseTicks = lease, Session = session },
            FakePolicy.Random(2, 2, 3, 2, kMin: 0, k: 2, seed: 1), codec, radio, clock, new SettableGlobalSensor { State = 0 }, null);
        return (gateway, radio, codec, clock);
    }

    private static int Accepts(ScriptedRadio radio) => radio.Sent.Count(s => s.Frame[FrameLayout.KindOffset] == (byte)FrameKind.JoinAccept);

    [Fact]
    public void A_join_storm_is_answered_16_per_tick_and_the_rest_is_skipped_before_the_mac_so_every_tick_still_polls_and_broadcasts()
    {
        var (gateway, radio, codec, _) = Make();
        var forger = new FrameCodec(2, new HmacSha256Authenticator(new byte[32]));
        byte[] f = new byte[64];
        for (int id = 1; id <= 100; id++)
        {
            radio.Enqueue(f, codec.EncodeJoin(id, 0, 0, 1, (ulong)id, f, 0));
            radio.Enqueue(f, forger.EncodeJoin(id + 1000, 0, 0, 1, (ulong)id, f, 0)); // forged joins in the storm
        }

        gateway.Tick();

        // At most 16 Join frames reach the MAC in a tick, forged or genuine; the other 184 are skipped by their kind byte.
        Assert.Equal(16, gateway.Rejected + gateway.JoinsAccepted);
        Assert.Equal(184, gateway.JoinsDeferred);
        Assert.Equal(gateway.JoinsAccepted, Accepts(radio));
        Assert.Single(radio.Broadcasts);

        // The robots not yet admitted retry (no forger now): at most 16 a tick, until everyone who asked is in the roster;
        // every tick still polled and broadcast.
        int ticks = 1;
        while (gateway.RosterCount < 100)
        {
            var admitted = radio.Sent.Where(x => x.Frame[FrameLayout.KindOffset] == (byte)FrameKind.JoinAccept).Select(x => x.Destination).ToHashSet();
            for (int id = 1; id <= 100; id++)
            {
                if (!admitted.Contains(id))
                {
                    radio.Enqueue(f, codec.EncodeJoin(id, 0, 0, 2, (ulong)(id + 7777), f, 0));
                }
            }

            int before = gateway.RosterCount;
            gateway.Tick();
            ticks++;
            Assert.True(gateway.RosterCount - before <= 16);
            Assert.True(ticks <= 10, "100 joins at 16 per tick need 7 ticks");
        }

        Assert.Equal(ticks, radio.Broadcasts.Count);
        Assert.Equal(0, gateway.JoinsRefused);
    }

    [Fact]
    public void Only_allowed_ids_may_join_and_only_joined_robots_are_polled()
    {
        var (gateway, radio, codec, _) = Make(allowed: [10, 20, 30]);
        gateway.Tick();
        Assert.Empty(radio.Sent); // nobody joined: no poll
        byte[] f = new byte[64];
        radio.Enqueue(f, codec.EncodeJoin(20, 0, 0, 1, 9, f, 0));
        radio.Enqueue(f, codec.EncodeJoin(99, 0, 0, 1, 9, f, 0));
        gateway.ServeJoins(0);
        Assert.Equal((1, 1), (gateway.RosterCount, gateway.JoinsRefused));
        radio.Sent.Clear();
        gateway.Tick();
        var (destination, poll) = Assert.Single(radio.Sent);
        Assert.Equal((20, (byte)FrameKind.Poll), (destination, poll[FrameLayout.KindOffset]));
        Assert.Equal(1, gateway.LastSampleSize);
    }

    [Fact]
    public void A_robot_not_heard_within_its_lease_leaves_the_roster()
    {
        var (gateway, radio, codec, _) = Make(lease: 10);
        ScriptedJoin.Admit(gateway, radio, codec, 1, 2, 3);
        Assert.Equal(3, gateway.RosterCount);
        for (int t = 0; t < 30; t++)
        {
            gateway.Tick(); // nobody answers polls or renews
        }

        Assert.Equal(0, gateway.RosterCount);
        Assert.Equal(3, gateway.Evicted);
    }

    [Fact]
    public void Epoch_files_two_copies_survive_the_loss_or_corruption_of_one_and_a_torn_write()
    {
        var files = new MemoryRecordFiles();
        uint first = new GatewaySession(new PersistentCounter(files), 0, 0, 12345).Epoch;
        Assert.Equal(GatewaySession.RandomStart(12345), first); // no valid copy: a random start
        uint second = new GatewaySession(new PersistentCounter(files), 0, 0, 1).Epoch;
        Assert.Equal(first + 1, second);
        files.Lose(0);
        Assert.Equal(second + 1, new GatewaySession(new PersistentCounter(files), 0, 0, 1).Epoch);
        files.Corrupt(1, 40); // a torn write of copy 1 (copy 0 holds the same value)
        Assert.Equal(second + 2, new GatewaySession(new PersistentCounter(files), 0, 0, 1).Epoch);
        files.Lose(0);
        files.Lose(1);
        var fresh = new GatewaySession(new PersistentCounter(files), 0, 0, 777);
        Assert.True(fresh.Unconfirmed);

        // A robot reports a higher epoch than ours: move above it (persisted first); an equal or lower one changes nothing.
        Assert.False(fresh.ObserveRobotEpoch(fresh.Epoch));
        Assert.True(fresh.ObserveRobotEpoch(fresh.Epoch + 5));
        uint bumped = fresh.Epoch;
        Assert.Equal(bumped + 1, new GatewaySession(new PersistentCounter(files), 0, 0, 1).Epoch);
    }

    [Fact]
    public void The_sequence_never_wraps_inside_an_epoch()
    {
        var session = new GatewaySession(null, 7, 0xFFFFFFFD, 0);
        Assert.Equal(0xFFFFFFFEu, session.Next());
        Assert.Equal(0xFFFFFFFFu, session.Next());
        Assert.Equal(1u, session.Next());
        Assert.Equal(8u, session.Epoch);
        session.Reserve(0xFFFFFFFF);
        Assert.Equal((9u, 0u), (session.Epoch, session.LastSequence));
    }
}
