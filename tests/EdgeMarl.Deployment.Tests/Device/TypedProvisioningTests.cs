using EdgeMarl.Cli.Commands;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// A robot's type in its provisioning record (byte 155, record version 2; docs/provisioning.md) and what the device does with it:
/// device-info reports it, the policy store refuses a policy without rows for it, and an image may pin the fleet's game hash.
/// </summary>
public sealed class TypedProvisioningTests
{
    private static ProvisioningRecord Robot(int type) => new()
    {
        Role = ProvisioningRecord.RoleRobot,
        NodeId = 12,
        FleetId = 3,
        TickPeriodMs = 200,
        UdpPort = 47800,
        Key = TestPolicies.Key,
        RobotType = type,
    };

    [Fact]
    public void A_typed_record_is_version_2_with_the_type_at_byte_155_and_round_trips()
    {
        byte[] bytes = new byte[ProvisioningRecord.Length];
        Robot(3).Encode(bytes, 0);

        Assert.Equal(ProvisioningRecord.TypedVersion, bytes[ProvisioningRecord.VersionOffset]);
        Assert.Equal(3, bytes[ProvisioningRecord.RobotTypeOffset]);
        Assert.True(ProvisioningRecord.IsValid(bytes, 0, bytes.Length));
        Assert.Equal(3, ProvisioningRecord.Decode(bytes, 0).RobotType);
    }

    [Fact]
    public void An_untyped_record_is_the_version_1_record_of_before_and_reads_as_type_0()
    {
        // Type 0 writes version 1 with byte 155 zero: the bytes every record had before robot types (so older images still read it).
        byte[] bytes = new byte[ProvisioningRecord.Length];
        Robot(0).Encode(bytes, 0);

        Assert.Equal(ProvisioningRecord.CurrentVersion, bytes[ProvisioningRecord.VersionOffset]);
        Assert.Equal(0, bytes[ProvisioningRecord.RobotTypeOffset]);
        Assert.True(ProvisioningRecord.IsValid(bytes, 0, bytes.Length));
        Assert.Equal(0, ProvisioningRecord.Decode(bytes, 0).RobotType);
    }

    [Theory]
    [InlineData(1, 5)]   // version 1 with a non-zero reserved byte 155
    [InlineData(2, 0)]   // version 2 without a type
    [InlineData(2, 255)] // type above 254
    [InlineData(3, 1)]   // an unknown version
    public void Records_that_break_the_type_rules_are_refused(int version, int typeByte)
    {
        byte[] bytes = new byte[ProvisioningRecord.Length];
        Robot(0).Encode(bytes, 0);
        bytes[ProvisioningRecord.VersionOffset] = (byte)version;
        bytes[ProvisioningRecord.RobotTypeOffset] = (byte)typeByte;
        WithCrc(bytes);

        Assert.False(ProvisioningRecord.IsValid(bytes, 0, bytes.Length));
    }

    [Fact]
    public void A_gateway_has_no_type()
    {
        var gateway = Robot(1);
        gateway.Role = ProvisioningRecord.RoleGateway;
        gateway.NodeId = 0;
        Assert.Equal("robot type: only a robot has a type (a gateway's is 0)", gateway.Problem());
        Assert.Equal("robot type: must be in [0, 254]", Robot(255).Problem());

        byte[] bytes = new byte[ProvisioningRecord.Length];
        Robot(1).Encode(bytes, 0);
        bytes[ProvisioningRecord.RoleOffset] = ProvisioningRecord.RoleGateway;
        WithCrc(bytes);
        Assert.False(ProvisioningRecord.IsValid(bytes, 0, bytes.Length));
    }

    [Fact]
    public void Device_info_reports_the_provisioned_type()
    {
        using var folder = new TempFolder();
        var provisioning = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        provisioning.Boot();
        Assert.Equal(DeployStatus.Ok, provisioning.Write(Robot(1)));
        var faults = new FaultCounters(new FileRecordFiles(folder.Root, "faults"));
        var wire = new SerialWire(5, 0, 0);
        var serial = new DeviceSerialService(wire.Device, provisioning, faults, new NodeHealth(), new HmacAuthenticatorFactory(), "edgemarl-test", true);
        wire.Receiver = serial.Receiver;

        DeviceInfo info = new DeviceClient(wire).Info();

        Assert.Equal(1, info.RobotType);
        Assert.Contains("robot type: 1\n", DeviceInfoCommand.Describe(info).ReplaceLineEndings("\n") + "\n", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, DeployStatus.Ok)]
    [InlineData(1, DeployStatus.Ok)]
    [InlineData(2, DeployStatus.WrongGame)]
    public void The_store_of_a_robot_refuses_a_policy_without_rows_for_its_type(int type, DeployStatus expected)
    {
        // Through the boot step the ESP32 programs run: the record's type reaches the store's expectations.
        using var folder = new TempFolder();
        using var storage = new FileSystemPolicyStorage(folder.Root, 64 * 1024);
        var provisioning = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        provisioning.Boot();
        Assert.Equal(DeployStatus.Ok, provisioning.Write(Robot(type)));
        var boot = new NodeBoot(new ProvisioningStore(new FileRecordFiles(folder.Root, "provision")), storage, TestPolicies.MediumGame(), null, null, true);
        Assert.Equal(FaultCounters.None, boot.LoadIdentity());
        Assert.Equal(FaultCounters.NoPolicy, boot.OpenPolicy());
        byte[] typed = TestPolicies.Build(3, 4, 4, 3, 2, 4, 7, TestPolicies.Key, 5, robotTypes: 2);

        Assert.Equal(expected, TestPolicies.Install(boot.Store!, typed));
        if (expected == DeployStatus.WrongGame)
        {
            Assert.Equal(PolicyFileLayout.RobotTypesOffset, boot.Store!.LastErrorOffset);
            Assert.False(boot.Store.HasPolicy);
        }
        else
        {
            Assert.Equal(2, boot.Store!.Live.RobotTypes);
        }
    }

    [Fact]
    public void An_image_that_pins_the_game_hash_refuses_a_policy_for_another_fleet()
    {
        byte[] fleetHash = Enumerable.Range(0, 32).Select(i => (byte)(i + 1)).ToArray();
        PolicyExpectations expected = TestPolicies.MediumGame();
        expected.GameHash = fleetHash;
        var store = PolicyStore.CreateInsecureForHostTests(new MemoryPolicyStorage(64 * 1024), expected, 256, 4);
        store.Boot();
        byte[] otherHash = (byte[])fleetHash.Clone();
        otherHash[5] ^= 0x40;

        Assert.Equal(DeployStatus.WrongGame, TestPolicies.Install(store, TestPolicies.Build(3, 4, 4, 3, 2, 4, 8, null, 6, robotTypes: 2, gameHash: otherHash)));
        Assert.Equal(PolicyFileLayout.GameHashOffset + 5, store.LastErrorOffset);
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, TestPolicies.Build(3, 4, 4, 3, 2, 4, 8, null, 7, robotTypes: 2, gameHash: fleetHash)));
    }

    private static void WithCrc(byte[] bytes) =>
        EdgeMarl.Shared.Protocol.WireBytes.WriteUInt32(bytes, ProvisioningRecord.CrcOffset, EdgeMarl.Shared.Integrity.Crc32.Compute(bytes, 0, ProvisioningRecord.CrcOffset));
}
