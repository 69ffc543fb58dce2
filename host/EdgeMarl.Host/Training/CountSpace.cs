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
        var counts = GC.AllocateUninitializedArray<byte>(checked(size * l)); // every entry is written below
        // Rank order is lexicographic, so each vector follows from the previous one (an odometer) instead of an unranking:
        // the rightmost i < L−1 whose suffix c_{i+1..L−1} is non-zero gains one, c_{i+1..L−2} become 0, c_{L−1} the rest.
        Span<int> current = l <= 64 ? stackalloc int[l] : new int[l];
        current.Clear();
        current[l - 1] = k;
        for (int r = 0; ; r++)
        {
            for (int j = 0; j < l; j++)
            {
                counts[(r * l) + j] = (byte)current[j];
            }

            if (r + 1 == size)
            {
                break;
            }

            int suffix = current[l - 1], i = l - 2;
            while (suffix == 0)
            {
                suffix += current[i]; // c_{i..L−1}; the loop stops with i one below the first non-zero suffix's start
                current[i] = 0;
                i--;
            }

            current[i]++;
            current[l - 1] = suffix - 1;
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
