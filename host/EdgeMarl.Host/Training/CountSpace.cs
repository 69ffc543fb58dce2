// docs/design.md §1: the count vectors c (Σ c_j = k) the gateway can see, in CountRanker's lexicographic order.
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Training;

/// <summary>All count vectors of one sum <c>k</c>, unranked once into a flat byte table.</summary>
internal sealed class CountSpace
{
    private CountSpace(int k, int localStates, int size, byte[] counts)
    {
        K = k;
        LocalStates = localStates;
        Size = size;
        Counts = counts;
    }

    public int K { get; }

    public int LocalStates { get; }

    /// <summary>Gets <c>C(k+|S_l|−1, |S_l|−1)</c>.</summary>
    public int Size { get; }

    /// <summary>Gets <c>c_j</c> of the vector of rank r at <c>[r·|S_l| + j]</c> (k ≤ 255).</summary>
    public byte[] Counts { get; }

    public static CountSpace Build(CountRanker ranker, int k)
    {
        if (k > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(k), "count spaces hold k <= 255");
        }

        int l = ranker.LocalStateCount;
        int size = ranker.Count(k);
        var counts = new byte[(long)size * l];
        var scratch = new int[l];
        for (int r = 0; r < size; r++)
        {
            ranker.Unrank(r, k, scratch, 0);
            for (int j = 0; j < l; j++)
            {
                counts[((long)r * l) + j] = (byte)scratch[j];
            }
        }

        return new CountSpace(k, l, size, counts);
    }

    /// <summary>Copies vector <paramref name="rank"/> into <paramref name="into"/>.</summary>
    public void Get(int rank, int[] into)
    {
        for (int j = 0; j < LocalStates; j++)
        {
            into[j] = Counts[((long)rank * LocalStates) + j];
        }
    }
}
