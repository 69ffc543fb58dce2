using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// The built-in "zones" game (docs/reference-benchmark.md) and a simple fixed policy pair for it, so the throughput benchmark
/// needs no trainer.
/// </summary>
internal static class ZonesFixture
{
    private const int Zones = 5;
    private const int LocalActions = 3;

    /// <summary>The built-in zones game with fleet size <paramref name="n"/>.</summary>
    public static Game Game(int n = 1000) => ZonesGame.Create(n);

    /// <summary>π_g: go to the zone most sampled robots are in (ties to the lowest); π_l: mostly step toward s_g.</summary>
    public static PolicyPair Policies(int k)
    {
        var ranker = new CountRanker(Zones, k);
        int count = ranker.Count(k);
        int[] table = new int[Zones * count];
        int[] c = new int[Zones];
        for (int rank = 0; rank < count; rank++)
        {
            ranker.Unrank(rank, k, c, 0);
            int best = 0;
            for (int j = 1; j < Zones; j++)
            {
                best = c[j] > c[best] ? j : best;
            }

            for (int sg = 0; sg < Zones; sg++)
            {
                table[(sg * count) + rank] = best;
            }
        }

        double[] local = new double[Zones * Zones * LocalActions];
        for (int sg = 0; sg < Zones; sg++)
        {
            for (int sl = 0; sl < Zones; sl++)
            {
                int forward = (sg - sl + Zones) % Zones;
                int toward = forward == 0 ? 0 : forward <= Zones / 2 ? 1 : 2;
                for (int al = 0; al < LocalActions; al++)
                {
                    local[(((sg * Zones) + sl) * LocalActions) + al] = al == toward ? 0.8 : 0.1;
                }
            }
        }

        return new PolicyPair(Zones, Zones, Zones, LocalActions, k, k, [table], local);
    }
}
