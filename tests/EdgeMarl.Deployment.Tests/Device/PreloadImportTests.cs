using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>First-boot import of a preloaded policy file (<see cref="PolicyImport"/>): small reads through the store's staged-write checks.</summary>
public sealed class PreloadImportTests
{
    [Fact]
    public void A_100_KB_policy_is_imported_in_small_reads_and_survives_a_reboot()
    {
        using var folder = new TempFolder();
        // k = 40 on the medium game: a file of about 100 KB, near a slot's 112 KB and beyond a WROOM's free heap.
        byte[] image = TestPolicies.Build(3, 4, 4, 3, 1, 40, seed: 4, TestPolicies.Key);
        Assert.InRange(image.Length, 64 * 1024, 120 * 1024);
        var source = new ReadRecordingSource(image);
        using (var files = new FileSystemPolicyStorage(folder.Root, 120 * 1024))
        {
            var store = new PolicyStore(files, TestPolicies.MediumGame(), new StreamingHmacSha256Authenticator(TestPolicies.Key), 256, 4);
            Assert.False(store.Boot());
            Assert.Equal(DeployStatus.Ok, PolicyImport.Import(store, source));
            Assert.Equal(TestPolicies.Crc(image), store.CurrentCrc);
        }

        // Never the whole file in RAM: the importer's reads are its one chunk buffer at most.
        Assert.InRange(source.LargestRead, 1, PolicyImport.ChunkBytes);
        using var again = new FileSystemPolicyStorage(folder.Root, 120 * 1024);
        var rebooted = new PolicyStore(again, TestPolicies.MediumGame(), new StreamingHmacSha256Authenticator(TestPolicies.Key), 256, 4);
        Assert.True(rebooted.Boot());
        Assert.Equal(TestPolicies.Crc(image), rebooted.CurrentCrc);
    }

    [Fact]
    public void A_preloaded_file_goes_through_the_same_checks_as_an_upload()
    {
        using var folder = new TempFolder();
        using var files = new FileSystemPolicyStorage(folder.Root, 64 * 1024);
        var store = new PolicyStore(files, TestPolicies.MediumGame(), new StreamingHmacSha256Authenticator(TestPolicies.Key), 64, 2);
        store.Boot();

        // Signed with another key: refused by the store's verification, nothing in force.
        byte[] foreign = TestPolicies.Medium(1, TestPolicies.OtherKey);
        Assert.Equal(DeployStatus.PolicyRejected, PolicyImport.Import(store, new ReadRecordingSource(foreign)));
        Assert.False(store.HasPolicy);

        // One flipped byte in the tables: refused too.
        byte[] flipped = TestPolicies.Medium(1, TestPolicies.Key);
        flipped[flipped.Length / 2] ^= 0x10;
        Assert.NotEqual(DeployStatus.Ok, PolicyImport.Import(store, new ReadRecordingSource(flipped)));
        Assert.False(store.HasPolicy);

        // A genuine file on disk, read through the device's file source.
        string path = Path.Combine(folder.Path, "policy.empol");
        File.WriteAllBytes(path, TestPolicies.Medium(2, TestPolicies.Key));
        Assert.Equal(DeployStatus.Ok, PolicyImport.Import(store, new FilePolicySource(path)));
        Assert.True(store.HasPolicy);
    }

    /// <summary>A source over bytes that records the largest read asked of it.</summary>
    private sealed class ReadRecordingSource(byte[] bytes) : IPolicySource
    {
        public int LargestRead { get; private set; }

        public int Length => bytes.Length;

        public int Read(int position, byte[] buffer, int offset, int count)
        {
            LargestRead = Math.Max(LargestRead, count);
            int n = Math.Max(0, Math.Min(count, bytes.Length - position));
            Array.Copy(bytes, position, buffer, offset, n);
            return n;
        }
    }
}
