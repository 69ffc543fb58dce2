using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>CountSpace lists the count vectors in CountRanker's rank order (built by stepping, not by unranking).</summary>
public class CountSpaceTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 7)]
    [InlineData(2, 5)]
    [InlineData(3, 0)]
    [InlineData(3, 9)]
    [InlineData(5, 1)]
    [InlineData(5, 20)]
    [InlineData(6, 8)]
    public void EveryRankHoldsTheVectorTheRankerUnranks(int l, int k)
    {
        var ranker = new CountRanker(l, Math.Max(k, 1));
        CountSpace space = CountSpace.Build(ranker, k);
        Assert.Equal(ranker.Count(k), space.Size);
        Assert.Equal(space.Size * l, space.Counts.Length);
        var expected = new int[l];
        var actual = new int[l];
        for (int r = 0; r < space.Size; r++)
        {
            ranker.Unrank(r, k, expected, 0);
            space.Get(r, actual);
            Assert.Equal(expected, actual);
        }
    }
}
