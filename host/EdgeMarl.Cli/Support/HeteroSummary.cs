using System.Globalization;
using System.Text;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Heterogeneity;

namespace EdgeMarl.Cli.Support;

/// <summary>Per (h, method): per-k means over training seeds and the log-log fits of mean ε̂ (docs/heterogeneity.md).</summary>
internal sealed class HeteroSummary
{
    /// <summary>Smallest k of the fits (as the sweep: ε̂ saturates at k = 1).</summary>
    public const int FitFrom = 2;

    /// <summary>Smallest k of the tail fit ("does the decay continue at large k?").</summary>
    public const int TailFrom = 8;

    private HeteroSummary(IReadOnlyList<HeteroSeries> series, string text)
    {
        Series = series;
        Text = text;
    }

    /// <summary>Gets one series per (h, method), in run order.</summary>
    public IReadOnlyList<HeteroSeries> Series { get; }

    /// <summary>Gets the printed report.</summary>
    public string Text { get; }

    public static HeteroSummary Create(IReadOnlyList<HeteroRow> rows, TypedGapSettings gap, int seeds, double seconds, bool exact = false)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var series = new List<HeteroSeries>();
        var text = new StringBuilder();
        text.Append(string.Create(c, $"edgemarl hetero ({EdgeMarl.Host.Runs.ToolVersion.Current}): {rows.Count} cells, {seeds} training seed(s) each, reference preset (game's own timing), "));
        text.Append(exact
            ? string.Create(c, $"exact gap and infinite-horizon J on the expanded (type, state) game (ExactNashGap; the return column is J, not J_H); {seconds:F0} s wall\n")
            : string.Create(c, $"gap on the true typed fleet: H = {gap.Horizon}, {gap.Seeds} paired seeds × {gap.RolloutsPerSeed} rollouts, blind k' = {gap.LargestBlindK}, typed k' = {gap.TypedK}; {seconds:F0} s wall\n"));
        foreach (var group in rows.GroupBy(r => (r.H, r.Method)))
        {
            var byK = group.GroupBy(r => r.K).OrderBy(g => g.Key).ToArray();
            int[] ks = [.. byK.Select(g => g.Key)];
            double[] eps = [.. byK.Select(g => g.Average(r => r.Gap.Epsilon))];
            double[] epsStd = [.. byK.Select(g => Std(g.Select(r => r.Gap.Epsilon)))];
            double[] ret = [.. byK.Select(g => g.Average(r => r.Gap.JointValue))];
            double[] retStd = [.. byK.Select(g => Std(g.Select(r => r.Gap.JointValue)))];
            double[] train = [.. byK.Select(g => g.Average(r => r.TrainSeconds))];
            LogLogFit? Fit(int from) => LogLogFit.Fit([.. ks.Where(k => k >= from).Select(k => (double)k)], [.. ks.Select((k, i) => (k, i)).Where(p => p.k >= from).Select(p => eps[p.i])]);
            var s = new HeteroSeries(group.Key.H, group.Key.Method, ks, eps, epsStd, ret, retStd, train, Fit(FitFrom), Fit(TailFrom));
            series.Add(s);
            text.Append(string.Create(c, $"\nh = {HeteroCommand.Show(s.H)}, {HeteroCommand.Name(s.Method)}\n"));
            text.Append("| k | return J_H (mean ± std over seeds) | ε̂ mean ± std | train s | best deviation (seed 0) | type information (typed − blind full obs at the typed k') |\n| --- | --- | --- | --- | --- | --- |\n");
            for (int i = 0; i < ks.Length; i++)
            {
                string best = group.FirstOrDefault(r => r.K == ks[i] && r.Seed == 0)?.Gap.BestGateway.Label ?? "";
                var info = group.Where(r => r.K == ks[i] && r.Gap.TypeInformationGain is not null).Select(r => r.Gap.TypeInformationGain!).ToArray();
                string typeInfo = info.Length == 0 ? "—" : string.Create(c, $"{info.Average(g => g.Mean):F3} (±{info.Average(g => g.HalfWidth999):F3})");
                text.Append(string.Create(c, $"| {ks[i]} | {ret[i]:F2} ± {retStd[i]:F2} | {eps[i]:F3} ± {epsStd[i]:F3} | {train[i]:F2} | {best} | {typeInfo} |\n"));
            }

            text.Append(Describe("slope of mean ε̂ over k ≥ " + FitFrom, s.Fit));
            text.Append(Describe("tail slope over k ≥ " + TailFrom, s.TailFit));
        }

        return new HeteroSummary(series, text.ToString());
    }

    private static string Describe(string what, LogLogFit? f) =>
        f is null
            ? $"{what}: fewer than 2 points\n"
            : string.Create(CultureInfo.InvariantCulture, $"{what}: {f.Slope:F3} ± {f.SlopeStandardError:F3} (1 s.e., {f.Points} points); {SweepSummary.Verdict(f)}\n");

    private static double Std(IEnumerable<double> values)
    {
        double[] v = [.. values];
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }
}

/// <summary>One (h, method) curve.</summary>
internal sealed record HeteroSeries(
    double H, TypingMethod Method, int[] K, double[] EpsilonMean, double[] EpsilonStd, double[] ReturnMean, double[] ReturnStd, double[] TrainSeconds, LogLogFit? Fit, LogLogFit? TailFit);
