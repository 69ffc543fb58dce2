using System.Diagnostics;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// Issue 11, findings 1 and 2 off the serial link: the first-boot preload import, a radio rollout of an older
/// version, the A/B image left in the free slot, power cuts while the highest version is persisted, and the RAM
/// verification costs on a 112 KB policy.
/// </summary>
public sealed class StoreSecurityTests
{
    private static PolicyStore KeyedStore(IPolicyStorage flash, PolicyExpectations? game = null)
    {
        var store = new PolicyStore(flash, game ?? TestPolicies.MediumGame(), new StreamingHmacSha256Authenticator(TestPolicies.Key), 128, 2);
        store.Boot();
        return store;
    }

    [Fact]
    public void The_store_cannot_be_built_without_a_key()
    {
        Assert.Throws<ArgumentException>(() => new PolicyStore(new MemoryPolicyStorage(1024), TestPolicies.MediumGame(), null!, 128, 2));
    }

    [Theory]
    [InlineData("unsigned", PolicyStatus.HmacMissing)]
    [InlineData("other key", PolicyStatus.HmacMismatch)]
    public void First_boot_preload_import_refuses_a_file_without_a_valid_tag(string kind, PolicyStatus expected)
    {
        // (d) DeviceSetup.LoadPolicy imports I:\policy.empol through PolicyImport + FilePolicySource: the same here, on a directory.
        string dir = Path.Combine(Path.GetTempPath(), "edgemarl-preload-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        try
        {
            string preload = Path.Combine(dir, "policy.empol");
            File.WriteAllBytes(preload, TestPolicies.Medium(3, kind == "unsigned" ? null : TestPolicies.OtherKey));
            var flash = new FileSystemPolicyStorage(dir + Path.DirectorySeparatorChar, 64 * 1024);
            PolicyStore store = KeyedStore(flash);
            Assert.False(store.HasPolicy);

            Assert.Equal(DeployStatus.PolicyRejected, PolicyImport.Import(store, new FilePolicySource(preload)));
            Assert.Equal(expected, store.LastPolicyError.Status);
            Assert.False(store.HasPolicy);
            Assert.False(KeyedStore(flash).HasPolicy, "nothing in force after a reboot either");

            File.WriteAllBytes(preload, TestPolicies.Medium(3, TestPolicies.Key));
            Assert.Equal(DeployStatus.Ok, PolicyImport.Import(store, new FilePolicySource(preload)));
            Assert.True(KeyedStore(flash).HasPolicy);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_format_1_file_correctly_signed_is_refused_by_the_store()
    {
        // Rewrite a signed v2 file as v1 (no policy version), re-signed with the fleet key: valid for the reader,
        // but it has no version to hold the anti-rollback floor with.
        byte[] v2 = TestPolicies.Medium(4, TestPolicies.Key, version: 4);
        byte[] v1 = [.. v2.AsSpan(0, PolicyFileLayout.PolicyVersionOffset), .. v2.AsSpan(PolicyFileLayout.HeaderLength)];
        v1[PolicyFileLayout.VersionOffset] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(v1.AsSpan(PolicyFileLayout.FileLengthOffset), (uint)v1.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(v1.AsSpan(PolicyFileLayout.HeaderLengthOffset), PolicyFileLayout.HeaderLengthV1);
        int sections = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(v1.AsSpan(PolicyFileLayout.SectionCountOffset));
        for (int i = 0; i < sections; i++)
        {
            Span<byte> offset = v1.AsSpan(PolicyFileLayout.HeaderLengthV1 + (i * PolicyFileLayout.SectionEntryLength) + 4, 4);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(offset, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(offset) - 4);
        }

        int tagAt = v1.Length - PolicyFileLayout.CrcLength - PolicyFileLayout.HmacLength;
        System.Security.Cryptography.HMACSHA256.HashData(TestPolicies.Key, v1.AsSpan(0, tagAt)).CopyTo(v1.AsSpan(tagAt));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(v1.AsSpan(v1.Length - 4), EdgeMarl.Shared.Integrity.Crc32.Compute(v1, 0, v1.Length - 4));
        Assert.True(PolicyTable.TryOpen(v1, 0, v1.Length, new StreamingHmacSha256Authenticator(TestPolicies.Key), out PolicyTable table, out _));
        Assert.Equal(1, table.FormatVersion);

        PolicyStore store = KeyedStore(new MemoryPolicyStorage(32 * 1024));
        Assert.Equal(DeployStatus.PolicyRejected, TestPolicies.Install(store, v1));
        Assert.Equal(PolicyStatus.UnsupportedVersion, store.LastPolicyError.Status);
        Assert.False(store.HasPolicy);
    }

    [Fact]
    public void A_radio_rollout_of_an_older_version_is_refused_by_every_robot()
    {
        // (e) Robots already run version 9; the gateway (at version 1) rolls out a genuine, signed version 5.
        byte[] robotImage = TestPolicies.Medium(9, TestPolicies.Key, version: 9);
        var fleet = new DeployFleet(
            n: 4, k: 4, loss: 0.0, 21, TestPolicies.Medium(1, TestPolicies.Key, version: 1), TestPolicies.Medium(5, TestPolicies.Key, version: 5),
            new DisseminatorOptions { FramesPerTick = 8, LeadTicks = 8, LingerTicks = 10 }, _ => (TestPolicies.MediumGame(), robotImage));
        uint robotCrc = TestPolicies.Crc(robotImage);
        for (int t = 0; t < 300; t++)
        {
            fleet.Tick();
        }

        foreach (DeployFleet.Robot r in fleet.Robots)
        {
            Assert.Equal(robotCrc, r.Store.CurrentCrc);
            Assert.Equal(9u, r.Store.HighestVersion);
            Assert.False(r.Store.HasStaged, $"robot {r.Id} staged an older version");
            Assert.Equal(DeployStatus.NotStarted, r.Store.Commit());
            r.Boot(fleet);
            Assert.Equal(robotCrc, r.Store.CurrentCrc);
        }
    }

    [Fact]
    public void The_previous_image_left_in_the_free_slot_cannot_be_adopted_or_committed_after_a_reboot()
    {
        // Finding 2's radio rollback: after v2 replaced v1, slot A still holds v1 intact; a replayed chunk makes the
        // receiver try to adopt it (TryAdoptStaged) and commit it.
        var flash = new MemoryPolicyStorage(32 * 1024);
        byte[] v1 = TestPolicies.Medium(1, TestPolicies.Key, version: 1);
        byte[] v2 = TestPolicies.Medium(2, TestPolicies.Key, version: 2);
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(KeyedStore(flash), v1));
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(KeyedStore(flash), v2));
        PolicyStore rebooted = KeyedStore(flash);
        Assert.Equal(2u, rebooted.CurrentVersion);

        Assert.False(rebooted.TryAdoptStaged(v1.Length, TestPolicies.Crc(v1)));
        Assert.Equal(DeployStatus.NotStarted, rebooted.Commit());
        Assert.Equal(DeployStatus.Rollback, TestPolicies.Install(rebooted, v1));
        Assert.Equal(2u, KeyedStore(flash).CurrentVersion);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_power_cut_at_every_unit_while_a_higher_version_is_persisted_never_lowers_the_floor(bool throwing)
    {
        // (f) Records hold versions 6 (older) and 7 (in force); installing 8 overwrites the version-6 record.
        byte[] v6 = TestPolicies.Small(6, TestPolicies.Key, version: 6);
        byte[] v7 = TestPolicies.Small(7, TestPolicies.Key, version: 7);
        byte[] v8 = TestPolicies.Small(8, TestPolicies.Key, version: 8);
        MemoryPolicyStorage Prepared()
        {
            var flash = new MemoryPolicyStorage(16 * 1024);
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(KeyedStore(flash, TestPolicies.SmallGame()), v6));
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(KeyedStore(flash, TestPolicies.SmallGame()), v7));
            flash.Reboot();
            return flash;
        }

        MemoryPolicyStorage counting = Prepared();
        long start = counting.Units;
        TestPolicies.Install(KeyedStore(counting, TestPolicies.SmallGame()), v8);
        long units = counting.Units - start;
        int sawSeven = 0, sawEight = 0;
        for (long failAt = 0; failAt <= units; failAt++)
        {
            MemoryPolicyStorage flash = Prepared();
            PolicyStore store = KeyedStore(flash, TestPolicies.SmallGame());
            flash.FailAtUnit = flash.Units + failAt;
            flash.FailByThrowing = throwing;
            DeployStatus reported = TestPolicies.Install(store, v8);
            flash.Reboot();
            PolicyStore rebooted = KeyedStore(flash, TestPolicies.SmallGame());
            Assert.True(rebooted.HighestVersion >= 7, $"unit {failAt}: highest version fell to {rebooted.HighestVersion}");
            Assert.Equal(rebooted.HighestVersion, rebooted.CurrentVersion);
            if (reported == DeployStatus.Ok)
            {
                Assert.Equal(8u, rebooted.HighestVersion);
            }

            // Whatever survived, the older genuine policies stay refused.
            Assert.NotEqual(DeployStatus.Ok, TestPolicies.Install(rebooted, v6));
            sawSeven += rebooted.HighestVersion == 7 ? 1 : 0;
            sawEight += rebooted.HighestVersion == 8 ? 1 : 0;
        }

        Assert.True(sawSeven > 0 && sawEight > 0, $"cuts before and after the record write both happened ({sawSeven}, {sawEight})");
    }

    [Fact]
    public void Verifying_a_112_KB_policy_streams_the_HMAC_in_bounded_RAM()
    {
        // |S_g| = 5, |A_g| = 4, |S_l| = 4, |A_l| = 3, k' = 1..36: 114,947 B (≈ 112 KiB).
        byte[] image = TestPolicies.Build(5, 4, 4, 3, 1, 36, 77, TestPolicies.Key, 1);
        var game = new PolicyExpectations { GlobalStates = 5, GlobalActions = 4, LocalStates = 4, LocalActions = 3 };
        long Verify(bool keyed, out double ms)
        {
            var flash = new MemoryPolicyStorage(128 * 1024);
            PolicyStore store = keyed
                ? new PolicyStore(flash, game, new StreamingHmacSha256Authenticator(TestPolicies.Key), 256, 4)
                : PolicyStore.CreateInsecureForHostTests(flash, game, 256, 4);
            store.Boot();
            Assert.Equal(DeployStatus.Ok, store.BeginStage(image.Length, TestPolicies.Crc(image)));
            Assert.Equal(DeployStatus.Ok, store.WriteStage(0, image, 0, image.Length));
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            Assert.Equal(DeployStatus.Ok, store.FinishStage());
            ms = clock.Elapsed.TotalMilliseconds;
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Verify(true, out _); // JIT warm-up
        long keyed = Verify(true, out double keyedMs);
        long unkeyed = Verify(false, out double unkeyedMs);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{image.Length} B policy: FinishStage allocates {keyed} B with the key ({keyedMs:F1} ms), {unkeyed} B without ({unkeyedMs:F1} ms); HMAC share {keyed - unkeyed} B");
        Assert.True(image.Length > 112 * 1024, "a 112 KB policy");
        Assert.True(keyed < 8 * 1024, $"verification allocated {keyed} B, the budget is 8 KB whatever the file size");
        Assert.True(keyed - unkeyed <= 1024, $"the HMAC check allocated {keyed - unkeyed} B (chunk + tag expected)");
    }
}
