using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// The gateway's lookups read the policy from the REAL <see cref="FileSystemPolicyStorage"/> on a temp folder through a
/// small page cache, so page misses hit the file inside the tick: they must open no file and allocate nothing.
/// </summary>
public sealed class FileStorageTickTests
{
    private const int FleetId = 0x0E31;

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    public void Gateway_ticks_on_a_file_backed_policy_allocate_nothing_and_open_no_file(int k)
    {
        using var folder = new TempFolder();
        using var files = new FileSystemPolicyStorage(folder.Root, 120 * 1024);
        var counting = new CountingStorage(files);
        byte[] image = TestPolicies.Build(3, 4, 4, 3, 1, k, seed: 9, TestPolicies.Key);
        var store = new PolicyStore(counting, TestPolicies.MediumGame(minK: k), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 64, 2);
        store.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, image));

        const int n = 20;
        var network = new InMemoryNetwork(new NetworkImpairments { LossProbability = 0.05, MinDelayMs = 1, MaxDelayMs = 4 }, 3);
        var auth = new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(TestPolicies.Key);
        int[] ids = Enumerable.Range(1, n).ToArray();
        var globalSensor = new Sensors.Global();
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = 0, RobotIds = ids, SampleSize = k, ReplyWindowMs = 50, Seed = 7 },
            store.Live, new FrameCodec(FleetId, auth), network.Attach(0), network.Clock, globalSensor, null);
        var robots = new RobotNode[n];
        var local = new Sensors.Local[n];
        for (int i = 0; i < n; i++)
        {
            int index = i;
            local[i] = new Sensors.Local();
            robots[i] = new RobotNode(
                new RobotOptions { RobotId = ids[i], GatewayId = 0, Seed = 7, SafeAction = 0 },
                store.Live, new FrameCodec(FleetId, auth), network.Attach(ids[i], () => robots[index].ProcessPending()), network.Clock, local[i], new Sensors.Actuator());
        }

        var rng = new Pcg32(5);
        void Ticks(int count)
        {
            for (int t = 0; t < count; t++)
            {
                globalSensor.State = (int)rng.NextBelow(3);
                local[(int)rng.NextBelow(n)].State = (int)rng.NextBelow(4);
                long start = network.Clock.NowMs();
                gateway.Tick();
                network.RunUntil(start + 100);
                for (int r = 0; r < n; r++)
                {
                    robots[r].EndTick();
                }
            }
        }

        Ticks(500);
        int handles = files.HandlesOpened;
        long reads = counting.Reads;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Ticks(10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(handles, files.HandlesOpened);
        // The measured run really went to the file: thousands of page misses, not a cache that happened to fit.
        Assert.True(counting.Reads - reads > 1000, $"only {counting.Reads - reads} storage reads in 10,000 ticks");
    }

    [Fact]
    public void Read_handle_follows_a_slot_switch_and_a_reboot_sees_the_new_policy()
    {
        using var folder = new TempFolder();
        byte[] first = TestPolicies.Medium(1, TestPolicies.Key);
        byte[] second = TestPolicies.Medium(2, TestPolicies.Key);
        byte[] third = TestPolicies.Medium(1, TestPolicies.Key, version: 4); // same tables as the first, a higher version (anti-rollback)
        using (var files = new FileSystemPolicyStorage(folder.Root, 64 * 1024))
        {
            var store = new PolicyStore(files, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 64, 2);
            store.Boot();
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, first));
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, second));

            // A third upload rewrites slot A, whose read handle is open from the first install: it must see the new bytes.
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, third));
            Assert.Equal(TestPolicies.Crc(third), store.CurrentCrc);
        }

        using var again = new FileSystemPolicyStorage(folder.Root, 64 * 1024);
        var rebooted = new PolicyStore(again, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 64, 2);
        Assert.True(rebooted.Boot());
        Assert.Equal(TestPolicies.Crc(third), rebooted.CurrentCrc);
        Assert.Equal(3u, rebooted.CurrentGeneration);
    }

    /// <summary>Counts storage reads on the way to the real file storage; allocates nothing.</summary>
    private sealed class CountingStorage(IPolicyStorage inner) : IPolicyStorage
    {
        public long Reads { get; private set; }

        public int SlotCapacity => inner.SlotCapacity;

        public int Length(int file) => inner.Length(file);

        public void Create(int file, int length) => inner.Create(file, length);

        public void Write(int file, int position, byte[] buffer, int offset, int count) => inner.Write(file, position, buffer, offset, count);

        public void Flush(int file) => inner.Flush(file);

        public int Read(int file, int position, byte[] buffer, int offset, int count)
        {
            Reads++;
            return inner.Read(file, position, buffer, offset, count);
        }
    }
}
