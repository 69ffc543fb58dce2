using EdgeMarl.Cli.Commands;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// A policy store whose flash fails at boot (every access throws, as a file system that cannot be mounted or read does)
/// is a <c>storage-failure</c>, not <c>no-policy</c>: counted, retried, and shown by device-info with that cause.
/// </summary>
public sealed class StorageFailureTests
{
    /// <summary>Flash that holds a valid store but fails every access while <see cref="Failing"/> is set.</summary>
    private sealed class FailingStorage(IPolicyStorage inner) : IPolicyStorage
    {
        public bool Failing { get; set; }

        public int SlotCapacity => inner.SlotCapacity;

        public int Length(int file) => Failing ? throw new IOException("flash read failed") : inner.Length(file);

        public void Create(int file, int length)
        {
            Check();
            inner.Create(file, length);
        }

        public void Write(int file, int position, byte[] buffer, int offset, int count)
        {
            Check();
            inner.Write(file, position, buffer, offset, count);
        }

        public void Flush(int file)
        {
            Check();
            inner.Flush(file);
        }

        public int Read(int file, int position, byte[] buffer, int offset, int count)
        {
            Check();
            return inner.Read(file, position, buffer, offset, count);
        }

        private void Check()
        {
            if (Failing)
            {
                throw new IOException("flash access failed");
            }
        }
    }

    private sealed class PolicyNode(NodeBoot boot) : ISupervisedNode
    {
        public int Boot()
        {
            int cause = boot.LoadIdentity();
            return cause != FaultCounters.None ? cause : boot.OpenPolicy();
        }

        public int Step() => FaultCounters.None;

        public void HoldSafe()
        {
        }

        public bool Wait(int milliseconds) => false;
    }

    private sealed class Rebooter : IRebooter
    {
        public void Reboot()
        {
        }
    }

    private static (FailingStorage Storage, ProvisioningStore Provisioning) Device(TempFolder folder)
    {
        var provisioning = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        provisioning.Boot();
        Assert.Equal(DeployStatus.Ok, provisioning.Write(new ProvisioningRecord
        {
            Role = ProvisioningRecord.RoleRobot,
            NodeId = 3,
            FleetId = 1,
            TickPeriodMs = 200,
            Key = TestPolicies.Key,
            UdpPort = 47800,
        }));

        var flash = new MemoryPolicyStorage(64 * 1024);
        var store = new PolicyStore(flash, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 256, 4);
        store.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, TestPolicies.Medium(1, TestPolicies.Key, version: 2)));
        return (new FailingStorage(flash), provisioning);
    }

    [Fact]
    public void A_store_whose_flash_fails_at_boot_is_a_storage_failure_and_a_healthy_flash_boots_the_same_policy()
    {
        using var folder = new TempFolder();
        var (storage, provisioning) = Device(folder);
        storage.Failing = true;
        var boot = new NodeBoot(provisioning, storage, TestPolicies.MediumGame(), null, null, true);
        Assert.Equal(FaultCounters.None, boot.LoadIdentity());
        Assert.Equal(FaultCounters.StorageFailure, boot.OpenPolicy());

        // The flash comes back: the retry (a new store on the same flash) finds the policy that was there all along.
        storage.Failing = false;
        var healthy = new NodeBoot(provisioning, storage, TestPolicies.MediumGame(), null, null, true);
        healthy.LoadIdentity();
        Assert.Equal(FaultCounters.None, healthy.OpenPolicy());
        Assert.Equal(2u, healthy.Store!.CurrentVersion);
    }

    [Fact]
    public void Device_info_reports_storage_failure_counts_and_the_retry_cause()
    {
        using var folder = new TempFolder();
        var (storage, provisioning) = Device(folder);
        storage.Failing = true;
        var faults = new FaultCounters(new FileRecordFiles(folder.Root, "faults"));
        var health = new NodeHealth();
        var boot = new NodeBoot(provisioning, storage, TestPolicies.MediumGame(), null, null, true);
        int cause = new BootSupervisor(new PolicyNode(boot), faults, new Rebooter(), new BackoffSchedule { RebootAfterFailures = 3 }, health).Run();
        Assert.Equal(FaultCounters.StorageFailure, cause);

        var wire = new SerialWire(5, 0, 0);
        var serial = new DeviceSerialService(wire.Device, provisioning, faults, health, new HmacAuthenticatorFactory(), "edgemarl-test", true);
        wire.Receiver = serial.Receiver;
        DeviceInfo info = new DeviceClient(wire).Info();
        Assert.Equal(3u, info.FaultCounts[FaultCounters.StorageFailure]);
        Assert.Equal(0u, info.FaultCounts[FaultCounters.NoPolicy]);
        string report = DeviceInfoCommand.Describe(info);
        Assert.Contains("storage-failure 3", report, StringComparison.Ordinal);
        Assert.Contains("last reboot cause: storage-failure", report, StringComparison.Ordinal);
        Assert.Contains("state: retrying after storage-failure (failure 3 in a row)", report, StringComparison.Ordinal);
    }
}
