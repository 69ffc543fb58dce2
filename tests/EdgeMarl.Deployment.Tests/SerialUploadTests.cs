using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests;

/// <summary>Uploader against the device's receiver over an in-process cable that loses and corrupts writes.</summary>
public sealed class SerialUploadTests
{
    private static (PolicyStore Store, SerialWire Wire) Device(ulong seed, double loss, double corrupt, byte[] installed)
    {
        var store = PolicyStore.CreateInsecureForHostTests(new MemoryPolicyStorage(16 * 1024), TestPolicies.MediumGame(), 128, 2);
        store.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(store, installed));
        var wire = new SerialWire(seed, loss, corrupt);
        wire.Receiver = new SerialPolicyReceiver(wire.Device, store, commitOnFinish: true);
        return (store, wire);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Upload_survives_lost_and_corrupted_frames_in_both_directions(ulong seed)
    {
        byte[] image = TestPolicies.Medium(2);
        var (store, wire) = Device(seed, loss: 0.2, corrupt: 0.2, TestPolicies.Medium(1));
        var uploader = new PolicyUploader(wire, new UploadOptions { ResponseTimeoutMs = 15, MaxRetries = 30, ChunkBytes = 256 });
        var seen = new List<int>();
        UploadResult result = uploader.Upload(image, (done, _) => seen.Add(done), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Message);
        Assert.True(result.Retries > 0 && wire.LostWrites + wire.CorruptedWrites > 0, "the impairments must have hit");
        Assert.Equal(TestPolicies.Crc(image), store.CurrentCrc);
        Assert.Equal(image.Length, seen[^1]);
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public void Interrupted_upload_resumes_where_the_device_stopped()
    {
        byte[] image = TestPolicies.Medium(2);
        Assert.True(image.Length > 3 * 256, "needs several chunks");
        var (store, wire) = Device(7, 0, 0, TestPolicies.Medium(1));
        UploadResult first = new PolicyUploader(wire, new UploadOptions { ChunkBytes = 256, StopAfterChunks = 2 }).Upload(image, null, TestContext.Current.CancellationToken);
        Assert.Equal(UploadFailure.Interrupted, first.Failure);
        Assert.Equal(512, first.BytesAcknowledged);
        Assert.Equal(TestPolicies.Crc(TestPolicies.Medium(1)), store.CurrentCrc);

        UploadResult second = new PolicyUploader(wire, new UploadOptions { ChunkBytes = 256 }).Upload(image, null, TestContext.Current.CancellationToken);
        Assert.True(second.Succeeded, second.Message);
        Assert.Equal(512, second.ResumedFrom);
        Assert.Equal(TestPolicies.Crc(image), store.CurrentCrc);

        UploadResult again = new PolicyUploader(wire).Upload(image, null, TestContext.Current.CancellationToken);
        Assert.True(again.Succeeded);
        Assert.Equal(DeployStatus.AlreadyActive, again.DeviceStatus);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void After_a_device_reboot_a_complete_image_is_adopted_and_a_partial_one_sent_again(bool complete)
    {
        byte[] installed = TestPolicies.Medium(1);
        byte[] image = TestPolicies.Medium(2);
        var flash = new MemoryPolicyStorage(16 * 1024);
        var before = PolicyStore.CreateInsecureForHostTests(flash, TestPolicies.MediumGame(), 128, 2);
        before.Boot();
        TestPolicies.Install(before, installed);
        before.BeginStage(image.Length, TestPolicies.Crc(image));
        before.WriteStage(0, image, 0, complete ? image.Length : image.Length / 2);

        // Power cycle: a new store and receiver over what the flash kept.
        flash.Reboot();
        var store = PolicyStore.CreateInsecureForHostTests(flash, TestPolicies.MediumGame(), 128, 2);
        store.Boot();
        Assert.Equal(TestPolicies.Crc(installed), store.CurrentCrc);
        var wire = new SerialWire(3, 0, 0);
        wire.Receiver = new SerialPolicyReceiver(wire.Device, store, commitOnFinish: true);

        UploadResult result = new PolicyUploader(wire).Upload(image, null, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(complete ? image.Length : 0, result.ResumedFrom);
        Assert.Equal(TestPolicies.Crc(image), store.CurrentCrc);
    }

    [Fact]
    public void Device_refusals_come_back_with_status_field_and_offset()
    {
        var (store, wire) = Device(9, 0, 0, TestPolicies.Medium(1));
        uint before = store.CurrentCrc;
        var uploader = new PolicyUploader(wire, new UploadOptions { LocalCheck = false });

        UploadResult wrongGame = uploader.Upload(TestPolicies.Small(3), null, TestContext.Current.CancellationToken);
        Assert.Equal(UploadFailure.DeviceRefused, wrongGame.Failure);
        Assert.Equal(DeployStatus.WrongGame, wrongGame.DeviceStatus);
        Assert.Equal(PolicyFileLayout.GlobalStatesOffset, wrongGame.ErrorOffset);
        Assert.Contains("another game", wrongGame.Message, StringComparison.Ordinal);

        byte[] corrupt = TestPolicies.Medium(4);
        corrupt[300] ^= 0x80;
        UploadResult rejected = uploader.Upload(corrupt, null, TestContext.Current.CancellationToken);
        Assert.Equal(DeployStatus.PolicyRejected, rejected.DeviceStatus);
        Assert.Equal(PolicyStatus.CrcMismatch, rejected.PolicyStatus);
        Assert.Equal(corrupt.Length - 4, rejected.ErrorOffset);

        UploadResult tooLarge = uploader.Upload(new byte[20000], null, TestContext.Current.CancellationToken);
        Assert.Equal(DeployStatus.TooLarge, tooLarge.DeviceStatus);
        Assert.Contains("slot holds 16384", tooLarge.Message, StringComparison.Ordinal);

        Assert.Equal(before, store.CurrentCrc);
    }

    [Fact]
    public void Local_check_refuses_a_bad_file_before_sending_anything()
    {
        var (_, wire) = Device(10, 0, 0, TestPolicies.Medium(1));
        byte[] bad = TestPolicies.Medium(2)[..^3];
        UploadResult result = new PolicyUploader(wire).Upload(bad, null, TestContext.Current.CancellationToken);
        Assert.Equal(UploadFailure.LocalCheck, result.Failure);
        Assert.Contains("nothing sent", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Silent_device_is_reported_as_no_response_after_the_retries()
    {
        var wire = new SerialWire(1, loss: 1.0, corrupt: 0);
        UploadResult result = new PolicyUploader(wire, new UploadOptions { ResponseTimeoutMs = 5, MaxRetries = 2 }).Upload(TestPolicies.Medium(1), null, TestContext.Current.CancellationToken);
        Assert.Equal(UploadFailure.NoResponse, result.Failure);
        Assert.Equal(2, result.Retries);
        Assert.Contains("no response from the device to begin after 3 attempts", result.Message, StringComparison.Ordinal);
    }
}
