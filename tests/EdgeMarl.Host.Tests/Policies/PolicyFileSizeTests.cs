using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Tests.Policies;

/// <summary>Pins the file sizes quoted in docs/policy-format.md ("Sizes") for the zones sizes
/// (|S_g| = 5, |A_g| = 5, |S_l| = 5, |A_l| = 3, k_min = 1, no HMAC).</summary>
public class PolicyFileSizeTests
{
    [Theory]
    [InlineData(10, 5_997)]
    [InlineData(30, 609_300)]
    [InlineData(50, 6_523_541)]
    public void ZonesFileSizesAreTheDocumentedOnes(int k, long bytes)
    {
        Assert.Equal(bytes, PolicyFileWriter.FileLength(5, 5, 5, 3, 1, k, hmac: false));
    }

    [Fact]
    public void AZonesSizedFileAtK10IsTheDocumentedSizeAndReadsBack()
    {
        var ranker = new CountRanker(5, 10);
        var tables = new int[10][];
        for (int i = 0; i < 10; i++)
        {
            tables[i] = [.. Enumerable.Range(0, 5 * ranker.Count(i + 1)).Select(e => (e * 7 + i) % 5)];
        }

        double[] local = [.. Enumerable.Range(0, 75).Select(i => 1 / 3.0)];
        var pair = new PolicyPair(5, 5, 5, 3, 1, 10, tables, local);
        byte[] file = PolicyFileWriter.Write(pair, PolicyFileGoldenTests.TinyMetadata());
        Assert.Equal(5_997, file.Length);
        PolicyFileRoundTripTests.AssertSameGlobalActions(pair, PolicyFileMessages.OpenBytes(file, null));
    }

    /// <summary>The run count behind proposal B in docs/policy-format.md, in CountRanker's rank order, for the
    /// surrogate a_g = argmax_j c_j (ties lowest), summed over k' = 1..10 and the 5 global states.</summary>
    [Fact]
    public void SurrogateRunCountAtK10IsTheDocumentedOne()
    {
        var ranker = new CountRanker(5, 10);
        var counts = new int[5];
        int runs = 0;
        for (int kPrime = 1; kPrime <= 10; kPrime++)
        {
            int previous = -1;
            for (int rank = 0; rank < ranker.Count(kPrime); rank++)
            {
                ranker.Unrank(rank, kPrime, counts, 0);
                int argmax = Array.IndexOf(counts, counts.Max());
                runs += argmax != previous ? 1 : 0;
                previous = argmax;
            }
        }

        Assert.Equal(3_525, 5 * runs);
    }
}
