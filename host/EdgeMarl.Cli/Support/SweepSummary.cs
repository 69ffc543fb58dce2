using System.Globalization;
using System.Text;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// Per-k aggregates of a sweep over training seeds, and the log-log fit of <c>ε̂</c> over the sweep's own <c>k ≥ 2</c>
/// (k = 1 is left out: with one sample the gateway's view is degenerate). The verdict comes from the fit itself: its 95%
/// interval (slope ± t·s.e., Student t with points − 2 degrees of freedom) and whether it holds −1/2 (the 1/√k rate)
/// and lies below 0 (a resolved decay); with fewer than 3 points there is no interval and no verdict.
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
    public static SweepSummary Create(IReadOnlyList<SweepRun> runs, Game game, string preset, LocalTransitionTiming timing, double? seconds)
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
        int seeds = runs.Select(r => r.Seed).Distinct().Count();
        string caption = string.Create(CultureInfo.InvariantCulture, $"{game.Name}, n={game.AgentCount}, preset {preset}, {seeds} training seed(s) per k");
        CultureInfo c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(string.Create(c, $"sweep: {caption}; reward timing {CliWords.Timing(timing)}; gap timing design; {(seconds is { } wall ? string.Create(CultureInfo.InvariantCulture, $"{wall:F0} s wall") : "wall time in the original run's summary")}"));
        b.AppendLine("k    reward mean ± std (over training seeds)   train s   ε̂ mean ± std        gateway(k)  gateway(k')  gateway(full)  robot gain");
        for (int i = 0; i < ks.Length; i++)
        {
            SweepRun[] at = [.. runs.Where(r => r.K == ks[i])];
            double gk = at.Average(r => r.Gap?.SameK.Mean ?? double.NaN);
            double gw = at.Average(r => r.Gap?.WideK.Mean ?? double.NaN);
            double rg = at.Average(r => r.Gap?.Robot.Mean ?? double.NaN);
            double gf = at.Average(r => r.Gap?.Full?.Mean ?? double.NaN);
            b.AppendLine(string.Create(c, $"{ks[i],-4} {Mean(r => r.RewardMean)[i],8:F2} ± {Std(r => r.RewardMean)[i],5:F2}                       {Mean(r => r.TrainSeconds)[i],7:F2}   {eps[i],8:F4} ± {Std(Eps)[i],7:F4}   {gk,9:F4}  {gw,10:F4}  {gf,12:F4}  {rg,10:G3}"));
        }

        b.AppendLine(fit is { } f
            ? string.Create(c, $"log-log slope of mean ε̂ over k ∈ [{range.Min}, {range.Max}]: {f.Slope:F3} ± {f.SlopeStandardError:F3} (1 s.e., {f.Points} points); {Verdict(f)}")
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

    /// <summary>
    /// The 95% interval of the fitted slope (Student t, points − 2 degrees of freedom), or null with fewer than 3 points.
    /// </summary>
    public static (double Low, double High)? SlopeInterval(LogLogFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Points < 3)
        {
            return null;
        }

        double t = StudentT975(fit.Points - 2);
        return (fit.Slope - (t * fit.SlopeStandardError), fit.Slope + (t * fit.SlopeStandardError));
    }

    /// <summary>What the fit says about the 1/√k rate, from its own 95% interval.</summary>
    public static string Verdict(LogLogFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (SlopeInterval(fit) is not { } i)
        {
            return "no verdict (fewer than 3 points: no interval)";
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        string rate = i.Low <= -0.5 && -0.5 <= i.High ? "holds −0.5 (consistent with 1/√k)" : i.High < -0.5 ? "lies below −0.5 (faster than 1/√k)" : "lies above −0.5 (slower than 1/√k)";
        string decay = i.High < 0 ? "decay resolved" : "decay not resolved (interval reaches 0)";
        return string.Create(c, $"95% interval [{i.Low:F3}, {i.High:F3}] {rate}; {decay}");
    }

    /// <summary>The 0.975 quantile of Student's t with <paramref name="df"/> degrees of freedom (table to 30, then the normal's 1.96 plus the first correction).</summary>
    private static double StudentT975(int df)
    {
        double[] table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];
        return df <= table.Length ? table[df - 1] : 1.959964 + (2.3722 / df);
    }
}
