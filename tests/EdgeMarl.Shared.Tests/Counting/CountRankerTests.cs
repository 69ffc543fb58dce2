using EdgeMarl.Shared.Counting;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeMarl.Shared.Tests.Counting;

public class CountRankerTests
{
    /// <summary>All count vectors of length L and sum k, in lexicographic order, by brute-force recursion.</summary>
    private static List<int[]> Enumerate(int length, int k)
    {
        var all = new List<int[]>();
        var current = new int[length];
        void Fill(int position, int remaining)
        {
            if (position == length - 1)
            {
                current[position] = remaining;
                all.Add((int[])current.Clone());
                return;
            }

            for (int v = 0; v <= remaining; v++)
            {
                current[position] = v;
                Fill(position + 1, remaining - v);
            }
        }

        Fill(0, k);
        return all;
    }

    private static long Binomial(int a, int b)
    {
        long r = 1;
        for (int i = 1; i <= b; i++)
        {
            r = r * (a - b + i) / i;
        }

        return r;
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 9)]
    [InlineData(2, 0)]
    [InlineData(3, 4)]
    [InlineData(5, 10)]
    [InlineData(6, 7)]
    public void RankIsTheLexicographicPositionAndUnrankInvertsIt(int length, int k)
    {
        var ranker = new CountRanker(length, k);
        List<int[]> all = Enumerate(length, k);
        Assert.Equal(Binomial(k + length - 1, length - 1), ranker.Count(k));
        Assert.Equal(all.Count, ranker.Count(k));
        var buffer = new int[length + 1];
        for (int r = 0; r < all.Count; r++)
        {
            // Dense and strictly increasing: the r-th vector in lexicographic order has rank r.
            Assert.Equal(r, ranker.Rank(all[r], 0, k));
            ranker.Unrank(r, k, buffer, 1);
            Assert.Equal(all[r], buffer[1..]);
        }
    }

    [Fact]
    public void OneRankerServesEverySumUpToKMax()
    {
        var ranker = new CountRanker(4, 12);
        var buffer = new int[4];
        for (int k = 0; k <= 12; k++)
        {
            for (int r = 0; r < ranker.Count(k); r++)
            {
                ranker.Unrank(r, k, buffer, 0);
                Assert.Equal(k, buffer.Sum());
                Assert.Equal(r, ranker.Rank(buffer, 0, k));
            }
        }
    }

    [Fact]
    public void CountsSumToKAndShufflingTheSampleChangesNeitherCountsNorRank()
    {
        var ranker = new CountRanker(5, 60);
        Prop.ForAll(
            Gen.ArrayOf(Gen.Choose(0, 4)).Where(a => a.Length <= 60).ToArbitrary(),
            ArbMap.Default.ArbFor<int>(),
            (states, shuffleSeed) =>
            {
                int k = states.Length;
                var counts = new int[5];
                CountVector.Count(states, 0, k, 5, counts, 0);
                int[] shuffled = (int[])states.Clone();
                new System.Random(shuffleSeed).Shuffle(shuffled);
                var counts2 = new int[5];
                CountVector.Count(shuffled, 0, k, 5, counts2, 0);
                return counts.Sum() == k && counts.SequenceEqual(counts2)
                    && ranker.Rank(counts, 0, k) == ranker.Rank(counts2, 0, k);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ZonesSizesHaveTheBenchmarkCounts()
    {
        // docs/reference-benchmark.md: |S_l| = 5 gives 5, 15, 126, 1,001, 10,626, 46,376, 135,751, 316,251 count vectors.
        var ranker = new CountRanker(5, 50);
        int[] ks = [1, 2, 5, 10, 20, 30, 40, 50];
        int[] expected = [5, 15, 126, 1001, 10626, 46376, 135751, 316251];
        for (int i = 0; i < ks.Length; i++)
        {
            Assert.Equal(expected[i], ranker.Count(ks[i]));
        }
    }

    [Fact]
    public void SizesWhoseCountOverflowsInt32AreRefusedClearly()
    {
        // C(554, 4) ≈ 3.9e9 > Int32.MaxValue; C(404, 4) = 1,093,567,501 fits.
        var error = Assert.Throws<ArgumentException>(() => new CountRanker(5, 550));
        Assert.Contains("exceeds Int32", error.Message, StringComparison.Ordinal);
        Assert.Equal(1_093_567_501L, Binomial(404, 4));
        Assert.Equal((int)Binomial(404, 4), new CountRanker(5, 400).Count(400));
    }

    [Theory]
    [InlineData(34, 2)]
    [InlineData(40, 3)]
    [InlineData(2, 100_000)]
    public void ManyStatesWithFewRobotsWorkWhenTheCountFitsInt32(int length, int k)
    {
        // Binomials such as C(35, 17) overflow Int32 but are never needed here: only C(b+d, b) with d ≤ k are.
        var ranker = new CountRanker(length, k);
        Assert.Equal(Binomial(k + length - 1, length - 1), ranker.Count(k));
        var counts = new int[length];
        counts[^1] = k;
        Assert.Equal(0, ranker.Rank(counts, 0, k)); // lexicographically first: (0, …, 0, k)
        ranker.Unrank(ranker.Count(k) - 1, k, counts, 0);
        Assert.Equal(k, counts[0]); // last: (k, 0, …, 0)
        Assert.Equal(ranker.Count(k) - 1, ranker.Rank(counts, 0, k));
    }

    [Fact]
    public void VectorsThatDoNotSumToKOrHaveNegativeEntriesAreRejected()
    {
        var ranker = new CountRanker(3, 5);
        Assert.Throws<ArgumentException>(() => ranker.Rank([1, 1, 1], 0, 4));
        Assert.Throws<ArgumentException>(() => ranker.Rank([-1, 3, 2], 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ranker.Rank([1, 1, 1], 0, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => ranker.Unrank(ranker.Count(4), 4, new int[3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CountVector.Count([0, 3], 0, 2, 3, new int[3], 0));
    }

    [Fact]
    public void RankingAllocatesNothing()
    {
        var ranker = new CountRanker(5, 50);
        var counts = new int[] { 10, 10, 10, 10, 10 };
        var states = new int[50];
        ranker.Rank(counts, 0, 50);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sink = 0;
        for (int i = 0; i < 10_000; i++)
        {
            CountVector.Count(states, 0, 50, 5, counts, 0);
            sink += ranker.Rank(counts, 0, 50);
            ranker.Unrank(i % 316_251, 50, counts, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink >= 0);
    }
}
