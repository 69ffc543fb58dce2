using System.CommandLine;
using EdgeMarl.Cli.Commands;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// Issue 11, findings 1 and 2 over serial, as an attacker with a cable would try them: the real <c>edgemarl upload</c>
/// against the real firmware receiver and store in <c>edgemarl device</c>, over a socat pty pair.
/// </summary>
public sealed class StandInDeviceSecurityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgemarl-standin-" + Guid.NewGuid().ToString("N")[..12]);

    public StandInDeviceSecurityTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(KeyFile, Convert.ToHexString(TestPolicies.Key) + "\n");
    }

    private string KeyFile => Path.Combine(_dir, "fleet.key");

    private string StoreDir => Path.Combine(_dir, "store");

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static int Upload(string port, string file) =>
        new RootCommand { UploadCommand.Create() }.Parse(["upload", "--port", port, "--no-local-check", "--timeout-ms", "3000", file]).Invoke();

    private StandInDeviceProcess StartDevice(SocatPtyPair pty) =>
        StandInDeviceProcess.Start("--serial", pty.DeviceEnd, "--store", StoreDir, "--key", KeyFile, "--sizes", "3,4,4,3");

    private static int Info(string port, out string output)
    {
        (int code, output, _) = Device.DeviceCli.Run("device-info", "--port", port);
        return code;
    }

    [Fact]
    public void The_stand_in_serves_provision_and_device_info_with_the_policy_version_in_force()
    {
        using SocatPtyPair pty = SocatPtyPair.Start();
        using StandInDeviceProcess device = StartDevice(pty);
        Assert.Equal(0, Upload(pty.HostEnd, Write("v9.empol", TestPolicies.Medium(1, TestPolicies.Key, version: 9))));
        device.WaitForLine("upload accepted: version 9");

        int provision = new RootCommand { ProvisionCommand.Create(), DeviceInfoCommand.Create() }
            .Parse(["provision", "--port", pty.HostEnd, "--role", "robot", "--id", "5", "--fleet-id", "2", "--key", KeyFile]).Invoke();
        Assert.Equal(0, provision);
        Assert.Equal(0, Info(pty.HostEnd, out string info));
        Assert.Contains("identity: robot, id 5, fleet 2", info, StringComparison.Ordinal);
        Assert.Contains("version 9", info, StringComparison.Ordinal);
        Assert.Equal(0, device.Terminate());
    }

    [Fact]
    public void Without_a_key_the_stand_in_is_a_blank_device_that_refuses_uploads_until_provisioned()
    {
        using SocatPtyPair pty = SocatPtyPair.Start();
        using StandInDeviceProcess device = StandInDeviceProcess.Start("--serial", pty.DeviceEnd, "--store", StoreDir, "--sizes", "3,4,4,3");
        device.WaitForLine("boot: not provisioned and no key");
        Assert.NotEqual(0, Upload(pty.HostEnd, Write("v9.empol", TestPolicies.Medium(1, TestPolicies.Key, version: 9))));
        Assert.Equal(0, Info(pty.HostEnd, out string blank));
        Assert.Contains("identity: not provisioned", blank, StringComparison.Ordinal);
        Assert.Contains("policy: none installed", blank, StringComparison.Ordinal);

        int provision = new RootCommand { ProvisionCommand.Create(), DeviceInfoCommand.Create() }
            .Parse(["provision", "--port", pty.HostEnd, "--role", "robot", "--id", "5", "--key", KeyFile]).Invoke();
        Assert.Equal(0, provision);
        device.WaitForLine("boot: no policy");
        Assert.Equal(0, Upload(pty.HostEnd, Write("v9.empol", TestPolicies.Medium(1, TestPolicies.Key, version: 9))));
        device.WaitForLine("upload accepted: version 9");
        Assert.Equal(0, device.Terminate());
    }

    [Fact]
    public void Device_command_fails_with_one_line_and_exit_2_for_a_missing_key_or_port()
    {
        var root = new RootCommand { DeviceCommand.Create() };
        string missing = Path.Combine(_dir, "missing");
        Assert.Equal(2, root.Parse(["device", "--serial", missing, "--store", StoreDir, "--key", KeyFile]).Invoke());
        Assert.Equal(2, root.Parse(["device", "--serial", KeyFile, "--store", StoreDir, "--key", missing]).Invoke());
        Assert.Equal(2, root.Parse(["device", "--serial", KeyFile, "--store", Path.Combine(missing, "a", "b"), "--key", KeyFile]).Invoke());
        Assert.NotEqual(0, root.Parse(["device", "--store", StoreDir, "--key", KeyFile]).Invoke());
    }

    [Fact]
    public void Unsigned_and_wrong_key_uploads_are_refused_and_the_previous_policy_stays()
    {
        using SocatPtyPair pty = SocatPtyPair.Start();
        using (StandInDeviceProcess device = StartDevice(pty))
        {
            Assert.Equal(0, Upload(pty.HostEnd, Write("good.empol", TestPolicies.Medium(1, TestPolicies.Key, version: 4))));
            device.WaitForLine("upload accepted: version 4, generation 1");

            // (a) no tag at all, (b) a tag under another key: both sent past the uploader's own check.
            Assert.Equal(3, Upload(pty.HostEnd, Write("unsigned.empol", TestPolicies.Medium(2, key: null, version: 5))));
            device.WaitForLine("upload refused: PolicyRejected HmacMissing");
            Assert.Equal(3, Upload(pty.HostEnd, Write("otherkey.empol", TestPolicies.Medium(3, TestPolicies.OtherKey, version: 6))));
            device.WaitForLine("upload refused: PolicyRejected HmacMismatch");
            Assert.Equal(0, device.Terminate());
            device.WaitForLine("device: stopped");
        }

        // A restart is a reboot: the signed policy is still the one in force.
        using StandInDeviceProcess rebooted = StartDevice(pty);
        Assert.Contains("boot: version 4, generation 1", rebooted.WaitForLine("boot:"), StringComparison.Ordinal);
        Assert.Equal(0, rebooted.Terminate());
    }

    [Fact]
    public void An_older_correctly_signed_policy_is_refused_as_a_rollback_also_after_a_reboot()
    {
        using SocatPtyPair pty = SocatPtyPair.Start();
        string v5 = Write("v5.empol", TestPolicies.Medium(5, TestPolicies.Key, version: 5));
        string v7 = Write("v7.empol", TestPolicies.Medium(7, TestPolicies.Key, version: 7));
        using (StandInDeviceProcess device = StartDevice(pty))
        {
            Assert.Equal(0, Upload(pty.HostEnd, v5));
            device.WaitForLine("upload accepted: version 5");
            Assert.Equal(0, Upload(pty.HostEnd, v7));
            device.WaitForLine("upload accepted: version 7, generation 2");

            // (c) re-uploading the older, genuine policy: refused, version 7 stays.
            Assert.Equal(3, Upload(pty.HostEnd, v5));
            device.WaitForLine("upload refused: Rollback (version 5 < 7); still running version 7");

            // One version names one image: a different file claiming version 7 is refused too.
            Assert.Equal(3, Upload(pty.HostEnd, Write("v7b.empol", TestPolicies.Medium(8, TestPolicies.Key, version: 7))));
            device.WaitForLine("upload refused: VersionReused");
            Assert.Equal(0, device.Terminate());
        }

        using StandInDeviceProcess rebooted = StartDevice(pty);
        Assert.Contains("boot: version 7, generation 2", rebooted.WaitForLine("boot:"), StringComparison.Ordinal);
        Assert.Equal(3, Upload(pty.HostEnd, v5));
        rebooted.WaitForLine("upload refused: Rollback (version 5 < 7)");
        Assert.Equal(0, rebooted.Terminate());
    }
}
