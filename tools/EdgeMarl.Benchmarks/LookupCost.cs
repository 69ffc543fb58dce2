using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// <c>lookup-cost FILE POLICIES_JSON</c>: every entry of every stored table of a policy file, looked up by counts, checked
/// equal to the trained policy's; per table the most and mean decode steps (<see cref="PolicyTable.LastLookupSteps"/>,
/// encoding 2 only) against the analytic bound, and the most and mean bytes read through a 1-byte page cache.
/// </summary>
internal static class LookupCost
{
    public static int Run(string file, string policies)
    {
        PolicyPair pair = PolicyPairJson.Load(policies).Pair;
        byte[] bytes = File.ReadAllBytes(file);
        var source = new CountingSource(bytes);
        if (!PolicyTable.TryOpen(bytes, 0, bytes.Length, out PolicyTable table, out PolicyFileError error)
            || !PolicyTable.TryOpen(source, 1, 1, null, out PolicyTable sliced, out error))
        {
            Console.Error.WriteLine($"lookup-cost: {file}: {PolicyFileMessages.Describe(error)}");
            return 3;
        }

        int wrongTotal = 0;
        int[] counts = new int[pair.LocalStates];
        for (int kPrime = table.KMin; kPrime <= table.K; kPrime++)
        {
            if (!table.HasGlobalTable(kPrime))
            {
                continue;
            }

            var ranker = new CountRanker(pair.LocalStates, kPrime);
            int ranks = ranker.Count(kPrime);
            int[] expected = pair.GlobalActions[kPrime - pair.KMin];
            long maxSteps = 0, sumSteps = 0, maxBytes = 0, sumBytes = 0;
            int wrong = 0;
            for (int e = 0; e < expected.Length; e++)
            {
                ranker.Unrank(e % ranks, kPrime, counts, 0);
                wrong += table.TryGetGlobalAction(e / ranks, counts, 0, out int a) && a == expected[e] ? 0 : 1;
                maxSteps = Math.Max(maxSteps, table.LastLookupSteps);
                sumSteps += table.LastLookupSteps;
                long before = source.BytesRead;
                wrong += sliced.TryGetGlobalAction(e / ranks, counts, 0, out int b) && b == expected[e] ? 0 : 1;
                maxBytes = Math.Max(maxBytes, source.BytesRead - before);
                sumBytes += source.BytesRead - before;
            }

            wrongTotal += wrong;
            string kind = table.GlobalTableKind(kPrime) == PolicyFileLayout.SectionGlobalTable ? "bit-packed" : $"compact encoding {table.CompactEncoding(kPrime)}";
            Console.WriteLine($"k'={kPrime} ({kind}): {expected.Length} entries, {wrong} wrong; steps max {maxSteps} mean {(double)sumSteps / expected.Length:F1} (bound {table.CodedWorstCaseSteps(kPrime)}); bytes read through a 1-byte page max {maxBytes} mean {(double)sumBytes / expected.Length:F1}");
        }

        return wrongTotal == 0 ? 0 : 1;
    }

    private sealed class CountingSource(byte[] bytes) : IPolicySource
    {
        public long BytesRead { get; private set; }

        public int Length => bytes.Length;

        public int Read(int position, byte[] buffer, int offset, int count)
        {
            Array.Copy(bytes, position, buffer, offset, count);
            BytesRead += count;
            return count;
        }
    }
}
