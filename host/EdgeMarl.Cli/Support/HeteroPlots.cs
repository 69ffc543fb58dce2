using System.Globalization;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Heterogeneity;
using ScottPlot;

namespace EdgeMarl.Cli.Support;

/// <summary>The hetero command's PNGs (ScottPlot 5, DejaVu Sans as the sweep's plots; log axes by <see cref="SweepPlots.LogAxis"/>).</summary>
internal static class HeteroPlots
{
    private const int Width = 900, Height = 620;
    private static readonly Color[] s_palette = [Colors.RoyalBlue, Colors.DarkOrange, Colors.ForestGreen, Colors.Crimson, Colors.Purple, Colors.Brown];

    public static void WriteAll(string directory, HeteroSummary summary, string gameName, TypedGapSettings gap)
    {
        Fonts.Default = "DejaVu Sans";
        var hs = summary.Series.Select(s => s.H).Distinct().ToList();
        Color ColorOf(HeteroSeries s) => s_palette[hs.IndexOf(s.H) % s_palette.Length];
        string Label(HeteroSeries s) => $"h = {HeteroCommand.Show(s.H)}, {HeteroCommand.Name(s.Method)}";

        if (summary.Series.Any(s => s.EpsilonMean.Any(e => e > 0)))
        {
            Gap(summary, ColorOf, Label, gameName, gap).SavePng(Path.Combine(directory, "gap_vs_k.png"), Width, Height + 120);
        }

        Return(summary, ColorOf, Label, gameName, gap).SavePng(Path.Combine(directory, "return_vs_k.png"), Width, Height);
        if (summary.Series.Any(s => s.Fit is not null) && hs.Count > 0 && !double.IsNaN(hs[0]))
        {
            Slope(summary).SavePng(Path.Combine(directory, "slope_vs_h.png"), Width, Height);
        }
    }

    private static Plot Gap(HeteroSummary summary, Func<HeteroSeries, Color> color, Func<HeteroSeries, string> label, string gameName, TypedGapSettings gap)
    {
        var plt = new Plot();
        double bottom = double.PositiveInfinity, top = double.NegativeInfinity, kMin = double.PositiveInfinity, kMax = 0;
        foreach (var s in summary.Series)
        {
            var pts = s.K.Select((k, i) => (k, e: s.EpsilonMean[i], sd: s.EpsilonStd[i])).Where(p => p.e > 0).ToArray();
            if (pts.Length == 0)
            {
                continue;
            }

            bottom = Math.Min(bottom, pts.Min(p => p.e));
            top = Math.Max(top, pts.Max(p => p.e + p.sd));
            kMin = Math.Min(kMin, pts.Min(p => p.k));
            kMax = Math.Max(kMax, pts.Max(p => p.k));
            var line = plt.Add.Scatter(pts.Select(p => Math.Log10(p.k)).ToArray(), pts.Select(p => Math.Log10(p.e)).ToArray());
            line.Color = color(s);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.LinePattern = s.Method == TypingMethod.Blind ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = s.Fit is { } f
                ? double.IsNaN(f.SlopeStandardError)
                    ? string.Create(CultureInfo.InvariantCulture, $"{label(s)}: slope {f.Slope:F2} (2 points, k ≥ {HeteroSummary.FitFrom})")
                    : string.Create(CultureInfo.InvariantCulture, $"{label(s)}: slope {f.Slope:F2} ± {f.SlopeStandardError:F2} (k ≥ {HeteroSummary.FitFrom})")
                : label(s);
            foreach (var p in pts)
            {
                double low = p.e - p.sd;
                var bar = plt.Add.Line(Math.Log10(p.k), Math.Log10(low > 0 ? low : p.e / 3), Math.Log10(p.k), Math.Log10(p.e + p.sd));
                bar.Color = color(s).WithAlpha(0.6);
                bar.MarkerSize = 0;
            }
        }

        if (double.IsInfinity(bottom))
        {
            return plt;
        }

        double anchorK = Math.Max(kMin, HeteroSummary.FitFrom);
        var guide = plt.Add.Scatter(
            new[] { Math.Log10(anchorK), Math.Log10(kMax) },
            new[] { Math.Log10(top / 2), Math.Log10(top / 2 * Math.Sqrt(anchorK / kMax)) });
        guide.LinePattern = LinePattern.Dotted;
        guide.Color = Colors.Black;
        guide.MarkerSize = 0;
        guide.LegendText = "1/√k guide";
        double floor = Math.Log10(bottom / 3);
        plt.Axes.SetLimitsX(Math.Log10(kMin) - 0.05, Math.Log10(kMax) + 0.05);
        plt.Axes.SetLimitsY(floor, Math.Log10(top) + 0.1);
        SweepPlots.LogAxis(plt.Axes.Bottom, kMin, kMax, "0.###");
        SweepPlots.LogAxis(plt.Axes.Left, Math.Pow(10, floor), top, "0.###");
        plt.Title(gap.Horizon == 0 ? $"{gameName}: exact Nash gap ε of the typed fleet vs k (log-log)" : $"{gameName}: estimated Nash gap ε̂ on the true typed fleet vs k (log-log)");
        plt.XLabel("k (solid: type-blind; dashed: typed)");
        plt.YLabel(gap.Horizon == 0 ? "exact ε, mean ± std over training seeds" : string.Create(CultureInfo.InvariantCulture, $"ε̂, mean ± std over training seeds (J_H, H = {gap.Horizon})"));
        plt.ShowLegend(Edge.Bottom);
        return plt;
    }

    private static Plot Return(HeteroSummary summary, Func<HeteroSeries, Color> color, Func<HeteroSeries, string> label, string gameName, TypedGapSettings gap)
    {
        var plt = new Plot();
        double kMin = summary.Series.Min(s => s.K.Min()), kMax = summary.Series.Max(s => s.K.Max());
        foreach (var s in summary.Series)
        {
            var line = plt.Add.Scatter(s.K.Select(k => Math.Log10(k)).ToArray(), s.ReturnMean);
            line.Color = color(s);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.LinePattern = s.Method == TypingMethod.Blind ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = label(s);
            for (int i = 0; i < s.K.Length; i++)
            {
                var bar = plt.Add.Line(Math.Log10(s.K[i]), s.ReturnMean[i] - s.ReturnStd[i], Math.Log10(s.K[i]), s.ReturnMean[i] + s.ReturnStd[i]);
                bar.Color = color(s).WithAlpha(0.6);
                bar.MarkerSize = 0;
            }
        }

        plt.Axes.SetLimitsX(Math.Log10(kMin) - 0.05, Math.Log10(kMax) + 0.05);
        SweepPlots.LogAxis(plt.Axes.Bottom, kMin, kMax, "0.###");
        plt.Title($"{gameName}: return on the true typed fleet vs k");
        plt.XLabel("k (log; solid: type-blind; dashed: typed)");
        plt.YLabel(gap.Horizon == 0 ? "exact J (infinite horizon), mean ± std over training seeds" : string.Create(CultureInfo.InvariantCulture, $"J_H, H = {gap.Horizon}, mean ± std over training seeds"));
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    private static Plot Slope(HeteroSummary summary)
    {
        var plt = new Plot();
        foreach (var method in summary.Series.Select(s => s.Method).Distinct())
        {
            var pts = summary.Series.Where(s => s.Method == method && s.Fit is not null).ToArray();
            var line = plt.Add.Scatter(pts.Select(s => s.H).ToArray(), pts.Select(s => s.Fit!.Slope).ToArray());
            line.LegendText = $"{HeteroCommand.Name(method)}: slope of mean ε̂ over k ≥ {HeteroSummary.FitFrom}, 95% interval";
            line.Color = method == TypingMethod.Blind ? Colors.RoyalBlue : Colors.DarkOrange;
            line.LinePattern = method == TypingMethod.Blind ? LinePattern.Solid : LinePattern.Dashed;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            foreach (var s in pts)
            {
                if (SweepSummary.SlopeInterval(s.Fit!) is { } i)
                {
                    var bar = plt.Add.Line(s.H, i.Low, s.H, i.High);
                    bar.Color = line.Color.WithAlpha(0.6);
                    bar.MarkerSize = 0;
                }
            }
        }

        var half = plt.Add.HorizontalLine(-0.5);
        half.LinePattern = LinePattern.Dotted;
        half.Color = Colors.Black;
        half.LegendText = "−0.5 (1/√k)";
        plt.Title("Log-log slope of the estimated Nash gap vs heterogeneity h");
        plt.XLabel("h (0 = one robot kind; 1 = worn robots cannot move, moves cost 1)");
        plt.YLabel("slope of mean ε̂ vs k");
        plt.ShowLegend(Edge.Bottom);
        return plt;
    }
}
