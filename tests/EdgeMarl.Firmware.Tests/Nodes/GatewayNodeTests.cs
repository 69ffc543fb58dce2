using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Firmware.Tests.Nodes;

public class GatewayNodeTests
{
    private static void Randomise(Fleet fleet, Pcg32 rng)
    {
        fleet.GlobalSensor.State = (int)rng.NextBelow((uint)fleet.Policy.GlobalStates);
        foreach (SettableLocalSensor sensor in fleet.Sensors)
        {
            sensor.State = (int)rng.NextBelow((uint)fleet.Policy.LocalStates);
        }
    }

    [Fact]
    public void WithEveryRobotAnsweringTheActionIsTheTableLookupOnTheTrueCountsOfTheSampledRobots()
    {
        var policy = FakePolicy.Random(globalStates: 4, localStates: 3, globalActions: 5, localActions: 3, kMin: 1, k: 5, seed: 11);
        var fleet = new Fleet(policy, n: 12, k: 5, NetworkImpairments.None, seed: 3);
        var rng = new Pcg32(99);
        int[] ids = new int[5];
        var seenIds = new HashSet<int>();
        for (int t = 0; t < 200; t++)
        {
            Randomise(fleet, rng);
            fleet.Tick();

            fleet.Gateway.CopySampledIds(ids, 0);
            Assert.Equal(5, ids.Distinct().Count());
            Assert.All(ids, id => Assert.Contains(id, fleet.RobotIds));
            seenIds.UnionWith(ids);

            int[] trueCounts = new int[3];
            foreach (int id in ids)
            {
                trueCounts[fleet.TrueState(id)]++;
            }

            Assert.Equal(5, fleet.Gateway.LastReportCount);
            Assert.False(fleet.Gateway.LastUsedFallback);
            Assert.Equal(policy.Expected(fleet.GlobalSensor.State, trueCounts), fleet.Gateway.LastGlobalAction);
            Assert.All(fleet.Robots, r => Assert.Equal(fleet.GlobalSensor.State, r.LastGlobalState));
        }

        Assert.Equal(12, seenIds.Count); // the sampler reaches the whole roster
        Assert.Equal(0, fleet.Gateway.Lost + fleet.Gateway.Late + fleet.Gateway.Duplicate + fleet.Gateway.Foreign + fleet.Gateway.Rejected);
    }

    [Fact]
    public void WithAnswersLostTheActionComesFromTheKPrimeTableOfTheAnsweredRobots()
    {
        var policy = FakePolicy.Random(globalStates: 3, localStates: 4, globalActions: 6, localActions: 3, kMin: 2, k: 6, seed: 5);
        var fleet = new Fleet(policy, n: 15, k: 6, new NetworkImpairments { LossProbability = 0.3 }, seed: 8);
        var rng = new Pcg32(7);
        int[] ids = new int[6];
        int[] states = new int[6];
        var kPrimes = new HashSet<int>();
        int lastTableAction = 0;
        for (int t = 0; t < 400; t++)
        {
            Randomise(fleet, rng);
            fleet.Tick();
            fleet.Gateway.CopySampledIds(ids, 0);
            fleet.Gateway.CopySampledStates(states, 0);

            int[] counts = new int[4];
            int kPrime = 0;
            for (int slot = 0; slot < 6; slot++)
            {
                if (states[slot] >= 0)
                {
                    Assert.Equal(fleet.TrueState(ids[slot]), states[slot]);
                    counts[states[slot]]++;
                    kPrime++;
                }
            }

            Assert.Equal(kPrime, fleet.Gateway.LastReportCount);
            kPrimes.Add(kPrime);
            if (kPrime >= policy.KMin)
            {
                lastTableAction = policy.Expected(fleet.GlobalSensor.State, counts);
                Assert.False(fleet.Gateway.LastUsedFallback);
            }
            else
            {
                Assert.True(fleet.Gateway.LastUsedFallback);
            }

            Assert.Equal(lastTableAction, fleet.Gateway.LastGlobalAction);
        }

        // Both branches and several k' tables were exercised.
        Assert.Contains(kPrimes, kp => kp < policy.KMin);
        Assert.True(kPrimes.Count(kp => kp >= policy.KMin) >= 4);
        Assert.True(fleet.Gateway.Lost > 0);
    }

    /// <summary>
    /// Degradation tables with loss (docs/policy-format.md): the policy stores k' ∈ {1, 3, 6} only, k = 6, 30 % loss. Each
    /// tick the m answered slots (slot order) must be reduced to the largest stored k* ≤ m by a Floyd subsample drawn from
    /// the gateway's generator right after its poll sample: replayed here independently with the plain Subsampler.
    /// </summary>
    [Fact]
    public void WithLossAndDegradationTablesTheRepliesAreSubsampledToTheLargestStoredTable()
    {
        var policy = FakePolicy.Random(globalStates: 3, localStates: 4, globalActions: 6, localActions: 3, kMin: 1, k: 6, seed: 5);
        policy.Stored = [false, true, false, true, false, false, true];
        const ulong seed = 8;
        var fleet = new Fleet(policy, n: 15, k: 6, new NetworkImpairments { LossProbability = 0.3 }, seed);
        var rng = new Pcg32(7);
        var replay = new Pcg32(seed); // the gateway's generator, as GatewayNode seeds it
        var sampler = new EdgeMarl.Shared.Sampling.Subsampler(6);
        int[] roster = new int[6];
        int[] chosen = new int[6];
        int[] ids = new int[6];
        int[] states = new int[6];
        var reductions = new HashSet<(int M, int KStar)>();
        int lastTableAction = 0;
        for (int t = 0; t < 400; t++)
        {
            Randomise(fleet, rng);
            fleet.Tick();
            fleet.Gateway.CopySampledIds(ids, 0);
            fleet.Gateway.CopySampledStates(states, 0);

            sampler.Sample(replay, 15, 6, roster, 0);
            Assert.Equal(roster.Select(i => fleet.RobotIds[i]), ids);
            int[] answered = [.. states.Where(s => s >= 0)];
            int m = answered.Length;
            int kStar = m >= 6 ? 6 : m >= 3 ? 3 : m >= 1 ? 1 : -1;
            if (kStar < 0)
            {
                Assert.True(fleet.Gateway.LastUsedFallback);
            }
            else
            {
                int[] counts = new int[4];
                if (kStar == m)
                {
                    foreach (int s in answered)
                    {
                        counts[s]++;
                    }
                }
                else
                {
                    sampler.Sample(replay, m, kStar, chosen, 0);
                    for (int i = 0; i < kStar; i++)
                    {
                        counts[answered[chosen[i]]]++;
                    }
                }

                lastTableAction = policy.Expected(fleet.GlobalSensor.State, counts);
                Assert.False(fleet.Gateway.LastUsedFallback);
                reductions.Add((m, kStar));
            }

            Assert.Equal(lastTableAction, fleet.Gateway.LastGlobalAction);
        }

        // Real reductions happened (m = 5 → 3, m = 4 → 3, m = 2 → 1), not only m = k*.
        Assert.Contains((5, 3), reductions);
        Assert.Contains((4, 3), reductions);
        Assert.Contains((2, 1), reductions);
    }

    [Fact]
    public void BelowKMinTheGatewayRepeatsItsLastTableActionAndStartsFromTheInitialOne()
    {
        var policy = FakePolicy.Random(globalStates: 2, localStates: 2, globalActions: 4, localActions: 2, kMin: 2, k: 3, seed: 1);
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        var codec = FrameCodec.InsecureUntaggedForHostSimulation(1);
        int answering = 0;
        radio.OnSend = (destination, poll) =>
        {
            var d = new DecodedFrame();
            Assert.Equal(FrameStatus.Ok, codec.Decode(poll, 0, poll.Length, d));
            if (answering > 0)
            {
                answering--;
                byte[] report = new byte[64];
                radio.Enqueue(report, codec.EncodeReport(destination, 1, d.Tick, 1, d.Sequence, destination % 2, report, 0));
            }
        };
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 100, RobotIds = [1, 2, 3], SampleSize = 3, InitialGlobalAction = 3, ReplyWindowMs = 10 },
            policy, codec, radio, clock, new SettableGlobalSensor { State = 1 }, null);
        ScriptedJoin.Admit(gateway, radio, codec, 1, 2, 3);

        answering = 1; // k' = 1 < KMin before any table action: the initial action
        gateway.Tick();
        Assert.True(gateway.LastUsedFallback);
        Assert.Equal(3, gateway.LastGlobalAction);

        answering = 3; // all answer: robots 1, 2, 3 in states 1, 0, 1 → c = (1, 2)
        gateway.Tick();
        int tableAction = policy.Expected(1, [1, 2]);
        Assert.False(gateway.LastUsedFallback);
        Assert.Equal(tableAction, gateway.LastGlobalAction);

        answering = 0; // nobody answers: repeat the table action
        gateway.Tick();
        Assert.True(gateway.LastUsedFallback);
        Assert.Equal(tableAction, gateway.LastGlobalAction);
        Assert.Equal(2, gateway.FallbackTicks);

        // The broadcast still goes out every tick, with the fallback action and k'.
        var b = new DecodedFrame();
        Assert.Equal(FrameStatus.Ok, codec.Decode(radio.Broadcasts[^1], 0, radio.Broadcasts[^1].Length, b));
        Assert.Equal((3u, 1, tableAction, 0), (b.Tick, b.GlobalState, b.GlobalAction, b.SampleCount));
    }

    [Fact]
    public void LateDuplicateForeignAndCorruptReportsAreIgnoredAndCounted()
    {
        var policy = FakePolicy.Random(globalStates: 2, localStates: 3, globalActions: 4, localActions: 2, kMin: 1, k: 3, seed: 2);
        var clock = new SimulatedClock();
        var radio = new ScriptedRadio(clock);
        byte[] key = new byte[32];
        key[0] = 1;
        var codec = new FrameCodec(1, new HmacSha256Authenticator(key));
        var otherFleet = new FrameCodec(2, new HmacSha256Authenticator(key));
        var wrongKey = new FrameCodec(1, new HmacSha256Authenticator(new byte[32]));
        int polls = 0;
        byte[]? firstReport = null;
        radio.OnSend = (destination, poll) =>
        {
            var d = new DecodedFrame();
            codec.Decode(poll, 0, poll.Length, d);
            byte[] f = new byte[64];
            if (++polls == 3)
            {
                // Before the last valid report: every kind of frame the gateway must not count.
                radio.Enqueue(firstReport!, firstReport!.Length);                                                   // duplicate
                radio.Enqueue(f, codec.EncodeReport(destination, 1, d.Tick - 1, 9, d.Sequence, 0, f, 0));              // late
                radio.Enqueue(f, codec.EncodeReport(55, 1, d.Tick, 9, d.Sequence, 0, f, 0));                          // unpolled sender
                radio.Enqueue(f, codec.EncodeReport(destination, 1, d.Tick, 9, d.Sequence - 1, 0, f, 0));             // another robot's slot
                radio.Enqueue(f, codec.EncodeReport(destination, 1, d.Tick + 1, 9, d.Sequence, 0, f, 0));             // future tick
                radio.Enqueue(f, codec.EncodePoll(destination, 1, d.Tick, 9, 0, f, 0));                               // wrong kind
                radio.Enqueue(f, otherFleet.EncodeReport(destination, 1, d.Tick, 9, d.Sequence, 0, f, 0));            // other fleet
                radio.Enqueue(f, wrongKey.EncodeReport(destination, 1, d.Tick, 9, d.Sequence, 0, f, 0));              // forged
                int n = codec.EncodeReport(destination, 1, d.Tick, 9, d.Sequence, 0, f, 0);
                f[20] ^= 0x10;
                radio.Enqueue(f, n);                                                                               // corrupted
                radio.Enqueue(f, codec.EncodeReport(destination, 1, d.Tick, 9, d.Sequence, 7, f, 0));                 // s_l ≥ |S_l|
                radio.Enqueue(f, codec.EncodeBroadcast(0, 1, d.Tick, 9, 0, 0, 0, f, 0));                              // own echo
            }

            int length = codec.EncodeReport(destination, 1, d.Tick, 1, d.Sequence, 2, f, 0);
            radio.Enqueue(f, length);
            firstReport ??= f.AsSpan(0, length).ToArray();
        };
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 0, RobotIds = [10, 20, 30], SampleSize = 3, ReplyWindowMs = 10 },
            policy, codec, radio, clock, new SettableGlobalSensor { State = 0 }, null);
        ScriptedJoin.Admit(gateway, radio, codec, 10, 20, 30);

        gateway.Tick();

        Assert.Equal(3, gateway.LastReportCount);
        Assert.Equal(policy.Expected(0, [0, 0, 3]), gateway.LastGlobalAction);
        Assert.Equal(1, gateway.Duplicate);
        Assert.Equal(1, gateway.Late);
        Assert.Equal(5, gateway.Foreign);  // unpolled sender, wrong slot, future tick, wrong kind, other fleet
        Assert.Equal(3, gateway.Rejected); // forged, corrupted, invalid state
        Assert.Equal(1, gateway.Echoes);
        Assert.Equal(0, gateway.Lost);
    }

    [Fact]
    public void ReportsArrivingAfterTheDeadlineAreLostThenCountedLate()
    {
        var policy = FakePolicy.Random(globalStates: 2, localStates: 2, globalActions: 3, localActions: 2, kMin: 1, k: 4, seed: 4);
        // Poll 30 ms out + report 30 ms back = 60 ms > 50 ms reply window: nothing makes the deadline.
        var fleet = new Fleet(policy, n: 4, k: 4, new NetworkImpairments { MinDelayMs = 30, MaxDelayMs = 30 }, seed: 1, replyWindowMs: 50);
        fleet.Tick();
        fleet.Tick();

        Assert.Equal(0, fleet.Gateway.LastReportCount);
        Assert.Equal(8, fleet.Gateway.Lost);
        Assert.Equal(4, fleet.Gateway.Late); // tick 1's answers, seen during tick 2
        Assert.Equal(2, fleet.Gateway.FallbackTicks);
    }

    [Fact]
    public void TheSameSeedReplaysTheSameRunOverAnImpairedNetwork()
    {
        static (int, int, int, int, int, int, string) Run()
        {
            var policy = FakePolicy.Random(3, 3, 4, 3, 1, 5, seed: 21);
            var impairments = new NetworkImpairments { LossProbability = 0.1, DuplicateProbability = 0.1, CorruptProbability = 0.05, ReorderProbability = 0.1, MinDelayMs = 1, MaxDelayMs = 8 };
            var fleet = new Fleet(policy, n: 10, k: 5, impairments, seed: 77);
            var rng = new Pcg32(3);
            var actions = new System.Text.StringBuilder();
            for (int t = 0; t < 300; t++)
            {
                Randomise(fleet, rng);
                fleet.Tick();
                actions.Append(fleet.Gateway.LastGlobalAction);
            }

            return (fleet.Gateway.Lost, fleet.Gateway.Late, fleet.Gateway.Duplicate, fleet.Gateway.Rejected, fleet.Robots.Sum(r => r.Replayed), fleet.Robots.Sum(r => r.BroadcastsApplied), actions.ToString());
        }

        var first = Run();
        Assert.Equal(first, Run());
        Assert.True(first.Item1 > 0 && first.Item3 + first.Item2 > 0 && first.Item4 > 0 && first.Item5 > 0); // impairments really happened
    }
}
