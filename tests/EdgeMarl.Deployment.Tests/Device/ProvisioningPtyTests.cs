using System.CommandLine;
using System.Text;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>
/// <c>edgemarl provision</c> and <c>edgemarl device-info</c> (the real commands, System.IO.Ports) against the firmware's
/// <see cref="SerialPolicyReceiver"/> + <see cref="DeviceService"/> + file-backed stores, over a socat pty pair.
/// </summary>
[Collection(nameof(CliConsole))]
public sealed class ProvisioningPtyTests
{
    private static readonly byte[] Key = TestPolicies.Key;
    private const string Password = "correct horse battery staple";

    /// <summary>The device side: the serial receiver with the device service plugged in, on its own thread.</summary>
    private sealed class DeviceOnPty : IDisposable
    {
        private readonly HostSerialLink _link;
        private readonly Thread _thread;
        private volatile bool _stop;

        public DeviceOnPty(string port, string root)
        {
            _link = new HostSerialLink(port, 115200);
            Link = new RecordingLink(_link);
            Files = new FileSystemPolicyStorage(root, 64 * 1024);
            var store = new PolicyStore(Files, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(Key), 64, 2);
            store.Boot();
            Provisioning = new ProvisioningStore(new FileRecordFiles(root, "provision"));
            Provisioning.Boot();
            Faults = new FaultCounters(new FileRecordFiles(root, "faults"));
            var receiver = new SerialPolicyReceiver(Link, store, commitOnFinish: true)
            {
                Extension = new DeviceService(Provisioning, store, Faults, new HmacAuthenticatorFactory(), "edgemarl-test 0.1"),
            };
            long deadline = Environment.TickCount64 + 60_000;
            _thread = new Thread(() =>
            {
                while (!_stop && Environment.TickCount64 < deadline)
                {
                    receiver.Poll(20);
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public RecordingLink Link { get; }

        public FileSystemPolicyStorage Files { get; }

        public ProvisioningStore Provisioning { get; }

        public FaultCounters Faults { get; }

        public void Dispose()
        {
            _stop = true;
            Assert.True(_thread.Join(5000), "device loop did not stop");
            _link.Dispose();
            Files.Dispose();
        }
    }

    /// <summary>Everything the device sends, so the test can search it for secrets.</summary>
    private sealed class RecordingLink(ISerialLink inner) : ISerialLink
    {
        private readonly List<byte> _sent = [];

        public byte[] Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs) => inner.Read(buffer, offset, count, timeoutMs);

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_sent)
            {
                _sent.AddRange(buffer.AsSpan(offset, count).ToArray());
            }

            inner.Write(buffer, offset, count);
        }
    }

    private static (int Code, string Out, string Err) Cli(params string[] args) => DeviceCli.Run(args);

    [Fact]
    public void Provision_then_device_info_over_a_pty_reports_identity_and_never_the_key_or_password()
    {
        using var folder = new TempFolder();
        string keyFile = Path.Combine(folder.Path, "fleet.key");
        File.WriteAllText(keyFile, Convert.ToHexString(Key));
        string passwordFile = Path.Combine(folder.Path, "wifi.txt");
        File.WriteAllText(passwordFile, Password + "\n");
        uint fingerprint = KeyFingerprint.Compute(new EdgeMarl.Shared.Policy.HmacSha256Authenticator(Key));

        using SocatPtyPair pty = SocatPtyPair.Start();
        using (var device = new DeviceOnPty(pty.DeviceEnd, folder.Root))
        {
            var blank = Cli("device-info", "--port", pty.HostEnd);
            Assert.True(blank.Code == 0, blank.Err);
            Assert.Contains("not provisioned", blank.Out, StringComparison.Ordinal);
            Assert.Contains("firmware: edgemarl-test 0.1", blank.Out, StringComparison.Ordinal);

            var provision = Cli("provision", "--port", pty.HostEnd, "--role", "robot", "--id", "17", "--fleet-id", "3", "--key", keyFile,
                "--wifi-ssid", "fleet-net", "--wifi-password-file", passwordFile, "--tick-ms", "150");
            Assert.True(provision.Code == 0, provision.Err);
            Assert.Contains($"provisioned robot 17 in fleet 3 (record generation 1), key fingerprint {fingerprint:x8}", provision.Out, StringComparison.Ordinal);

            var info = Cli("device-info", "--port", pty.HostEnd);
            Assert.True(info.Code == 0, info.Err);
            Assert.Contains("identity: robot, id 17, fleet 3, tick 150 ms, udp port 47800, wifi 'fleet-net' (record generation 1)", info.Out, StringComparison.Ordinal);
            Assert.Contains($"key: set, fingerprint {fingerprint:x8}", info.Out, StringComparison.Ordinal);

            // --json in the one style of every output (docs/run-folder.md): toolVersion first, camelCase keys.
            var json = Cli("device-info", "--port", pty.HostEnd, "--json");
            Assert.True(json.Code == 0, json.Err);
            using (var doc = System.Text.Json.JsonDocument.Parse(json.Out))
            {
                Assert.Equal("toolVersion", doc.RootElement.EnumerateObject().First().Name);
                Assert.All(doc.RootElement.EnumerateObject(), p => Assert.True(char.IsLower(p.Name[0]), $"key '{p.Name}' is not camelCase"));
                Assert.Equal(17, doc.RootElement.GetProperty("nodeId").GetInt32());
            }

            // A second provision without --replace is refused and changes nothing.
            var again = Cli("provision", "--port", pty.HostEnd, "--role", "robot", "--id", "18", "--key", keyFile);
            Assert.Equal(3, again.Code);
            Assert.Contains("already provisioned", again.Err, StringComparison.Ordinal);
            Assert.Equal(17, device.Provisioning.Current!.NodeId);

            // The attacker's view: every byte the device ever sent holds no 4-byte window of the key or of the password.
            byte[] sent = device.Link.Sent;
            Assert.True(sent.Length > 0);
            Assert.False(ContainsWindow(sent, Key, 4), "a piece of the key left the device");
            Assert.False(ContainsWindow(sent, Encoding.UTF8.GetBytes(Password), 4), "a piece of the Wi-Fi password left the device");
        }

        // A reboot (new stores on the same folder) keeps the identity; --replace overwrites it with the next generation.
        using (var device = new DeviceOnPty(pty.DeviceEnd, folder.Root))
        {
            Assert.Equal(17, device.Provisioning.Current!.NodeId);
            Assert.Equal(Key, device.Provisioning.Current.Key);
            var replace = Cli("provision", "--port", pty.HostEnd, "--role", "robot", "--id-from-mac", "--fleet-id", "3", "--key", keyFile, "--replace");
            Assert.True(replace.Code == 0, replace.Err);
            Assert.Contains("robot (id from MAC) in fleet 3 (record generation 2)", replace.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--role", "robot" }, "node id")]
    [InlineData(new[] { "--role", "drone", "--id", "1" }, "--role")]
    [InlineData(new[] { "--role", "robot", "--id", "1", "--tick-ms", "5" }, "tick period")]
    public void Bad_provisioning_values_are_one_line_before_the_port_is_opened(string[] args, string fragment)
    {
        var result = Cli(["provision", "--port", "/nonexistent/tty", .. args]);
        Assert.NotEqual(0, result.Code);
        Assert.Contains(fragment, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    private static bool ContainsWindow(byte[] haystack, byte[] secret, int window)
    {
        for (int s = 0; s + window <= secret.Length; s++)
        {
            if (haystack.AsSpan().IndexOf(secret.AsSpan(s, window)) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}

[CollectionDefinition(nameof(CliConsole), DisableParallelization = true)]
public sealed class CliConsole;
