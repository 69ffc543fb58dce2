using BenchmarkDotNet.Attributes;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// One gateway lookup <c>π_g(s_g, c)</c> at <c>k' = K</c>: version-1 bit-packed table against the compact table in encoding 1
/// (rule + varint exception runs, format version 3) and encoding 2 (rule + bit-coded runs, format version 4), from a buffer and through the device's page cache (4 × 256-byte pages). One op = one lookup
/// (1,024 random <c>(s_g, c)</c> per invocation). The table: <c>EDGEMARL_POLICIES=DIR/policies.json</c> (a trained run, its
/// top <c>k</c>), else a synthetic zones table at <c>k = 30</c> (argmax of the counts with 15 % noise).
/// </summary>
[MemoryDiagnoser]
public class PolicyLookupBenchmarks
{
    private const int Lookups = 1024;

    private PolicyTable _table = null!;
    private int[] _states = null!;
    private int[] _counts = null!;
    private int _localStates;

    /// <summary>Gets or sets the table encoding.</summary>
    [Params("packed", "compact", "coded")]
    public string Encoding { get; set; } = "packed";

    /// <summary>Gets or sets where the bytes are read from.</summary>
    [Params("buffer", "pages")]
    public string Source { get; set; } = "buffer";

    [GlobalSetup]
    public void Setup()
    {
        string? path = Environment.GetEnvironmentVariable("EDGEMARL_POLICIES");
        PolicyPair pair = path is null ? Synthetic(30) : PolicyPairJson.Load(path).Pair;
        var metadata = new PolicyFileMetadata("bench", new byte[32], new byte[32], "0.1.0", 1000);
        byte[] file = CompactPolicyFileWriter.Write(pair, metadata, [pair.K], Encoding switch
        {
            "packed" => GlobalTableEncoding.Packed,
            "compact" => GlobalTableEncoding.CompactRuleRuns,
            _ => GlobalTableEncoding.CompactCodedRuns,
        });
        bool opened = Source == "buffer"
            ? PolicyTable.TryOpen(file, 0, file.Length, out _table, out PolicyFileError error)
            : PolicyTable.TryOpen(new ArraySource(file), 256, 4, null, out _table, out error);
        if (!opened)
        {
            throw new InvalidOperationException($"policy file rejected: {error.Status} at byte {error.ByteOffset}");
        }

        _localStates = pair.LocalStates;
        var ranker = new CountRanker(pair.LocalStates, pair.K);
        var rng = new Pcg32(7);
        _states = new int[Lookups];
        _counts = new int[Lookups * pair.LocalStates];
        for (int i = 0; i < Lookups; i++)
        {
            _states[i] = (int)rng.NextBelow((uint)pair.GlobalStates);
            ranker.Unrank((int)rng.NextBelow((uint)ranker.Count(pair.K)), pair.K, _counts, i * pair.LocalStates);
        }
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int Lookup()
    {
        int sum = 0;
        for (int i = 0; i < Lookups; i++)
        {
            _table.TryGetGlobalAction(_states[i], _counts, i * _localStates, out int a);
            sum += a;
        }

        return sum;
    }

    private static PolicyPair Synthetic(int k)
    {
        var ranker = new CountRanker(5, k);
        int count = ranker.Count(k);
        var rng = new Pcg32(3);
        int[] c = new int[5];
        int[] table = new int[5 * count];
        for (int e = 0; e < table.Length; e++)
        {
            ranker.Unrank(e % count, k, c, 0);
            int best = 0;
            for (int j = 1; j < 5; j++)
            {
                best = c[j] > c[best] ? j : best;
            }

            table[e] = rng.NextBelow(100) < 15 ? (int)rng.NextBelow(5) : best;
        }

        var tables = new int[k][];
        tables[k - 1] = table;
        return new PolicyPair(5, 5, 5, 3, 1, k, tables, [.. Enumerable.Repeat(1.0 / 3, 75)]);
    }

    private sealed class ArraySource(byte[] bytes) : IPolicySource
    {
        public int Length => bytes.Length;

        public int Read(int position, byte[] buffer, int offset, int count)
        {
            Array.Copy(bytes, position, buffer, offset, count);
            return count;
        }
    }
}
