using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>The provisioning record and fault counters on flash: A/B copies, generation, CRC; a cut write leaves the old record.</summary>
public sealed class ProvisioningStoreTests
{
    private static ProvisioningRecord Robot(int id) => new()
    {
        Role = ProvisioningRecord.RoleRobot,
        NodeId = id,
        FleetId = 7,
        TickPeriodMs = 200,
        Key = TestPolicies.Key,
        UdpPort = 47800,
        Ssid = "net"u8.ToArray(),
        Password = "secret-pass"u8.ToArray(),
    };

    [Fact]
    public void A_cut_at_every_byte_of_a_rewrite_leaves_the_old_or_the_new_record()
    {
        using var folder = new TempFolder();
        var files = new FileRecordFiles(folder.Root, "provision");
        var store = new ProvisioningStore(files);
        Assert.False(store.Boot());
        Assert.Equal(DeployStatus.Ok, store.Write(Robot(5)));
        Assert.Equal(DeployStatus.Ok, store.Write(Robot(6)));

        // The third write goes to copy 0 (holding generation 1); cut it after every prefix length.
        byte[] full = new byte[ProvisioningRecord.Length];
        Robot(9).Also(r => r.Generation = 3).Encode(full, 0);
        string copy0 = Path.Combine(folder.Path, "provision-0.rec");
        for (int cut = 0; cut < ProvisioningRecord.Length; cut++)
        {
            File.WriteAllBytes(copy0, full[..cut]);
            var rebooted = new ProvisioningStore(files);
            Assert.True(rebooted.Boot());
            Assert.Equal(6, rebooted.Current!.NodeId);
            Assert.Equal(2u, rebooted.Current.Generation);
        }

        File.WriteAllBytes(copy0, full);
        var done = new ProvisioningStore(files);
        Assert.True(done.Boot());
        Assert.Equal(9, done.Current!.NodeId);
    }

    [Fact]
    public void A_flipped_bit_in_the_newest_copy_falls_back_to_the_older_and_is_counted()
    {
        using var folder = new TempFolder();
        var files = new FileRecordFiles(folder.Root, "provision");
        var store = new ProvisioningStore(files);
        store.Boot();
        store.Write(Robot(5));
        store.Write(Robot(6));
        string copy1 = Path.Combine(folder.Path, "provision-1.rec");
        byte[] bytes = File.ReadAllBytes(copy1);
        bytes[ProvisioningRecord.NodeIdOffset] ^= 0x04;
        File.WriteAllBytes(copy1, bytes);

        var rebooted = new ProvisioningStore(files);
        Assert.True(rebooted.Boot());
        Assert.Equal(5, rebooted.Current!.NodeId);
        Assert.Equal(1, rebooted.CorruptCopies);

        // The next write replaces the corrupt copy, not the one in force.
        Assert.Equal(DeployStatus.Ok, rebooted.Write(Robot(8)));
        Assert.Equal(2u, rebooted.Current!.Generation); // one above the newest VALID copy; the corrupt one does not count
        var again = new ProvisioningStore(files);
        Assert.True(again.Boot());
        Assert.Equal(8, again.Current!.NodeId);
        Assert.Equal(0, again.CorruptCopies);
    }

    [Fact]
    public void Out_of_range_records_are_refused_and_the_old_one_stays()
    {
        using var folder = new TempFolder();
        var store = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        store.Boot();
        store.Write(Robot(5));
        Assert.Equal(DeployStatus.BadRequest, store.Write(Robot(5).Also(r => r.Key = new byte[8])));
        Assert.Equal(DeployStatus.BadRequest, store.Write(Robot(0)));
        Assert.Equal(5, store.Current!.NodeId);
    }

    [Fact]
    public void Fault_counters_and_the_reboot_cause_survive_a_reboot_and_a_torn_copy()
    {
        using var folder = new TempFolder();
        var files = new FileRecordFiles(folder.Root, "faults");
        var faults = new FaultCounters(files);
        faults.Record(FaultCounters.NoNetwork);
        faults.Record(FaultCounters.NoNetwork);
        faults.Record(FaultCounters.LoopException);
        faults.NoteReboot(FaultCounters.LoopException);

        var after = new FaultCounters(files);
        Assert.Equal(2u, after.Count(FaultCounters.NoNetwork));
        Assert.Equal(1u, after.Count(FaultCounters.LoopException));
        Assert.Equal(FaultCounters.LoopException, after.TakeRebootCause());

        // TakeRebootCause wrote a new copy without the cause; tear that copy: the previous one (with the cause) is read.
        // Writes alternate copies 0, 1, 0, 1 (generations 1–4); TakeRebootCause wrote generation 5 into copy 0.
        string newest = Path.Combine(folder.Path, "faults-0.rec");
        File.WriteAllBytes(newest, File.ReadAllBytes(newest)[..20]);
        var torn = new FaultCounters(files);
        Assert.Equal(2u, torn.Count(FaultCounters.NoNetwork));
        Assert.Equal(FaultCounters.LoopException, torn.LastRebootCause);
    }
}

public sealed class FaultCountersFormatTests
{
    [Fact]
    public void A_version_1_copy_is_read_and_the_next_write_is_version_2_with_12_causes()
    {
        using var folder = new TempFolder();

        // A 48-byte version-1 copy as the first firmware wrote it: 8 causes, byte 9 reserved (0), CRC over [0, 44).
        var v1 = new byte[48];
        EdgeMarl.Shared.Protocol.WireBytes.WriteUInt32(v1, 0, 0x43464D45);
        EdgeMarl.Shared.Protocol.WireBytes.WriteUInt32(v1, 4, 3);
        v1[8] = (byte)FaultCounters.NoNetwork;
        EdgeMarl.Shared.Protocol.WireBytes.WriteUInt32(v1, 12 + (4 * FaultCounters.NoPolicy), 5);
        EdgeMarl.Shared.Protocol.WireBytes.WriteUInt32(v1, 44, EdgeMarl.Shared.Integrity.Crc32.Compute(v1, 0, 44));
        File.WriteAllBytes(Path.Combine(folder.Path, "faults-0.rec"), v1);

        var files = new FileRecordFiles(folder.Root, "faults");
        var faults = new FaultCounters(files);
        Assert.Equal(5u, faults.Count(FaultCounters.NoPolicy));
        Assert.Equal(FaultCounters.NoNetwork, faults.LastRebootCause);

        faults.Record(FaultCounters.FleetSizeMismatch);
        Assert.Equal(FaultCounters.Length, new FileInfo(Path.Combine(folder.Path, "faults-1.rec")).Length);
        var reread = new FaultCounters(files);
        Assert.Equal(5u, reread.Count(FaultCounters.NoPolicy));
        Assert.Equal(1u, reread.Count(FaultCounters.FleetSizeMismatch));

        // A version-1 copy with a wrong CRC is ignored (the version-2 copy is newer anyway, but alone it must not load).
        v1[13] ^= 1;
        File.WriteAllBytes(Path.Combine(folder.Path, "faults-1.rec"), v1);
        File.Delete(Path.Combine(folder.Path, "faults-0.rec"));
        Assert.Equal(0u, new FaultCounters(files).Count(FaultCounters.NoPolicy));
    }

    [Theory]
    [InlineData(new byte[] { 0x24, 0x6F, 0x28, 0x12, 0x34, 0x56 }, 0x3456)]
    [InlineData(new byte[] { 0x24, 0x6F, 0x28, 0x12, 0xB4, 0x56 }, 0x3456)]
    [InlineData(new byte[] { 0x24, 0x6F, 0x28, 0x12, 0x80, 0x00 }, 0x7FFF)]
    public void A_mac_derived_robot_id_is_the_low_15_bits_and_never_0(byte[] mac, int id)
    {
        var record = new EdgeMarl.Shared.Deployment.ProvisioningRecord
        {
            Role = EdgeMarl.Shared.Deployment.ProvisioningRecord.RoleRobot,
            Flags = EdgeMarl.Shared.Deployment.ProvisioningRecord.FlagIdFromMac,
            FleetId = 2,
            TickPeriodMs = 150,
            UdpPort = 47801,
            Ssid = "net"u8.ToArray(),
            Password = "pw"u8.ToArray(),
        };
        var settings = EdgeMarl.Firmware.Supervision.NodeSettings.From(record, mac)!;
        Assert.Equal(id, settings.NodeId);
        Assert.Equal(("net", "pw", 2, 150, 47801), (settings.Ssid, settings.Password, settings.FleetId, settings.TickPeriodMs, settings.UdpPort));
        Assert.Null(EdgeMarl.Firmware.Supervision.NodeSettings.From(record, null));
        record.Ssid = null;
        Assert.Null(EdgeMarl.Firmware.Supervision.NodeSettings.From(record, mac)!.Ssid); // left out: the network stored on the device
    }
}

internal static class AlsoExtension
{
    public static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }
}
