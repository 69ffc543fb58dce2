using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Tests.Fakes;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Firmware.Tests.Nodes;

/// <summary>
/// Budget pinned (STYLE.md "What this looks like" 7): the gateway tick, the robots' frame handling and the
/// in-memory network allocate nothing. Measured on .NET 10 with GC.GetAllocatedBytesForCurrentThread over
/// 10,000 ticks after a warm-up (JIT tiering and first-use allocations are excluded on purpose). With
/// authentication on, the host HMAC writes into a caller buffer; on nanoFramework the HMAC allocates
/// (docs/protocol.md §6), which this host test cannot see.
/// </summary>
public class ZeroAllocationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GatewayAndRobotsAllocateNothingOver10000Ticks(bool authenticated)
    {
        var policy = FakePolicy.Random(globalStates: 5, localStates: 5, globalActions: 5, localActions: 3, kMin: 1, k: 8, seed: 1);
        var impairments = new NetworkImpairments { LossProbability = 0.1, DuplicateProbability = 0.05, CorruptProbability = 0.02, ReorderProbability = 0.05, MinDelayMs = 1, MaxDelayMs = 6 };
        var fleet = new Fleet(policy, n: 20, k: 8, impairments, seed: 4, authenticated);
        long allocated = AllocatedOver10000Ticks(fleet, new Pcg32(5));

        Assert.Equal(0, allocated);
        // The measured run went through the rejection, duplicate, replay and fallback paths, not only the happy one.
        Assert.True(fleet.Gateway.Rejected > 0 && fleet.Gateway.Duplicate + fleet.Gateway.Late > 0 && fleet.Gateway.Lost > 0);
        Assert.True(fleet.Robots.Sum(r => r.Replayed + r.Rejected) > 0);
    }

    [Fact]
    public void ATypedGatewayAndTypedRobotsAllocateNothingOver10000Ticks()
    {
        // T = 2, |S_l| = 5: the gateway counts 10 classes; robots of both types report x = τ·|S_l| + s_l.
        var policy = FakePolicy.Random(globalStates: 5, localStates: 10, globalActions: 5, localActions: 3, kMin: 1, k: 8, seed: 2);
        policy.RobotTypes = 2;
        var fleet = new Fleet(policy, n: 20, k: 8, new NetworkImpairments { LossProbability = 0.1, DuplicateProbability = 0.05 }, seed: 6, authenticated: true, join: false) { RobotType = i => i % 2 };
        for (int i = 0; i < 20; i++)
        {
            fleet.RebootRobot(i); // made again with its type
        }

        fleet.JoinAll();
        long allocated = AllocatedOver10000Ticks(fleet, new Pcg32(7));

        Assert.Equal(0, allocated);
        Assert.Equal(10, fleet.Gateway.ClassCount);
        Assert.True(fleet.Gateway.ReportsAccepted > 0 && fleet.Gateway.FallbackTicks < 10_500);
        Assert.Equal(0, fleet.Gateway.BadClassReports);
    }

    /// <summary>Bytes allocated on this thread over 10,000 ticks (after 500 warm-up ticks), each with a random global state and one robot's state changed.</summary>
    private static long AllocatedOver10000Ticks(Fleet fleet, Pcg32 rng)
    {
        void Ticks(int count)
        {
            for (int t = 0; t < count; t++)
            {
                fleet.GlobalSensor.State = (int)rng.NextBelow(5);
                fleet.Sensors[(int)rng.NextBelow(20)].State = (int)rng.NextBelow(5);
                fleet.Tick();
            }
        }

        Ticks(500);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Ticks(10_000);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
