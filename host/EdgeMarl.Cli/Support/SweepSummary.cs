using System.Globalization;
using System.Text;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// Per-k aggregates of a sweep over training seeds, and the log-log fit of <c>ε̂</c> over the sweep's own <c>k ≥ 2</c>
/// (k = 1 is left out: with one sample the gateway's view is degenerate). The "≤ −0.4" verdict is given only when the
/// fit spans at least a factor 5 in k with 3 or more points; a narrower sweep gets the slope without a verdict.
/// </summary>
internal sealed class SweepSummary
{
    /// <summary>Gets the sample sizes, ascending.</summary>
    public required int[] K { get; init; }

    /// <summary>Gets the mean reward over training seeds per k.</summary>
    public required double[] RewardMean { get; init; }

    /// <summary>Gets the std (population) of the reward over training seeds per k.</summary>
    public required double[] RewardStd { get; init; }

    /// <summary>Gets the mean training time per k.</summary>
    public required double[] TrainSecondsMean { get; init; }

    /// <summary>Gets the std of training time per k.</summary>
    public required double[] TrainSecondsStd { get; init; }

    /// <summary>Gets the mean ε̂ over training seeds per k (NaN without gap).</summary>
    public required double[] EpsilonMean { get; init; }

    /// <summary>Gets the std of ε̂ over training seeds per k.</summary>
    public required double[] EpsilonStd { get; init; }

    /// <summary>Gets the fit of mean ε̂ over the sweep's k ≥ 2 (positive values only), or null.</summary>
    public LogLogFit? EpsilonFit { get; init; }

    /// <summary>Gets the smallest and largest k the fit used (0 when there is no fit).</summary>
    public (int Min, int Max) FitRange { get; init; }

    /// <summary>Gets the one-line description of the sweep for plot subtitles.</summary>
    public required string Caption { get; init; }

    /// <summary>Gets the text report.</summary>
    public required string Text { get; init; }

    /// <summary>Aggregates <paramref name="runs"/>.</summary>
    public static SweepSummary Create(IReadOnlyList<SweepRun> runs, Game game, string preset, LocalTransitionTiming timing, double seconds)
    {
        int[] ks = [.. runs.Select(r => r.K).Distinct().Order()];
        double[] Mean(Func<SweepRun, double> f) => [.. ks.Select(k => runs.Where(r => r.K == k).Average(f))];
        double[] Std(Func<SweepRun, double> f) => [.. ks.Select(k =>
        {
            double[] v = [.. runs.Where(r => r.K == k).Select(f)];
            double m = v.Average();
            return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
        })];
        double Eps(SweepRun r) => r.Gap?.Epsilon ?? double.NaN;
        double[] eps = Mean(Eps);
        var fitK = new List<double>();
        var fitE = new List<double>();
        for (int i = 0; i < ks.Length; i++)
        {
            if (ks[i] >= 2 && eps[i] > 0)
            {
                fitK.Add(ks[i]);
                fitE.Add(eps[i]);
            }
        }

        LogLogFit? fit = LogLogFit.Fit(fitK, fitE);
        (int Min, int Max) range = fitK.Count == 0 ? (0, 0) : ((int)fitK.Min(), (int)fitK.Max());
        bool verdict = fit is { Points: >= 3 } && range.Max >= 5 * range.Min;
        int seeds = runs.Select(r => r.Seed).Distinct().Count();
        string caption = string.Create(CultureInfo.InvariantCulture, $"{game.Name}, n={game.AgentCount}, preset {preset}, {seeds} training seed(s) per k");
        CultureInfo c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(string.Create(c, $"sweep: {caption}; reward timing {timing}; gap timing CurrentGlobalState; {seconds:F0} s wall"));
        b.AppendLine("k    reward mean ± std (over training seeds)   train s   ε̂ mean ± std        gateway(k)  gateway(k')  gateway(full)  robot gain");
        for (int i = 0; i < ks.Length; i++)
        {
            SweepRun[] at = [.. runs.Where(r => r.K == ks[i])];
            double gk = at.Average(r => r.Gap?.GatewayGains[0].Mean ?? double.NaN);
            double gw = at.Average(r => r.Gap?.GatewayGains[^1].Mean ?? double.NaN);
            double rg = at.Average(r => r.Gap?.RobotGain.Mean ?? double.NaN);
            double gf = at.Average(r => r.Gap?.FullObservationGain?.Mean ?? double.NaN);
            b.AppendLine(string.Create(c, $"{ks[i],-4} {Mean(r => r.RewardMean)[i],8:F2} ± {Std(r => r.RewardMean)[i],5:F2}                       {Mean(r => r.TrainSeconds)[i],7:F2}   {eps[i],8:F4} ± {Std(Eps)[i],7:F4}   {gk,9:F4}  {gw,10:F4}  {gf,12:F4}  {rg,10:G3}"));
        }

        b.AppendLine(fit is { } f
            ? string.Create(c, $"log-log slope of mean ε̂ over k ∈ [{range.Min}, {range.Max}]: {f.Slope:F3} ± {f.SlopeStandardError:F3} (1 s.e., {f.Points} points); ≤ −0.4: {(verdict ? (f.Slope <= -0.4 ? "yes" : "no") : "no verdict (k range under a factor 5 or fewer than 3 points)")}")
            : "log-log slope of ε̂: not enough positive points with k ≥ 2");
        return new SweepSummary
        {
            K = ks,
            RewardMean = Mean(r => r.RewardMean),
            RewardStd = Std(r => r.RewardMean),
            TrainSecondsMean = Mean(r => r.TrainSeconds),
            TrainSecondsStd = Std(r => r.TrainSeconds),
            EpsilonMean = eps,
            EpsilonStd = Std(Eps),
            EpsilonFit = fit,
            FitRange = range,
            Caption = caption,
            Text = b.ToString(),
        };
    }

    /// <summary>Returns the text report.</summary>
    public string ToText() => Text;
}
