using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests;

/// <summary>Bad uploads are refused with a specific status (and offset), and the policy in force stays in force, also after a reboot.</summary>
public sealed class RejectionTests
{
    private const int Capacity = 8 * 1024;

    private sealed class Node
    {
        public Node(IIncrementalAuthenticator? auth, byte[] installed)
        {
            Flash = new MemoryPolicyStorage(Capacity);
            Auth = auth;
            Store = Boot();
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(Store, installed));
            Installed = TestPolicies.Crc(installed);
            ActiveSlotBytes = Flash.Snapshot(Store.CurrentSlot)!;
            Table = Store.Live.Table;
        }

        public MemoryPolicyStorage Flash { get; }
        public IIncrementalAuthenticator? Auth { get; }
        public PolicyStore Store { get; }
        public uint Installed { get; }
        public byte[] ActiveSlotBytes { get; }
        public IPolicyLookup Table { get; }

        public PolicyStore Boot()
        {
            var store = Auth is null ? PolicyStore.CreateInsecureForHostTests(Flash, TestPolicies.SmallGame(minK: 1), 64, 2) : new PolicyStore(Flash, TestPolicies.SmallGame(minK: 1), Auth, 64, 2);
            store.Boot();
            return store;
        }

        public void AssertUnchanged()
        {
            Assert.Equal(Installed, Store.CurrentCrc);
            Assert.Same(Table, Store.Live.Table);
            Assert.Equal(ActiveSlotBytes, Flash.Snapshot(Store.CurrentSlot));
            Assert.Equal(Installed, Boot().CurrentCrc);
        }
    }

    private static DeployStatus Upload(PolicyStore store, byte[] image, uint? announcedCrc = null)
    {
        DeployStatus status = store.BeginStage(image.Length, announcedCrc ?? TestPolicies.Crc(image));
        if (status != DeployStatus.Ok)
        {
            return status;
        }

        store.WriteStage(0, image, 0, image.Length);
        status = store.FinishStage();
        return status != DeployStatus.Ok ? status : store.Commit();
    }

    [Fact]
    public void Corrupted_policy_is_rejected_with_the_readers_status_and_offset()
    {
        var node = new Node(null, TestPolicies.Small(1));
        byte[] bad = TestPolicies.Small(2);
        bad[PolicyFileLayout.HeaderLength + 40] ^= 0x04;
        Assert.Equal(DeployStatus.PolicyRejected, Upload(node.Store, bad));
        Assert.Equal(PolicyStatus.CrcMismatch, node.Store.LastPolicyError.Status);
        Assert.Equal(bad.Length - 4, node.Store.LastErrorOffset);
        node.AssertUnchanged();
    }

    [Fact]
    public void Image_damaged_in_transit_is_rejected_by_the_image_crc()
    {
        var node = new Node(null, TestPolicies.Small(1));
        byte[] image = TestPolicies.Small(2);
        uint crc = TestPolicies.Crc(image);
        image[image.Length / 2] ^= 1;
        Assert.Equal(DeployStatus.ImageCrcMismatch, Upload(node.Store, image, crc));
        node.AssertUnchanged();
    }

    [Fact]
    public void Truncated_policy_is_rejected_as_a_length_mismatch()
    {
        var node = new Node(null, TestPolicies.Small(1));
        byte[] truncated = TestPolicies.Small(2)[..^10];
        Assert.Equal(DeployStatus.PolicyRejected, Upload(node.Store, truncated));
        Assert.Equal(PolicyStatus.LengthMismatch, node.Store.LastPolicyError.Status);
        Assert.Equal(PolicyFileLayout.FileLengthOffset, node.Store.LastErrorOffset);
        node.AssertUnchanged();
    }

    [Fact]
    public void Oversized_and_undersized_images_are_refused_before_anything_is_written()
    {
        var node = new Node(null, TestPolicies.Small(1));
        Assert.Equal(DeployStatus.TooLarge, node.Store.BeginStage(Capacity + 1, 0));
        Assert.Equal(DeployStatus.TooSmall, node.Store.BeginStage(100, 0));
        Assert.Equal(DeployStatus.NotStarted, node.Store.WriteStage(0, new byte[1], 0, 1));
        Assert.Equal(DeployStatus.NotStarted, node.Store.Commit());
        node.AssertUnchanged();
    }

    [Theory]
    [InlineData(3, 3, 2, 2, 1, 2, PolicyFileLayout.GlobalStatesOffset)]
    [InlineData(2, 4, 2, 2, 1, 2, PolicyFileLayout.GlobalActionsOffset)]
    [InlineData(2, 3, 3, 2, 1, 2, PolicyFileLayout.LocalStatesOffset)]
    [InlineData(2, 3, 2, 3, 1, 2, PolicyFileLayout.LocalActionsOffset)]
    [InlineData(2, 3, 2, 2, 0, 0, PolicyFileLayout.SampleSizeOffset)]
    public void Policy_for_another_game_is_rejected_naming_the_size_field(int sg, int ag, int sl, int al, int kMin, int k, int field)
    {
        var node = new Node(null, TestPolicies.Small(1));
        byte[] other = TestPolicies.Build(sg, ag, sl, al, kMin, k, 9, null);
        Assert.Equal(DeployStatus.WrongGame, Upload(node.Store, other));
        Assert.Equal(field, node.Store.LastErrorOffset);
        node.AssertUnchanged();
    }

    [Fact]
    public void A_gateway_polling_more_robots_than_the_largest_table_accepts_it_but_not_one_with_no_table_at_or_below_its_k()
    {
        // Issue 18: a lifted policy stores tables up to k' < k and the gateway polling k subsamples its replies to k', so
        // the store takes it. A policy whose smallest table is above k would leave the gateway without any table: refused,
        // naming k_min.
        var flash = new MemoryPolicyStorage(Capacity);
        var store = PolicyStore.CreateInsecureForHostTests(flash, TestPolicies.MediumGame(minK: 6), 64, 2);
        store.Boot();

        Assert.Equal(DeployStatus.Ok, Upload(store, TestPolicies.Build(3, 4, 4, 3, 1, 3, 5, null, 1)));
        Assert.Equal(3, store.Live.Table.K);
        Assert.Equal(DeployStatus.WrongGame, Upload(store, TestPolicies.Build(3, 4, 4, 3, 7, 8, 6, null, 2)));
        Assert.Equal(PolicyFileLayout.MinSampleSizeOffset, store.LastErrorOffset);
    }

    [Fact]
    public void Keyed_node_rejects_an_untagged_policy_and_one_tagged_with_another_key()
    {
        var auth = new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key);
        var node = new Node(auth, TestPolicies.Small(1, TestPolicies.Key));

        Assert.Equal(DeployStatus.PolicyRejected, Upload(node.Store, TestPolicies.Small(2)));
        Assert.Equal(PolicyStatus.HmacMissing, node.Store.LastPolicyError.Status);
        node.AssertUnchanged();

        Assert.Equal(DeployStatus.PolicyRejected, Upload(node.Store, TestPolicies.Small(2, TestPolicies.OtherKey)));
        Assert.Equal(PolicyStatus.HmacMismatch, node.Store.LastPolicyError.Status);
        node.AssertUnchanged();

        Assert.Equal(DeployStatus.Ok, Upload(node.Store, TestPolicies.Small(2, TestPolicies.Key)));
    }
}
