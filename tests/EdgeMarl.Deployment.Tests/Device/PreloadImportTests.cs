using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>First-boot import of a preloaded policy file: chunks of at most 4 KB through the store's staged-write checks.</summary>
public sealed class PreloadImportTests
{
    [Fact]
    public void A_100_KB_policy_is_imported_in_reads_of_at_most_4_KB_and_survives_a_reboot()
    {
        using var folder = new TempFolder();
        // k = 40 on the medium game: a file of about 100 KB, near a slot's 112 KB and beyond a WROOM's free heap.
        byte[] image = TestPolicies.Build(3, 4, 4, 3, 1, 40, seed: 4, TestPolicies.Key);
        Assert.InRange(image.Length, 64 * 1024, 120 * 1024);
        using var source = new ChunkRecordingStream(image);
        using (var files = new FileSystemPolicyStorage(folder.Root, 120 * 1024))
        {
            var store = new PolicyStore(files, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 256, 4);
            Assert.False(store.Boot());
            Assert.Equal(DeployStatus.Ok, PreloadImporter.Import(store, source, new byte[PreloadImporter.MaxChunkBytes]));
            Assert.Equal(TestPolicies.Crc(image), store.CurrentCrc);
        }

        Assert.InRange(source.LargestRead, 1, PreloadImporter.MaxChunkBytes);
        using var again = new FileSystemPolicyStorage(folder.Root, 120 * 1024);
        var rebooted = new PolicyStore(again, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 256, 4);
        Assert.True(rebooted.Boot());
        Assert.Equal(TestPolicies.Crc(image), rebooted.CurrentCrc);
    }

    [Fact]
    public void A_preloaded_file_goes_through_the_same_checks_as_an_upload()
    {
        using var folder = new TempFolder();
        using var files = new FileSystemPolicyStorage(folder.Root, 64 * 1024);
        var store = new PolicyStore(files, TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 64, 2);
        store.Boot();
        byte[] chunk = new byte[1024];

        // Signed with another key: refused by the store's verification, nothing in force.
        byte[] foreign = TestPolicies.Medium(1, TestPolicies.OtherKey);
        Assert.Equal(DeployStatus.PolicyRejected, PreloadImporter.Import(store, new MemoryStream(foreign), chunk));
        Assert.False(store.HasPolicy);

        // One flipped byte in the tables: refused too.
        byte[] flipped = TestPolicies.Medium(1, TestPolicies.Key);
        flipped[flipped.Length / 2] ^= 0x10;
        Assert.NotEqual(DeployStatus.Ok, PreloadImporter.Import(store, new MemoryStream(flipped), chunk));
        Assert.False(store.HasPolicy);

        string path = Path.Combine(folder.Path, "policy.empol");
        Assert.Equal(DeployStatus.NotStarted, PreloadImporter.ImportFile(store, path, chunk));
        File.WriteAllBytes(path, TestPolicies.Medium(2, TestPolicies.Key));
        Assert.Equal(DeployStatus.Ok, PreloadImporter.ImportFile(store, path, chunk));
        Assert.True(store.HasPolicy);
    }

    [Fact]
    public void A_chunk_buffer_above_4_KB_is_refused()
    {
        var store = new PolicyStore(new MemoryPolicyStorage(64 * 1024), TestPolicies.MediumGame(), new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key), 64, 2);
        Assert.Throws<ArgumentException>(() => PreloadImporter.Import(store, new MemoryStream(new byte[100]), new byte[PreloadImporter.MaxChunkBytes + 1]));
    }

    /// <summary>A read-only stream over bytes that records the largest read asked of it.</summary>
    private sealed class ChunkRecordingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public int LargestRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            LargestRead = Math.Max(LargestRead, count);
            return base.Read(buffer, offset, count);
        }
    }
}
