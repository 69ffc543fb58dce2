using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>The boot steps' outcomes, and that retrying them never disturbs an upload in progress.</summary>
public sealed class NodeBootTests
{
    private static ProvisioningStore Provisioning(TempFolder folder, byte[]? key)
    {
        var store = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        store.Boot();
        if (key is not null)
        {
            Assert.Equal(DeployStatus.Ok, store.Write(new ProvisioningRecord { Role = ProvisioningRecord.RoleRobot, NodeId = 3, FleetId = 1, TickPeriodMs = 200, UdpPort = 47800, Key = key }));
        }

        return store;
    }

    [Fact]
    public void Identity_outcomes_blank_bench_key_required_record_and_corrupt_copies()
    {
        using var folder = new TempFolder();
        using var storage = new FileSystemPolicyStorage(folder.Root, 64 * 1024);
        var blank = Provisioning(folder, null);
        Assert.Equal(BootSupervisor.Unprovisioned, new NodeBoot(blank, storage, TestPolicies.MediumGame(), null, null, false).LoadIdentity());
        Assert.Equal(FaultCounters.None, new NodeBoot(blank, storage, TestPolicies.MediumGame(), null, TestPolicies.Key, false).LoadIdentity());
        Assert.Equal(BootSupervisor.Unprovisioned, new NodeBoot(blank, storage, TestPolicies.MediumGame(), null, TestPolicies.Key, true).LoadIdentity());

        Provisioning(folder, TestPolicies.OtherKey);
        var provisioned = new NodeBoot(new ProvisioningStore(new FileRecordFiles(folder.Root, "provision")), storage, TestPolicies.MediumGame(), null, TestPolicies.Key, true);
        Assert.Equal(FaultCounters.None, provisioned.LoadIdentity());
        Assert.Equal(TestPolicies.OtherKey, provisioned.Key); // the provisioned key wins over the bench key

        string copy = Path.Combine(folder.Path, "provision-0.rec");
        byte[] bytes = File.ReadAllBytes(copy);
        bytes[ProvisioningRecord.NodeIdOffset] ^= 1;
        File.WriteAllBytes(copy, bytes);
        Assert.Equal(FaultCounters.BadProvisioning, provisioned.LoadIdentity());
    }

    [Fact]
    public void A_retry_of_the_policy_step_keeps_an_upload_in_progress_and_sees_it_once_committed()
    {
        using var folder = new TempFolder();
        using var storage = new FileSystemPolicyStorage(folder.Root, 64 * 1024);
        var boot = new NodeBoot(Provisioning(folder, TestPolicies.Key), storage, TestPolicies.MediumGame(), null, null, true);
        Assert.Equal(FaultCounters.None, boot.LoadIdentity());
        Assert.Equal(FaultCounters.NoPolicy, boot.OpenPolicy());
        PolicyStore store = boot.Store!;

        byte[] image = TestPolicies.Medium(1, TestPolicies.Key, version: 3);
        Assert.Equal(DeployStatus.Ok, store.BeginStage(image.Length, TestPolicies.Crc(image)));
        Assert.Equal(DeployStatus.Ok, store.WriteStage(0, image, 0, image.Length / 2));

        // The supervisor retries (backoff elapsed) while the operator's upload is half way.
        Assert.Equal(FaultCounters.NoPolicy, boot.OpenPolicy());
        Assert.Same(store, boot.Store);
        Assert.Equal(DeployStatus.Ok, store.WriteStage(image.Length / 2, image, image.Length / 2, image.Length - (image.Length / 2)));
        Assert.Equal(DeployStatus.Ok, store.FinishStage());
        Assert.Equal(DeployStatus.Ok, store.Commit());
        Assert.Equal(FaultCounters.None, boot.OpenPolicy());
    }

    [Fact]
    public void Without_any_key_the_policy_step_is_no_key_and_opens_no_store()
    {
        using var folder = new TempFolder();
        using var storage = new FileSystemPolicyStorage(folder.Root, 64 * 1024);
        var boot = new NodeBoot(Provisioning(folder, null), storage, TestPolicies.MediumGame(), null, null, false);
        Assert.Equal(BootSupervisor.Unprovisioned, boot.LoadIdentity());
        Assert.Equal(FaultCounters.NoKey, boot.OpenPolicy());
        Assert.Null(boot.Store);
    }
}
