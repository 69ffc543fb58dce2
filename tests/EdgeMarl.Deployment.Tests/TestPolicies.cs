using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Deployment.Tests;

/// <summary>Real policy files (PolicyFileWriter) of chosen sizes, tables drawn from a seed so two seeds give two different images.</summary>
internal static class TestPolicies
{
    public static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 ^ (i * 11))).ToArray();
    public static readonly byte[] OtherKey = Enumerable.Range(0, 32).Select(i => (byte)(0x05 + (i * 3))).ToArray();

    public static byte[] Small(ulong seed, byte[]? key = null, uint? version = null) => Build(2, 3, 2, 2, 1, 2, seed, key, version);

    public static byte[] Medium(ulong seed, byte[]? key = null, uint? version = null) => Build(3, 4, 4, 3, 2, 12, seed, key, version);

    /// <summary>The policy version a test image gets unless told: grows with the seed, so installing seeds in increasing order is an upgrade.</summary>
    public static uint VersionOf(ulong seed) => (uint)(seed & 0x7FFFFFFF) + 1;

    public static PolicyExpectations SmallGame(int minK = 0) => new() { GlobalStates = 2, GlobalActions = 3, LocalStates = 2, LocalActions = 2, MinSampleSize = minK };

    public static PolicyExpectations MediumGame(int minK = 0) => new() { GlobalStates = 3, GlobalActions = 4, LocalStates = 4, LocalActions = 3, MinSampleSize = minK };

    public static uint Crc(byte[] image) => PolicyIdentity.ImageCrc(image, 0, image.Length);

    public static byte[] Build(int sg, int ag, int sl, int al, int kMin, int k, ulong seed, byte[]? key, uint? version = null, int robotTypes = 1, byte[]? gameHash = null)
    {
        // A typed policy (T > 1) is built over T·|S_l| classes; the file's header then says |S_l| = sl and T.
        sl *= robotTypes;
        var rng = new Pcg32(seed);
        var ranker = new CountRanker(sl, k);
        var tables = new int[k - kMin + 1][];
        for (int i = 0; i < tables.Length; i++)
        {
            tables[i] = new int[sg * ranker.Count(kMin + i)];
            for (int e = 0; e < tables[i].Length; e++)
            {
                tables[i][e] = (int)rng.NextBelow((uint)ag);
            }
        }

        var local = new double[sg * sl * al];
        for (int row = 0; row < sg * sl; row++)
        {
            double sum = 0;
            for (int a = 0; a < al; a++)
            {
                local[(row * al) + a] = 1 + rng.NextBelow(9);
                sum += local[(row * al) + a];
            }

            for (int a = 0; a < al; a++)
            {
                local[(row * al) + a] /= sum;
            }
        }

        var pair = new PolicyPair(sg, ag, sl, al, kMin, k, tables, local);
        var metadata = new PolicyFileMetadata("deploy-test", gameHash ?? new byte[32], new byte[32], "0.1.0", 100, version ?? VersionOf(seed), robotTypes);
        return PolicyFileWriter.Write(pair, metadata, key);
    }

    /// <summary>Stages and commits an image in one go; returns the first non-Ok status.</summary>
    public static DeployStatus Install(PolicyStore store, byte[] image)
    {
        DeployStatus status = store.BeginStage(image.Length, Crc(image));
        if (status != DeployStatus.Ok)
        {
            return status;
        }

        for (int offset = 0; offset < image.Length; offset += 100)
        {
            status = store.WriteStage(offset, image, offset, Math.Min(100, image.Length - offset));
            if (status != DeployStatus.Ok)
            {
                return status;
            }
        }

        status = store.FinishStage();
        return status != DeployStatus.Ok ? status : store.Commit();
    }
}
