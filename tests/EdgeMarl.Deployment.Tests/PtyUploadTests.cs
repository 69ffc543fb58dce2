using System.CommandLine;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// The uploader (System.IO.Ports) against the firmware's serial receiver running on the host, over a real pty pair
/// from socat. The device loop runs on its own thread and stops within a bounded time.
/// </summary>
public sealed class PtyUploadTests
{
    private sealed class DeviceOnPty : IDisposable
    {
        private readonly HostSerialLink _link;
        private readonly Thread _thread;
        private volatile bool _stop;

        public DeviceOnPty(string port, PolicyStore store)
        {
            Store = store;
            _link = new HostSerialLink(port, 115200);
            var receiver = new SerialPolicyReceiver(_link, store, commitOnFinish: true);
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

        public PolicyStore Store { get; }

        public void Dispose()
        {
            _stop = true;
            Assert.True(_thread.Join(5000), "device loop did not stop");
            _link.Dispose();
        }
    }

    private static PolicyStore Store(IIncrementalAuthenticator? auth, byte[] installed)
    {
        var store = auth is null ? PolicyStore.CreateInsecureForHostTests(new MemoryPolicyStorage(16 * 1024), TestPolicies.MediumGame(), 128, 2) : new PolicyStore(new MemoryPolicyStorage(16 * 1024), TestPolicies.MediumGame(), auth, 128, 2);
        store.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, installed));
        return store;
    }

    [Fact]
    public void Upload_resume_and_refusal_over_a_real_pty_pair()
    {
        using SocatPtyPair pty = SocatPtyPair.Start();
        using var device = new DeviceOnPty(pty.DeviceEnd, Store(null, TestPolicies.Medium(1)));
        using var channel = new SerialPortChannel(pty.HostEnd, 115200);
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] image = TestPolicies.Medium(2);

        UploadResult interrupted = new PolicyUploader(channel, new UploadOptions { ChunkBytes = 256, StopAfterChunks = 3 }).Upload(image, null, ct);
        Assert.Equal(UploadFailure.Interrupted, interrupted.Failure);

        UploadResult resumed = new PolicyUploader(channel, new UploadOptions { ChunkBytes = 256 }).Upload(image, null, ct);
        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Equal(768, resumed.ResumedFrom);
        Assert.Equal(TestPolicies.Crc(image), device.Store.CurrentCrc);

        UploadResult wrongGame = new PolicyUploader(channel).Upload(TestPolicies.Small(3), null, ct);
        Assert.Equal(DeployStatus.WrongGame, wrongGame.DeviceStatus);
        Assert.Equal(TestPolicies.Crc(image), device.Store.CurrentCrc);
    }

    [Fact]
    public void Keyed_device_refuses_an_untagged_upload_over_the_pty()
    {
        using SocatPtyPair pty = SocatPtyPair.Start();
        var auth = new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key);
        using var device = new DeviceOnPty(pty.DeviceEnd, Store(auth, TestPolicies.Medium(1, TestPolicies.Key)));
        using var channel = new SerialPortChannel(pty.HostEnd, 115200);
        CancellationToken ct = TestContext.Current.CancellationToken;

        UploadResult untagged = new PolicyUploader(channel).Upload(TestPolicies.Medium(2), null, ct);
        Assert.Equal(DeployStatus.PolicyRejected, untagged.DeviceStatus);
        Assert.Equal(PolicyStatus.HmacMissing, untagged.PolicyStatus);

        UploadResult tagged = new PolicyUploader(channel, new UploadOptions { Key = TestPolicies.Key }).Upload(TestPolicies.Medium(2, TestPolicies.Key), null, ct);
        Assert.True(tagged.Succeeded, tagged.Message);
    }

    [Fact]
    public void Cli_upload_command_over_the_pty_exits_zero_then_three_for_a_refused_file()
    {
        using SocatPtyPair pty = SocatPtyPair.Start();
        using var device = new DeviceOnPty(pty.DeviceEnd, Store(null, TestPolicies.Medium(1)));
        string dir = Path.Combine(Path.GetTempPath(), "edgemarl-upload-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        try
        {
            string good = Path.Combine(dir, "good.empol");
            string other = Path.Combine(dir, "other.empol");
            File.WriteAllBytes(good, TestPolicies.Medium(5));
            File.WriteAllBytes(other, TestPolicies.Small(5));
            var root = new RootCommand { UploadCommand.Create() };

            Assert.Equal(0, root.Parse(["upload", "--port", pty.HostEnd, good]).Invoke());
            Assert.Equal(TestPolicies.Crc(TestPolicies.Medium(5)), device.Store.CurrentCrc);
            Assert.Equal(3, root.Parse(["upload", "--port", pty.HostEnd, other]).Invoke());
            Assert.Equal(2, root.Parse(["upload", "--port", Path.Combine(dir, "no-such-tty"), good]).Invoke());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
