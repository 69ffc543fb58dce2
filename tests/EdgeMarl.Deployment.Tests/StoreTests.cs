using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests;

public sealed class StoreTests
{
    private const int Capacity = 64 * 1024;

    private static PolicyStore NewStore(IPolicyStorage storage, PolicyExpectations? game = null, IIncrementalAuthenticator? auth = null)
    {
        var store = auth is null ? PolicyStore.CreateInsecureForHostTests(storage, game ?? TestPolicies.SmallGame(), 64, 2) : new PolicyStore(storage, game ?? TestPolicies.SmallGame(), auth, 64, 2);
        store.Boot();
        return store;
    }

    [Fact]
    public void Empty_flash_boots_without_a_policy()
    {
        PolicyStore store = NewStore(new MemoryPolicyStorage(Capacity));
        Assert.False(store.HasPolicy);
        Assert.False(store.Live.HasPolicy);
    }

    [Fact]
    public void Committed_policy_survives_reboot_and_uploads_alternate_slots_and_records()
    {
        var flash = new MemoryPolicyStorage(Capacity);
        PolicyStore store = NewStore(flash);
        byte[][] images = [TestPolicies.Small(1), TestPolicies.Small(2), TestPolicies.Small(3)];
        int[] expectedSlots = [StoreFiles.SlotA, StoreFiles.SlotB, StoreFiles.SlotA];
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, images[i]));
            Assert.Equal(expectedSlots[i], store.CurrentSlot);
            Assert.Equal((uint)(i + 1), store.CurrentGeneration);

            PolicyStore rebooted = NewStore(flash);
            Assert.Equal(TestPolicies.Crc(images[i]), rebooted.CurrentCrc);
            Assert.Equal((uint)(i + 1), rebooted.CurrentGeneration);
            store = rebooted;
        }
    }

    [Fact]
    public void Live_policy_switches_tables_only_at_commit()
    {
        var flash = new MemoryPolicyStorage(Capacity);
        PolicyStore store = NewStore(flash);
        byte[] first = TestPolicies.Small(1);
        byte[] second = TestPolicies.Small(2);
        TestPolicies.Install(store, first);
        IPolicyLookup before = store.Live.Table;

        store.BeginStage(second.Length, TestPolicies.Crc(second));
        store.WriteStage(0, second, 0, second.Length);
        Assert.Equal(DeployStatus.Ok, store.FinishStage());
        Assert.Same(before, store.Live.Table);
        Assert.True(store.HasStaged);

        Assert.Equal(DeployStatus.Ok, store.Commit());
        Assert.NotSame(before, store.Live.Table);
        Assert.Equal(TestPolicies.Crc(second), store.CurrentCrc);
    }

    [Fact]
    public void A_staged_image_is_adopted_after_reboot_without_a_new_transfer()
    {
        var flash = new MemoryPolicyStorage(Capacity);
        PolicyStore store = NewStore(flash);
        byte[] first = TestPolicies.Small(1);
        byte[] second = TestPolicies.Small(2);
        TestPolicies.Install(store, first);
        store.BeginStage(second.Length, TestPolicies.Crc(second));
        store.WriteStage(0, second, 0, second.Length);
        store.FinishStage();

        PolicyStore rebooted = NewStore(flash);
        Assert.Equal(TestPolicies.Crc(first), rebooted.CurrentCrc);
        Assert.False(rebooted.TryAdoptStaged(second.Length, TestPolicies.Crc(second) ^ 1));
        Assert.True(rebooted.TryAdoptStaged(second.Length, TestPolicies.Crc(second)));
        Assert.Equal(DeployStatus.Ok, rebooted.Commit());
        Assert.Equal(TestPolicies.Crc(second), NewStore(flash).CurrentCrc);
    }

    [Fact]
    public void A_newest_record_whose_slot_is_damaged_falls_back_to_the_older_policy()
    {
        var flash = new MemoryPolicyStorage(Capacity);
        PolicyStore store = NewStore(flash);
        byte[] first = TestPolicies.Small(1);
        byte[] second = TestPolicies.Small(2);
        TestPolicies.Install(store, first);
        TestPolicies.Install(store, second);
        byte[] slot = flash.Snapshot(store.CurrentSlot)!;
        slot[slot.Length / 2] ^= 0x10;
        flash.Put(store.CurrentSlot, slot);

        PolicyStore rebooted = NewStore(flash);
        Assert.Equal(TestPolicies.Crc(first), rebooted.CurrentCrc);

        // The next upload must not overwrite the record now in force (generation keeps rising past the broken one).
        byte[] third = TestPolicies.Small(3);
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(rebooted, third));
        Assert.Equal(3u, rebooted.CurrentGeneration);
        Assert.Equal(TestPolicies.Crc(third), NewStore(flash).CurrentCrc);
    }

    [Fact]
    public void File_system_storage_round_trips_on_a_real_directory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "edgemarl-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var storage = new FileSystemPolicyStorage(dir + Path.DirectorySeparatorChar, Capacity);
            PolicyStore store = NewStore(storage);
            byte[] first = TestPolicies.Small(1);
            byte[] second = TestPolicies.Small(2);
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, first));
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, second));
            PolicyStore rebooted = NewStore(new FileSystemPolicyStorage(dir + Path.DirectorySeparatorChar, Capacity));
            Assert.Equal(TestPolicies.Crc(second), rebooted.CurrentCrc);
            Assert.Equal(first.Length, new FileInfo(storage.PathOf(StoreFiles.SlotA)).Length);
            Assert.Equal(second.Length, new FileInfo(storage.PathOf(StoreFiles.SlotB)).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
