using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Deployment;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// Power fails at every unit (file creation or written byte) of an upload and its commit; after the reboot the node
/// runs exactly the old or the new policy, never a mixture and never none (when it had one).
/// </summary>
public sealed class PowerLossTests
{
    private const int Capacity = 64 * 1024;

    private static PolicyStore Boot(MemoryPolicyStorage flash)
    {
        var store = PolicyStore.CreateInsecureForHostTests(flash, TestPolicies.SmallGame(), 64, 2);
        store.Boot();
        return store;
    }

    private static long UnitsOfInstall(byte[] oldImage, byte[] newImage)
    {
        var flash = new MemoryPolicyStorage(Capacity);
        PolicyStore store = Boot(flash);
        if (oldImage.Length > 0)
        {
            TestPolicies.Install(store, oldImage);
        }

        flash.Reboot();
        store = Boot(flash);
        TestPolicies.Install(store, newImage);
        return flash.Units;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_failure_point_leaves_exactly_the_old_or_the_new_policy(bool throwing)
    {
        byte[] oldImage = TestPolicies.Small(11);
        byte[] newImage = TestPolicies.Small(12);
        uint oldCrc = TestPolicies.Crc(oldImage);
        uint newCrc = TestPolicies.Crc(newImage);
        long total = UnitsOfInstall(oldImage, newImage);
        Assert.True(total > newImage.Length, "the install writes the image and a record");
        int sawOld = 0, sawNew = 0;
        for (long failAt = 0; failAt <= total; failAt++)
        {
            var flash = new MemoryPolicyStorage(Capacity);
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(Boot(flash), oldImage));
            flash.Reboot();
            PolicyStore store = Boot(flash);
            flash.FailAtUnit = failAt;
            flash.FailByThrowing = throwing;
            DeployStatus reported;
            try
            {
                reported = TestPolicies.Install(store, newImage);
            }
            catch (IOException)
            {
                reported = DeployStatus.StorageFailed; // the store must not let storage exceptions out
                Assert.Fail($"storage exception escaped the store at unit {failAt}");
            }

            // The running node never sees a partial switch: either the commit succeeded or Live is the old table.
            Assert.Equal(reported == DeployStatus.Ok ? newCrc : oldCrc, store.CurrentCrc);

            flash.Reboot();
            PolicyStore rebooted = Boot(flash);
            Assert.True(rebooted.HasPolicy, $"no policy after power loss at unit {failAt}");
            Assert.True(rebooted.CurrentCrc == oldCrc || rebooted.CurrentCrc == newCrc, $"unit {failAt}: neither old nor new");
            if (reported == DeployStatus.Ok)
            {
                Assert.Equal(newCrc, rebooted.CurrentCrc);
            }

            if (failAt == total)
            {
                Assert.True(newCrc == rebooted.CurrentCrc, $"all units written but {reported}");
            }

            // The policy that boots is whole: every lookup answers inside its range.
            Assert.InRange(rebooted.Live.GetLocalAction(1, 1, 200), 0, 1);
            if (rebooted.CurrentCrc == oldCrc)
            {
                sawOld++;
            }
            else
            {
                sawNew++;
            }
        }

        Assert.True(sawOld > 0 && sawNew > 0, $"both outcomes must occur across the failure points (old {sawOld}, new {sawNew}, units {total})");
    }

    [Fact]
    public void First_install_interrupted_anywhere_boots_with_nothing_or_the_new_policy()
    {
        byte[] image = TestPolicies.Small(5);
        long total = UnitsOfInstall([], image);
        for (long failAt = 0; failAt <= total; failAt++)
        {
            var flash = new MemoryPolicyStorage(Capacity) { FailAtUnit = failAt };
            TestPolicies.Install(Boot(flash), image);
            flash.Reboot();
            PolicyStore rebooted = Boot(flash);
            Assert.True(!rebooted.HasPolicy || rebooted.CurrentCrc == TestPolicies.Crc(image), $"unit {failAt}");
            if (failAt == total)
            {
                Assert.True(rebooted.HasPolicy);
            }
            else if (failAt < total - ActiveRecord.Length)
            {
                Assert.False(rebooted.HasPolicy, $"unit {failAt}: a policy before its record was written");
            }
        }
    }

    /// <summary>
    /// Histories of several uploads, each possibly cut by a power failure at a random unit: after every reboot the
    /// policy in force is the last one whose commit completed, or the one being uploaded when power failed.
    /// </summary>
    [Fact]
    public void Random_histories_of_interrupted_uploads_keep_a_whole_policy() =>
        Check.QuickThrowOnFailure(Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seedInt =>
        {
            var rng = new EdgeMarl.Shared.Random.Pcg32((ulong)seedInt);
            var flash = new MemoryPolicyStorage(Capacity);
            PolicyStore store = Boot(flash);
            uint? inForce = null;
            int uploads = 1 + (int)rng.NextBelow(5);
            for (int u = 0; u < uploads; u++)
            {
                byte[] image = TestPolicies.Small(100 + (ulong)u + ((ulong)seedInt << 8));
                bool cut = rng.NextBelow(2) == 0;
                flash.FailAtUnit = cut ? rng.NextBelow((uint)image.Length + 30) : -1;
                flash.FailByThrowing = rng.NextBelow(2) == 0;
                DeployStatus status = TestPolicies.Install(store, image);
                flash.Reboot();
                store = Boot(flash);
                uint crc = TestPolicies.Crc(image);
                if (status == DeployStatus.Ok)
                {
                    if (store.CurrentCrc != crc)
                    {
                        return false;
                    }
                }
                else if (!(store.CurrentCrc == crc || (inForce is null ? !store.HasPolicy : store.CurrentCrc == inForce)))
                {
                    return false;
                }

                inForce = store.HasPolicy ? store.CurrentCrc : null;
            }

            return true;
        }));
}
