using EdgeMarl.Cli.Commands;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// Info layout 2 end to end in memory: the gateway's <see cref="FleetSizeMonitor"/> and the supervisor's
/// <see cref="NodeHealth"/> reach the operator through <see cref="DeviceService"/>, <see cref="DeviceClient"/> and the
/// <c>device-info</c> report; a layout-1 device is still read.
/// </summary>
public sealed class DeviceInfoLayoutTests
{
    private sealed class Live(int robots) : ILiveFleetSize
    {
        public int LiveRobots => robots;
    }

    [Fact]
    public void A_fleet_size_mismatch_is_counted_and_shown_with_both_sizes_and_the_phase()
    {
        using var folder = new TempFolder();
        var provisioning = new ProvisioningStore(new FileRecordFiles(folder.Root, "provision"));
        provisioning.Boot();
        var faults = new FaultCounters(new FileRecordFiles(folder.Root, "faults"));
        var store = PolicyStore.CreateInsecureForHostTests(new MemoryPolicyStorage(64 * 1024), TestPolicies.MediumGame(), 256, 4);
        store.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, TestPolicies.Medium(1)));
        int trained = FleetSizeMonitor.TrainedFleetSize(store.Live);
        var health = new NodeHealth { Phase = NodeHealth.PhaseRunning };
        string? warning = new FleetSizeMonitor(new Live((trained * 3) + 1), store.Live, faults, health, 1).Tick();
        Assert.NotNull(warning);

        var wire = new SerialWire(5, 0, 0);
        var serial = new DeviceSerialService(wire.Device, provisioning, faults, health, new HmacAuthenticatorFactory(), "edgemarl-test", true);
        serial.Attach(store, true);
        wire.Receiver = serial.Receiver;
        DeviceInfo info = new DeviceClient(wire).Info();

        Assert.Equal(2, info.Layout);
        Assert.Equal(1u, info.FaultCounts[FaultCounters.FleetSizeMismatch]);
        string report = DeviceInfoCommand.Describe(info);
        Assert.Contains("fleet-size-mismatch 1", report, StringComparison.Ordinal);
        Assert.Contains($"fleet size: live {(trained * 3) + 1}, policy trained for n = {trained}", report, StringComparison.Ordinal);
        Assert.Contains("state: running", report, StringComparison.Ordinal);

        health.Phase = NodeHealth.PhaseRetrying;
        health.RetryCause = FaultCounters.NoNetwork;
        health.Failures = 3;
        Assert.Contains("state: retrying after no-network (failure 3 in a row)", DeviceInfoCommand.Describe(new DeviceClient(wire).Info()), StringComparison.Ordinal);
    }

    /// <summary>A device on layout 1 (128 bytes): the first firmware with device-info.</summary>
    private sealed class LayoutOneDevice : ISerialRequestHandler
    {
        public bool Handle(byte type, byte sequence, byte[] frame, int payloadOffset, int payloadLength, ISerialLink link)
        {
            var reply = new byte[SerialFrameLayout.HeaderBytes + DeviceServiceLayout.InfoResponseBytesV1 + SerialFrameLayout.CrcBytes];
            reply[SerialFrameLayout.HeaderBytes + DeviceServiceLayout.InfoVersion] = 1;
            reply[SerialFrameLayout.HeaderBytes + DeviceServiceLayout.InfoLastRebootCause] = FaultCounters.RadioFailure;
            reply[SerialFrameLayout.HeaderBytes + DeviceServiceLayout.InfoFaultCounts + (4 * FaultCounters.RadioFailure)] = 2;
            link.Write(reply, 0, SerialFrameWriter.Seal(reply, (byte)(type | SerialFrameLayout.ResponseBit), sequence, DeviceServiceLayout.InfoResponseBytesV1));
            return true;
        }
    }

    [Fact]
    public void A_layout_1_device_is_still_read_without_the_phase_lines()
    {
        var wire = new SerialWire(6, 0, 0);
        wire.Receiver = new SerialPolicyReceiver(wire.Device, null, true) { Extension = new LayoutOneDevice() };
        DeviceInfo info = new DeviceClient(wire).Info();
        Assert.Equal(1, info.Layout);
        Assert.Equal(8, info.FaultCounts.Length);
        string report = DeviceInfoCommand.Describe(info);
        Assert.Contains("radio-failure 2", report, StringComparison.Ordinal);
        Assert.Contains("last reboot cause: radio-failure", report, StringComparison.Ordinal);
        Assert.DoesNotContain("state:", report, StringComparison.Ordinal);
    }
}
