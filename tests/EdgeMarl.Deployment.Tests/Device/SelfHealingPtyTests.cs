using System.CommandLine;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Cli.Device;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// Self-healing, end to end: the stand-in device (the firmware's <see cref="BootSupervisor"/>, <see cref="NodeBoot"/>,
/// serial service and stores on a folder) on one end of a socat pty pair, the real <c>edgemarl provision</c>,
/// <c>upload</c> and <c>device-info</c> on the other. Each failure is injected, the device must come back, and
/// <c>device-info</c> must name the cause. The backoff runs on a clock that jumps 10 s per reading, so no test waits
/// for a backoff delay (every wait is one 20 ms serial poll).
/// </summary>
[Collection(nameof(CliConsole))]
public sealed class SelfHealingPtyTests
{
    private static readonly byte[] Key = TestPolicies.Key;

    /// <summary>A clock that jumps 10 s at every reading: each backoff wait ends after one serial poll.</summary>
    private sealed class JumpingClock : IClock
    {
        private long _now;

        public long NowMs() => Interlocked.Add(ref _now, 10_000);
    }

    /// <summary>The stand-in on its own thread, its report lines collected.</summary>
    private sealed class DeviceThread : IDisposable
    {
        private readonly HostSerialLink _link;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private readonly List<string> _lines = [];

        public DeviceThread(string port, string root, byte[]? key, int rebootAfter, StandInFaultPlan? faults = null)
        {
            _link = new HostSerialLink(port, 115200);
            Faults = faults ?? new StandInFaultPlan();
            Device = new StandInDevice(root, key, TestPolicies.MediumGame(), 64 * 1024, new StandInOptions
            {
                Schedule = new BackoffSchedule { FirstDelayMs = 1000, MaxDelayMs = 8000, RebootAfterFailures = rebootAfter, HealthySteps = 5 },
                Clock = new JumpingClock(),
                Faults = Faults,
                PollMs = 20,
            });
            _thread = new Thread(() => Device.Serve(_link, Add, _stop.Token)) { IsBackground = true };
            _thread.Start();
        }

        public StandInDevice Device { get; }

        public StandInFaultPlan Faults { get; }

        public string[] Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        /// <summary>Waits (bounded, never asserted on time) for a line containing <paramref name="text"/> after the first <paramref name="skip"/> lines; returns its index.</summary>
        public int WaitFor(string text, int skip = 0)
        {
            long deadline = Environment.TickCount64 + 20_000;
            while (Environment.TickCount64 < deadline)
            {
                string[] lines = Lines;
                for (int i = skip; i < lines.Length; i++)
                {
                    if (lines[i].Contains(text, StringComparison.Ordinal))
                    {
                        return i;
                    }
                }

                Thread.Sleep(20);
            }

            Assert.Fail($"no line with \"{text}\"; got:\n{string.Join('\n', Lines.TakeLast(40))}");
            return -1;
        }

        public void Dispose()
        {
            _stop.Cancel();
            Assert.True(_thread.Join(10_000), "device did not stop");
            _link.Dispose();
        }

        private void Add(string line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    private static (int Code, string Out, string Err) Cli(params string[] args) => DeviceCli.Run(args);

    private static string Info(SocatPtyPair pty)
    {
        var info = Cli("device-info", "--port", pty.HostEnd);
        Assert.True(info.Code == 0, info.Err);
        return info.Out;
    }

    /// <summary>device-info until <paramref name="text"/> shows up (the device may be between two retries when asked).</summary>
    private static string InfoUntil(SocatPtyPair pty, string text)
    {
        string last = string.Empty;
        for (int i = 0; i < 40; i++)
        {
            last = Info(pty);
            if (last.Contains(text, StringComparison.Ordinal))
            {
                return last;
            }

            Thread.Sleep(50);
        }

        Assert.Fail($"device-info never showed \"{text}\"; last:\n{last}");
        return last;
    }

    private static string KeyFile(TempFolder folder)
    {
        string path = Path.Combine(folder.Path, "fleet.key");
        File.WriteAllText(path, Convert.ToHexString(Key));
        return path;
    }

    private static string PolicyFile(TempFolder folder, uint version)
    {
        string path = Path.Combine(folder.Path, $"v{version}.empol");
        File.WriteAllBytes(path, TestPolicies.Medium(1, Key, version: version));
        return path;
    }

    /// <summary>A provisioned robot with a signed policy in force, written with the firmware's own stores (what an earlier session left on flash).</summary>
    private static string ProvisionedDevice(TempFolder folder, bool withKey = true, bool withPolicy = true)
    {
        string root = Path.Combine(folder.Path, "device");
        Directory.CreateDirectory(root);
        root += Path.DirectorySeparatorChar;
        var provisioning = new ProvisioningStore(new FileRecordFiles(root, "provision"));
        provisioning.Boot();
        var record = new ProvisioningRecord { Role = ProvisioningRecord.RoleRobot, NodeId = 7, FleetId = 3, TickPeriodMs = 200, UdpPort = 47800, Key = withKey ? Key : null };
        Assert.Equal(DeployStatus.Ok, provisioning.Write(record));
        if (withPolicy)
        {
            using var storage = new FileSystemPolicyStorage(root, 64 * 1024);
            var store = new PolicyStore(storage, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(Key), 256, 4);
            store.Boot();
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, TestPolicies.Medium(1, Key, version: 4)));
        }

        return root;
    }

    [Fact]
    public void A_blank_device_serves_provisioning_refuses_uploads_until_provisioned_then_takes_its_policy()
    {
        using var folder = new TempFolder();
        string keyFile = KeyFile(folder);
        using SocatPtyPair pty = SocatPtyPair.Start();
        using var device = new DeviceThread(pty.DeviceEnd, Path.Combine(folder.Path, "blank"), key: null, rebootAfter: 100);
        device.WaitFor("boot: not provisioned and no key");

        string blank = Info(pty);
        Assert.Contains("identity: not provisioned", blank, StringComparison.Ordinal);
        Assert.Contains("state: waiting for `edgemarl provision`", blank, StringComparison.Ordinal);

        // An upload to a blank device: a clear refusal, nothing stored.
        var refused = Cli("upload", "--port", pty.HostEnd, "--timeout-ms", "3000", PolicyFile(folder, 9));
        Assert.Equal(3, refused.Code);
        Assert.Contains("NotProvisioned", refused.Err, StringComparison.Ordinal);
        Assert.Contains("edgemarl provision", refused.Err, StringComparison.Ordinal);

        var provision = Cli("provision", "--port", pty.HostEnd, "--role", "robot", "--id", "12", "--fleet-id", "3", "--key", keyFile);
        Assert.True(provision.Code == 0, provision.Err);
        device.WaitFor("boot: no policy");

        var upload = Cli("upload", "--port", pty.HostEnd, "--timeout-ms", "3000", PolicyFile(folder, 9));
        Assert.True(upload.Code == 0, upload.Err);
        device.WaitFor("boot: version 9");

        string running = InfoUntil(pty, "state: running");
        Assert.Contains("identity: robot, id 12, fleet 3", running, StringComparison.Ordinal);
        Assert.Contains("version 9", running, StringComparison.Ordinal);
        Assert.Equal(0, device.Device.Reboots);
    }

    [Theory]
    [InlineData("network", "no-network", "no-network 4")]
    [InlineData("radio", "radio-failure", "radio-failure 4")]
    [InlineData("loop", "loop-exception", "loop-exception 4")]
    public void An_injected_failure_retries_reboots_past_the_limit_and_the_device_comes_back(string part, string cause, string count)
    {
        using var folder = new TempFolder();
        string root = ProvisionedDevice(folder);
        var faults = new StandInFaultPlan();
        switch (part)
        {
            case "network": faults.FailNetwork(4); break;
            case "radio": faults.FailRadio(4); break;
            default: faults.ThrowInLoop(4); break;
        }

        using SocatPtyPair pty = SocatPtyPair.Start();
        using var device = new DeviceThread(pty.DeviceEnd, root, key: null, rebootAfter: 3, faults);

        // Failures 1 and 2 wait 1 s and 2 s (on the jumping clock), failure 3 reboots with the cause persisted,
        // failure 4 comes after the reboot, then the part works and the node runs.
        int first = device.WaitFor("retry: " + cause + " (failure 1), next attempt in 1000 ms");
        int second = device.WaitFor("retry: " + cause + " (failure 2), next attempt in 2000 ms", first);
        int reboot = device.WaitFor("rebooting (cause " + cause + ")", second);
        int after = device.WaitFor("boot: last reboot cause " + cause, reboot);
        device.WaitFor("retry: " + cause + " (failure 1)", after);
        string info = InfoUntil(pty, "state: running");
        Assert.Contains("faults: ", info, StringComparison.Ordinal);
        Assert.Contains(count, info, StringComparison.Ordinal);
        Assert.Contains("last reboot cause: " + cause, info, StringComparison.Ordinal);
        Assert.Contains("version 4", info, StringComparison.Ordinal);
        Assert.Equal(1, device.Device.Reboots);
        Assert.True(device.Device.Current!.SafeHolds >= 1, "the node was never put into its safe state");
    }

    [Fact]
    public void A_corrupt_record_is_counted_and_retried_until_provision_replaces_it()
    {
        using var folder = new TempFolder();
        string root = ProvisionedDevice(folder);

        // The only copy (generation 1, in provision-0.rec) torn by a flipped byte: no valid record is left.
        string copy = Path.Combine(root, "provision-0.rec");
        byte[] bytes = File.ReadAllBytes(copy);
        bytes[ProvisioningRecord.FleetIdOffset] ^= 0x40;
        File.WriteAllBytes(copy, bytes);

        using SocatPtyPair pty = SocatPtyPair.Start();
        using var device = new DeviceThread(pty.DeviceEnd, root, key: null, rebootAfter: 1000);
        device.WaitFor("retry: bad-provisioning (failure 1)");
        string broken = InfoUntil(pty, "state: retrying after bad-provisioning");
        Assert.Contains("provisioning: 1 corrupt copy", broken, StringComparison.Ordinal);
        Assert.Contains("identity: not provisioned", broken, StringComparison.Ordinal);

        var provision = Cli("provision", "--port", pty.HostEnd, "--role", "robot", "--id", "7", "--fleet-id", "3", "--key", KeyFile(folder));
        Assert.True(provision.Code == 0, provision.Err);
        device.WaitFor("boot: version 4");
        string healed = InfoUntil(pty, "state: running");
        Assert.Contains("identity: robot, id 7, fleet 3", healed, StringComparison.Ordinal);
        Assert.DoesNotContain("bad-provisioning 0", healed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_without_a_key_is_no_key_until_a_key_is_provisioned()
    {
        using var folder = new TempFolder();
        string root = ProvisionedDevice(folder, withKey: false);
        using SocatPtyPair pty = SocatPtyPair.Start();
        using var device = new DeviceThread(pty.DeviceEnd, root, key: null, rebootAfter: 1000);
        device.WaitFor("boot: provisioned without a key (no-key)");
        InfoUntil(pty, "state: retrying after no-key");
        var refused = Cli("upload", "--port", pty.HostEnd, "--timeout-ms", "3000", PolicyFile(folder, 9));
        Assert.Equal(3, refused.Code);
        Assert.Contains("NotProvisioned", refused.Err, StringComparison.Ordinal);

        var provision = Cli("provision", "--port", pty.HostEnd, "--role", "robot", "--id", "7", "--fleet-id", "3", "--key", KeyFile(folder), "--replace");
        Assert.True(provision.Code == 0, provision.Err);
        device.WaitFor("boot: version 4");
        string healed = InfoUntil(pty, "state: running");
        Assert.DoesNotContain("no-key 0", healed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_policy_is_no_policy_and_an_upload_brings_the_device_back()
    {
        using var folder = new TempFolder();
        string root = ProvisionedDevice(folder);
        string slot = Directory.GetFiles(root, "*").Single(f => new FileInfo(f).Length > 1000);
        byte[] image = File.ReadAllBytes(slot);
        image[image.Length / 2] ^= 0x01;
        File.WriteAllBytes(slot, image);

        using SocatPtyPair pty = SocatPtyPair.Start();
        using var device = new DeviceThread(pty.DeviceEnd, root, key: null, rebootAfter: 1000);
        device.WaitFor("boot: no policy");
        string broken = InfoUntil(pty, "state: retrying after no-policy");
        Assert.Contains("policy: none installed", broken, StringComparison.Ordinal);

        var upload = Cli("upload", "--port", pty.HostEnd, "--timeout-ms", "3000", PolicyFile(folder, 5));
        Assert.True(upload.Code == 0, upload.Err);
        device.WaitFor("boot: version 5");
        string healed = InfoUntil(pty, "state: running");
        Assert.DoesNotContain("no-policy 0", healed, StringComparison.Ordinal);
    }
}
