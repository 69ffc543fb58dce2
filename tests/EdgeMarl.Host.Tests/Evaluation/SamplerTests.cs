using EdgeMarl.Host.Evaluation;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeMarl.Host.Tests.Evaluation;

public class SamplerTests
{
    [Fact]
    public void Thresholds_give_each_outcome_its_probability_to_within_one_part_in_2_pow_32()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(
            Gen.Choose(1, 8).SelectMany(m => Gen.ArrayOf(Gen.Choose(0, 1000), m)).Where(w => w.Sum() > 0).ToArbitrary(),
            (int[] weights) =>
            {
                double[] p = [.. weights.Select(w => (double)w)];
                double total = p.Sum();
                long[] t = new long[p.Length - 1];
                CumulativeThresholds.Build(p, 0, p.Length, t, 0);
                long previous = 0;
                for (int j = 0; j < p.Length; j++)
                {
                    long upper = j < t.Length ? t[j] : CumulativeThresholds.Scale;
                    double mass = (upper - previous) / (double)CumulativeThresholds.Scale;
                    if (Math.Abs(mass - (p[j] / total)) > 1.5 / CumulativeThresholds.Scale)
                    {
                        return false;
                    }

                    // The boundary draws land on the right outcomes (zero-mass outcomes are skipped).
                    if (upper > previous)
                    {
                        if (CumulativeThresholds.Sample(t, 0, t.Length, (uint)previous) != j ||
                            CumulativeThresholds.Sample(t, 0, t.Length, (uint)(upper - 1)) != j)
                        {
                            return false;
                        }
                    }

                    previous = upper;
                }

                return true;
            }));
    }

    [Theory]
    [InlineData(10, 0.3)] // inversion
    [InlineData(50, 0.55)] // inversion, mirrored
    [InlineData(200, 0.4)] // BTPE, explicit acceptance near the mode
    [InlineData(5000, 0.3)] // BTPE with the squeeze and Stirling bound in play
    [InlineData(1000, 0.97)] // inversion of the mirrored tail
    [InlineData(100000, 0.5)]
    public void Binomial_matches_its_pmf_by_chi_square(int n, double p)
    {
        var rng = new Pcg32(12345, (ulong)n);
        const int draws = 400000;
        double[] observed = new double[n + 1];
        for (int i = 0; i < draws; i++)
        {
            observed[BinomialSampler.Sample(rng, n, p)]++;
        }

        double[] logFactorial = new double[n + 1];
        for (int i = 1; i <= n; i++)
        {
            logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        }

        double[] expected = new double[n + 1];
        for (int x = 0; x <= n; x++)
        {
            double logChoose = logFactorial[n] - logFactorial[x] - logFactorial[n - x];
            expected[x] = draws * Math.Exp(logChoose + (x * Math.Log(p)) + ((n - x) * Math.Log(1 - p)));
        }

        var (o, e) = Statistics.Pool(observed, expected);
        Assert.True(o.Count >= 4, "too few cells");
        double chi = Statistics.ChiSquare(o, e);
        Assert.True(chi < Statistics.ChiSquareCritical999(o.Count - 1), $"χ²={chi:F1} over {o.Count} cells");
    }

    [Theory]
    [InlineData(1, 0.3)] // one trial
    [InlineData(10, 0.3)]
    [InlineData(200, 0.03)] // mode near 0: the down side runs out first
    [InlineData(800, 0.02)] // the composed simulator's small outcomes
    [InlineData(600, 0.2)] // n·p·q = 96, just below the search limit
    [InlineData(700, 0.2)] // n·p·q = 112, handed over to BTPE
    [InlineData(50, 0.55)] // p > 1/2 (the simulator never passes one, the sampler allows it)
    [InlineData(40, 0.97)] // mode at n − 1, the up side runs out first
    [InlineData(30, 0.999)] // mode at n
    public void Mode_search_binomial_matches_its_pmf_by_chi_square_and_its_mean_and_variance(int n, double p)
    {
        var rng = new Pcg32(2027, (ulong)n);
        double[] logFactorial = ModeSearchBinomial.LogFactorials(1000);
        const int draws = 400000;
        double[] observed = new double[n + 1];
        double sum = 0, squares = 0;
        for (int i = 0; i < draws; i++)
        {
            int x = ModeSearchBinomial.Sample(rng, n, p, Math.Log(p), Math.Log(1 - p), p / (1 - p), logFactorial);
            observed[x]++;
            sum += x;
            squares += (double)x * x;
        }

        double[] expected = new double[n + 1];
        for (int x = 0; x <= n; x++)
        {
            expected[x] = draws * Math.Exp(logFactorial[n] - logFactorial[x] - logFactorial[n - x] + (x * Math.Log(p)) + ((n - x) * Math.Log(1 - p)));
        }

        var (o, e) = Statistics.Pool(observed, expected);
        double chi = Statistics.ChiSquare(o, e);
        Assert.True(o.Count < 2 || chi < Statistics.ChiSquareCritical999(o.Count - 1), $"χ²={chi:F1} over {o.Count} cells");

        // Mean within 4 standard errors; sample variance within 4 of its standard errors (fourth central moment of Bin).
        double variance = n * p * (1 - p);
        double mean = sum / draws, sampleVariance = (squares / draws) - (mean * mean);
        Assert.True(Math.Abs(mean - (n * p)) <= 4 * Math.Sqrt(variance / draws), $"mean {mean:F4}, expected {n * p:F4}");
        double fourth = variance * (1 + (3 * (n - 2) * p * (1 - p)));
        Assert.True(Math.Abs(sampleVariance - variance) <= 4 * Math.Sqrt((fourth - (variance * variance)) / draws), $"variance {sampleVariance:F4}, expected {variance:F4}");
    }

    [Fact]
    public void Log_factorials_are_accurate_to_a_few_ulps()
    {
        double[] table = ModeSearchBinomial.LogFactorials(1000);
        Assert.Equal(0.0, table[0]);
        Assert.Equal(0.0, table[1]);
        Assert.Equal(Math.Log(120), table[5], 14);
        // ln 1000! = lgamma(1001) = 5912.128178488163 (C's lgamma, correctly rounded here).
        Assert.True(Math.Abs(table[1000] - 5912.128178488163) < 1e-11, $"ln 1000! = {table[1000]:R}");
    }

    [Fact]
    public void Binomial_edge_parameters_need_no_draw()
    {
        var rng = new Pcg32(1);
        Assert.Equal(0, BinomialSampler.Sample(rng, 0, 0.5));
        Assert.Equal(0, BinomialSampler.Sample(rng, 7, 0.0));
        Assert.Equal(7, BinomialSampler.Sample(rng, 7, 1.0));
        Assert.Equal(new Pcg32(1).NextUInt32(), rng.NextUInt32());
    }

    [Theory]
    [InlineData(1, 3, 10)] // one item
    [InlineData(20, 7, 1000)] // few successes: mode at 0
    [InlineData(50, 300, 1000)] // the gateway's sample at k = 50
    [InlineData(30, 25, 40)] // t > M − K: the support starts at 15
    [InlineData(39, 20, 40)] // all but one item
    [InlineData(500, 500, 1000)] // σ ≈ 11
    public void Mode_search_hypergeometric_matches_its_pmf_by_chi_square(int t, int successes, int population)
    {
        var rng = new Pcg32(4242, (ulong)t);
        double[] logFactorial = ModeSearchBinomial.LogFactorials(population);
        const int draws = 200000;
        double[] observed = new double[t + 1];
        for (int i = 0; i < draws; i++)
        {
            observed[ModeSearchHypergeometric.Sample(rng, t, successes, population, logFactorial)]++;
        }

        double[] expected = new double[t + 1];
        for (int x = 0; x <= t; x++)
        {
            bool possible = x <= successes && t - x <= population - successes;
            expected[x] = possible ? draws * Math.Exp(LogChoose(successes, x) + LogChoose(population - successes, t - x) - LogChoose(population, t)) : 0;
            Assert.True(possible || observed[x] == 0, $"drew {x}, outside the support");
        }

        var (o, e) = Statistics.Pool(observed, expected);
        double chi = Statistics.ChiSquare(o, e);
        Assert.True(o.Count < 2 || chi < Statistics.ChiSquareCritical999(o.Count - 1), $"χ²={chi:F1} over {o.Count} cells");
    }

    [Fact]
    public void Mode_search_multivariate_hypergeometric_matches_its_pmf_by_chi_square()
    {
        double[] logFactorial = ModeSearchBinomial.LogFactorials(27);
        var rng = new Pcg32(98);
        AssertMultivariateHypergeometric([5, 0, 7, 3, 12], 18, 60000, (population, k, counts) => ModeSearchHypergeometric.SampleCounts(rng, population, population.Length, k, logFactorial, counts));
    }

    [Fact]
    public void Multivariate_hypergeometric_matches_its_pmf_by_chi_square()
    {
        int[] scratch = new int[4];
        var rng = new Pcg32(99);
        AssertMultivariateHypergeometric([5, 0, 7, 3], 6, 40000, (population, k, counts) => CountSampling.Hypergeometric(rng, population, k, scratch, counts));
    }

    /// <summary>
    /// Draws <paramref name="draws"/> samples of <paramref name="k"/> items from <paramref name="population"/> and checks that no
    /// sample takes more of a kind than there is and that the frequencies of the count vectors pass a χ² test (0.999) against
    /// the multivariate hypergeometric pmf <c>Π_j C(N_j, c_j) / C(N, k)</c>.
    /// </summary>
    private static void AssertMultivariateHypergeometric(int[] population, int k, int draws, Action<int[], int, int[]> draw)
    {
        int m = population.Length, total = population.Sum();
        var ranker = new CountRanker(m, k);
        double[] observed = new double[ranker.Count(k)];
        int[] counts = new int[m];
        for (int i = 0; i < draws; i++)
        {
            draw(population, k, counts);
            observed[ranker.Rank(counts, 0, k)]++;
        }

        double[] expected = new double[observed.Length];
        for (int r = 0; r < expected.Length; r++)
        {
            ranker.Unrank(r, k, counts, 0);
            double logP = -LogChoose(total, k);
            bool possible = true;
            for (int j = 0; j < m; j++)
            {
                possible &= counts[j] <= population[j];
                logP += possible ? LogChoose(population[j], counts[j]) : 0;
            }

            expected[r] = possible ? draws * Math.Exp(logP) : 0;
            Assert.True(possible || observed[r] == 0, "drew more of a kind than the population holds");
        }

        var kept = Enumerable.Range(0, expected.Length).Where(r => expected[r] > 0).ToArray();
        var (o, e) = Statistics.Pool([.. kept.Select(r => observed[r])], [.. kept.Select(r => expected[r])]);
        double chi = Statistics.ChiSquare(o, e);
        Assert.True(chi < Statistics.ChiSquareCritical999(o.Count - 1), $"χ²={chi:F1} over {o.Count} cells");
    }

    [Fact]
    public void Multinomial_conserves_trials_and_skips_zero_probability_categories()
    {
        double[] p = [0.0, 0.25, 0.0, 0.75, 0.0];
        var rng = new Pcg32(5);
        double firstMean = 0;
        for (int i = 0; i < 2000; i++)
        {
            int[] counts = new int[5];
            CountSampling.AddMultinomial(rng, 1000, p, 0, 5, counts, 0);
            Assert.Equal(1000, counts.Sum());
            Assert.Equal(0, counts[0] + counts[2] + counts[4]);
            firstMean += counts[1] / 2000.0;
        }

        // Bin(1000, 1/4): mean 250, sd of the 2000-draw average ≈ 0.31.
        Assert.InRange(firstMean, 250 - 1.5, 250 + 1.5);
    }

    [Fact]
    public void Dirichlet_has_the_right_means_and_sums_to_one()
    {
        double[] alpha = [0.3, 0.3, 2.0, 5.0];
        double[] p = new double[4];
        double[] mean = new double[4];
        var rng = new Pcg32(77);
        const int draws = 20000;
        for (int i = 0; i < draws; i++)
        {
            ContinuousSampling.Dirichlet(rng, alpha, p);
            Assert.Equal(1.0, p.Sum(), 12);
            for (int j = 0; j < 4; j++)
            {
                mean[j] += p[j] / draws;
            }
        }

        double a0 = alpha.Sum();
        for (int j = 0; j < 4; j++)
        {
            double m = alpha[j] / a0;
            double sd = Math.Sqrt(m * (1 - m) / (a0 + 1) / draws);
            Assert.InRange(mean[j], m - (4 * sd), m + (4 * sd));
        }
    }

    private static double LogChoose(int a, int b)
    {
        double s = 0;
        for (int i = 1; i <= b; i++)
        {
            s += Math.Log(a - b + i) - Math.Log(i);
        }

        return s;
    }
}
