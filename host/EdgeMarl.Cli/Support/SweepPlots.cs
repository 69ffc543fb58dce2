using System.Globalization;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using ScottPlot;

namespace EdgeMarl.Cli.Support;

/// <summary>The sweep's PNG plots (ScottPlot 5, headless; DEPENDENCIES.md: DejaVu Sans, else text may vanish).</summary>
internal static class SweepPlots
{
    private const int Width = 900, Height = 560;

    /// <summary>Writes every plot into <paramref name="directory"/>.</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="game">The game.</param>
    /// <param name="runs">Every (k, seed) cell.</param>
    /// <param name="summary">Per-k aggregates.</param>
    /// <param name="heatmaps">The cells of the two population heatmaps: the largest k (seed 0) and the best reward, with their pairs and a title note (empty, or what differs when the pair was retrained).</param>
    /// <param name="timing">Move timing of the heatmap rollouts.</param>
    /// <param name="cores">Logical cores of the machine the training times were measured on, or null when not recorded.</param>
    public static void WriteAll(
        string directory, Game game, IReadOnlyList<SweepRun> runs, SweepSummary summary,
        ((SweepRun Run, PolicyPair Pair, string Note) Largest, (SweepRun Run, PolicyPair Pair, string Note) Best) heatmaps, LocalTransitionTiming timing, int? cores)
    {
        Fonts.Default = "DejaVu Sans";
        Reward(game, runs, summary).SavePng(Path.Combine(directory, "reward_vs_k.png"), Width, Height);
        if (summary.EpsilonMean.Any(e => e > 0))
        {
            Gap(runs, summary).SavePng(Path.Combine(directory, "nash_gap_vs_k.png"), Width, Height + 140); // the legend sits below the axes
        }

        TrainingTime(game, runs, summary, cores).SavePng(Path.Combine(directory, "training_time_vs_k.png"), Width, Height);
        ValuePerRound(runs, summary).SavePng(Path.Combine(directory, "value_per_round.png"), Width, Height);

        // The two heatmaps show different cells, or one file says it is both (they used to be two identical files).
        bool same = ReferenceEquals(heatmaps.Largest.Run, heatmaps.Best.Run);
        string largestTitle = same ? "largest k, seed 0, also the best reward of the sweep" : "largest k, seed 0";
        Population(game, heatmaps.Largest.Pair, heatmaps.Largest.Run, timing, largestTitle, heatmaps.Largest.Note).SavePng(Path.Combine(directory, "population_heatmap.png"), Width, Height);
        string bestPath = Path.Combine(directory, "population_heatmap_best.png");
        if (same)
        {
            File.Delete(bestPath);
        }
        else
        {
            Population(game, heatmaps.Best.Pair, heatmaps.Best.Run, timing, "best reward of the sweep", heatmaps.Best.Note).SavePng(bestPath, Width, Height);
        }
    }

    private static readonly string[] StyleName = ["solid ●", "dashed □", "dotted ▲", "dense-dashed ◇"];

    private static double[] AsDouble(IEnumerable<int> xs) => [.. xs.Select(x => (double)x)];

    private static Plot Reward(Game game, IReadOnlyList<SweepRun> runs, SweepSummary s)
    {
        var plt = new Plot();
        double[] ks = AsDouble(s.K);
        var seedPoints = plt.Add.ScatterPoints(AsDouble(runs.Select(r => r.K)), [.. runs.Select(r => r.RewardMean)]);
        seedPoints.MarkerSize = 4;
        seedPoints.Color = Colors.Gray.WithAlpha(0.6);
        seedPoints.LegendText = "one training seed";
        var mean = plt.Add.Scatter(ks, s.RewardMean);
        mean.LegendText = "EdgeMarl: mean ± std over training seeds";
        mean.LineWidth = 2;
        mean.Color = Colors.RoyalBlue;
        var bars = plt.Add.ErrorBar(ks, s.RewardMean, s.RewardStd);
        bars.Color = mean.Color;
        if (game.Name == ZonesGame.Name && game.AgentCount == ZonesGame.Robots)
        {
            double[] rk = AsDouble(ReferenceBenchmarks.K);
            var reference = plt.Add.Scatter(rk, [.. ReferenceBenchmarks.Mean]);
            reference.LegendText = "reference implementation (docs/reference-benchmark.md) ± std over eval seeds";
            reference.LinePattern = LinePattern.Dashed;
            reference.Color = Colors.OrangeRed;
            var referenceBars = plt.Add.ErrorBar(rk, [.. ReferenceBenchmarks.Mean], [.. ReferenceBenchmarks.Std]);
            referenceBars.Color = Colors.OrangeRed;
        }

        plt.Title($"Reward vs k ({s.Caption})");
        plt.XLabel("k (robots the gateway samples per step)");
        plt.YLabel("mean discounted return (H = 50, 50 rollouts × 15 seeds)");
        plt.ShowLegend(Alignment.LowerRight);
        return plt;
    }

    private static Plot Gap(IReadOnlyList<SweepRun> runs, SweepSummary s)
    {
        var plt = new Plot();
        double bottom = double.PositiveInfinity, top = double.NegativeInfinity;
        foreach (SweepRun r in runs)
        {
            if (r.Gap is { } g && g.Epsilon > 0)
            {
                bottom = Math.Min(bottom, g.Epsilon);
                top = Math.Max(top, g.Epsilon + g.EpsilonHalfWidth);
            }
        }

        double floor = Math.Log10(bottom) - 0.3; // an interval reaching 0 or below is drawn down to the axis
        bool first = true;
        var pk = new List<double>();
        var pe = new List<double>();
        foreach (SweepRun r in runs)
        {
            if (r.Gap is not { } g || g.Epsilon <= 0)
            {
                continue;
            }

            // Each seed's 99.9% interval of ε̂, offset a little in k so that the seeds of one k stay apart.
            double x = Math.Log10(r.K) + (0.006 * ((int)r.Seed - 1));
            pk.Add(x);
            pe.Add(Math.Log10(g.Epsilon));
            double low = g.Epsilon - g.EpsilonHalfWidth;
            var bar = plt.Add.Line(x, low > 0 ? Math.Max(Math.Log10(low), floor) : floor, x, Math.Log10(g.Epsilon + g.EpsilonHalfWidth));
            bar.Color = Colors.Gray.WithAlpha(0.55);
            bar.LineWidth = 1;
            bar.MarkerSize = 0;
            if (first)
            {
                bar.LegendText = "99.9% interval of one seed's ε̂ (paired rollouts)";
                first = false;
            }
        }

        var seedPoints = plt.Add.ScatterPoints(pk.ToArray(), pe.ToArray());
        seedPoints.MarkerSize = 4;
        seedPoints.Color = Colors.Gray;
        seedPoints.LegendText = "ε̂ of one training seed";

        var mk = new List<double>();
        var me = new List<double>();
        var lo = new List<double>();
        var hi = new List<double>();
        for (int i = 0; i < s.K.Length; i++)
        {
            if (s.EpsilonMean[i] > 0)
            {
                mk.Add(Math.Log10(s.K[i]));
                me.Add(Math.Log10(s.EpsilonMean[i]));
                double low = s.EpsilonMean[i] - s.EpsilonStd[i];
                lo.Add(low > 0 ? Math.Max(Math.Log10(low), floor) : floor);
                hi.Add(Math.Log10(s.EpsilonMean[i] + s.EpsilonStd[i]));
            }
        }

        var mean = plt.Add.Scatter(mk.ToArray(), me.ToArray());
        mean.LegendText = "mean ε̂ over training seeds, ± std between seeds";
        mean.LineWidth = 2;
        mean.Color = Colors.RoyalBlue;
        for (int i = 0; i < mk.Count; i++)
        {
            var bar = plt.Add.Line(mk[i], lo[i], mk[i], hi[i]);
            bar.Color = Colors.RoyalBlue;
            bar.LineWidth = 2;
            bar.MarkerSize = 0;
        }

        if (s.EpsilonFit is { } fit)
        {
            top = Math.Max(top, fit.At(s.FitRange.Min)); // the fit and the guide start there
            double[] xs = [Math.Log10(s.FitRange.Min), Math.Log10(s.FitRange.Max)];
            var line = plt.Add.Scatter(xs, [.. xs.Select(x => Math.Log10(fit.At(Math.Pow(10, x))))]);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"fit over k ∈ [{s.FitRange.Min}, {s.FitRange.Max}]: slope {fit.Slope:F2} ± {fit.SlopeStandardError:F2}; {SweepSummary.Verdict(fit)}");
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black;
            line.MarkerSize = 0;
            double anchor = fit.At(s.FitRange.Min);
            var guide = plt.Add.Scatter(xs, [.. xs.Select(x => Math.Log10(anchor * Math.Sqrt(s.FitRange.Min / Math.Pow(10, x))))]);
            guide.LegendText = string.Create(CultureInfo.InvariantCulture, $"1/√k guide (through the fit at k = {s.FitRange.Min})");
            guide.LinePattern = LinePattern.Dotted;
            guide.Color = Colors.Green;
            guide.MarkerSize = 0;
        }

        double kMin = s.K.Min(), kMax = s.K.Max();
        plt.Axes.SetLimitsX(Math.Log10(kMin) - 0.05, Math.Log10(kMax) + 0.05);
        plt.Axes.SetLimitsY(floor, Math.Log10(top) + 0.1);
        LogAxis(plt.Axes.Bottom, kMin, kMax, "0.###");
        LogAxis(plt.Axes.Left, Math.Pow(10, floor), top, "0.###");
        plt.Title($"Estimated Nash gap ε̂ vs k, log-log ({s.Caption})");
        plt.XLabel("k");
        plt.YLabel("ε̂ = max(gateway gain, robot gain), J_H, H = 150");
        plt.ShowLegend(Edge.Bottom);
        return plt;
    }

    /// <summary>
    /// Ticks for an axis that holds log10 values: labelled major ticks at 1, 2 and 5 × 10^d (and only 1 × 10^d when that
    /// range spans more than three decades), unlabelled minor ticks at the other integers × 10^d.
    /// </summary>
    internal static void LogAxis(ScottPlot.IAxis axis, double min, double max, string format)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int first = (int)Math.Floor(Math.Log10(min)), last = (int)Math.Ceiling(Math.Log10(max));
        int[] labelled = last - first > 3 ? [1] : [1, 2, 5];
        for (int d = first; d <= last; d++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double v = m * Math.Pow(10, d);
                if (labelled.Contains(m))
                {
                    ticks.AddMajor(Math.Log10(v), v.ToString(format, CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(Math.Log10(v));
                }
            }
        }

        axis.TickGenerator = ticks;
    }

    private static Plot TrainingTime(Game game, IReadOnlyList<SweepRun> runs, SweepSummary s, int? cores)
    {
        var plt = new Plot();
        double Log(double seconds) => Math.Log10(Math.Max(seconds, 1e-3)); // a run under 1 ms is drawn at 1 ms
        var seedPoints = plt.Add.ScatterPoints(AsDouble(runs.Select(r => r.K)), [.. runs.Select(r => Log(r.TrainSeconds))]);
        seedPoints.MarkerSize = 4;
        seedPoints.Color = Colors.Gray.WithAlpha(0.6);
        seedPoints.LegendText = "EdgeMarl: one training seed";
        double[] ks = AsDouble(s.K);
        var mean = plt.Add.Scatter(ks, [.. s.TrainSecondsMean.Select(Log)]);
        mean.LegendText = "EdgeMarl: mean over training seeds";
        mean.Color = Colors.RoyalBlue;
        mean.LineWidth = 2;
        double low = runs.Min(r => Math.Max(r.TrainSeconds, 1e-3)), high = runs.Max(r => r.TrainSeconds);
        if (game.Name == ZonesGame.Name && game.AgentCount == ZonesGame.Robots)
        {
            var reference = plt.Add.Scatter(AsDouble(ReferenceBenchmarks.K), [.. ReferenceBenchmarks.TrainingSeconds.Select(Log)]);
            reference.LegendText = "reference implementation (stored, docs/reference-benchmark.md)";
            reference.LinePattern = LinePattern.Dashed;
            reference.Color = Colors.OrangeRed;
            high = Math.Max(high, ReferenceBenchmarks.TrainingSeconds.Max());
            low = Math.Min(low, ReferenceBenchmarks.TrainingSeconds.Min());
        }

        plt.Axes.SetLimitsY(Math.Log10(low) - 0.15, Math.Log10(high) + 0.15);
        LogAxis(plt.Axes.Left, low, high, "0.###");
        string machine = cores is { } n ? string.Create(CultureInfo.InvariantCulture, $"EdgeMarl on a {n}-core machine (sweep.csv's processor_count)") : "EdgeMarl's machine not recorded in sweep.csv";
        plt.Title($"Training time vs k ({s.Caption})\n{machine}");
        plt.XLabel("k");
        plt.YLabel("wall seconds per training (log scale)");
        plt.ShowLegend(Alignment.LowerRight);
        return plt;
    }

    private static Plot ValuePerRound(IReadOnlyList<SweepRun> runs, SweepSummary s)
    {
        var plt = new Plot();
        int[] shown = PickK(s.K, 7);
        var palette = new ScottPlot.Palettes.Category10();
        LinePattern[] patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];
        MarkerShape[] markers = [MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenDiamond];
        for (int i = 0; i < shown.Length; i++)
        {
            SweepRun[] seeds = [.. runs.Where(r => r.K == shown[i]).OrderBy(r => r.Seed)];
            for (int j = 0; j < seeds.Length; j++)
            {
                SweepRun run = seeds[j];
                var line = plt.Add.Scatter(AsDouble(Enumerable.Range(0, run.QuickValues.Count)), [.. run.QuickValues]);
                line.Color = palette.GetColor(i);
                line.LinePattern = patterns[j % patterns.Length];
                line.MarkerShape = markers[j % markers.Length];
                line.MarkerSize = 5;
                if (j == 0)
                {
                    line.LegendText = string.Create(CultureInfo.InvariantCulture, $"k = {shown[i]}: returned rounds {string.Join(", ", seeds.Select(r => r.FinalRound))}");
                }
            }
        }

        int seedCount = runs.Select(r => r.Seed).Distinct().Count();
        string styles = string.Join(", ", Enumerable.Range(0, Math.Min(seedCount, 4)).Select(j => $"{StyleName[j]} seed {j}"));
        plt.Title(string.Create(CultureInfo.InvariantCulture, $"Quick value per alternation round, all {seedCount} training seeds\n(colour = k; {styles}{(seedCount > 4 ? ", styles repeat" : string.Empty)})"));
        plt.XLabel($"round ({s.Caption})");
        plt.YLabel("quick value of the round's pair");
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    private static int[] PickK(int[] ks, int count)
    {
        if (ks.Length <= count)
        {
            return ks;
        }

        return [.. Enumerable.Range(0, count).Select(i => ks[(int)Math.Round(i * (ks.Length - 1) / (double)(count - 1))]).Distinct()];
    }

    private static Plot Population(Game game, PolicyPair pair, SweepRun run, LocalTransitionTiming timing, string which, string note)
    {
        int k = run.K;
        const int Steps = 80;
        var simulator = new RobotLevelSimulator(new EvaluationTables(game, pair, k, timing));
        simulator.Reset(EvaluationSeeds.Rollout(12345, 0, 0));
        int l = game.LocalStates;
        var share = new double[l, Steps];
        var globalState = new double[Steps];
        var globalAction = new double[Steps];
        var time = new double[Steps];
        for (int t = 0; t < Steps; t++)
        {
            foreach (int s in simulator.LocalStates)
            {
                share[l - 1 - s, t] += 1.0 / game.AgentCount; // row 0 is drawn at the top: put s_l = L−1 there
            }

            globalState[t] = simulator.GlobalState;
            simulator.Step();
            globalAction[t] = simulator.GlobalAction;
            time[t] = t;
        }

        var plt = new Plot();
        var heatmap = plt.Add.Heatmap(share);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(0, Steps - 1, 0, l - 1); // cell centres on integers (ScottPlot adds half a cell each side)
        plt.Add.ColorBar(heatmap).Label = "share of robots in the local state";
        var sg = plt.Add.Scatter(time, globalState);
        sg.LegendText = "global state s_g (dispatcher's zone)";
        sg.Color = Colors.Orange;
        sg.LineWidth = 2;
        sg.MarkerSize = 0;
        sg.ConnectStyle = ConnectStyle.StepHorizontal;
        var ag = plt.Add.ScatterPoints(time, globalAction);
        ag.LegendText = "gateway action a_g";
        ag.Color = Colors.Magenta;
        ag.MarkerShape = MarkerShape.OpenCircle;
        ag.MarkerSize = 6;
        plt.Title(note.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Robot population, one rollout: {which}\n({game.Name}, n={game.AgentCount}, k={k}, training seed {run.Seed}, reward {run.RewardMean:F1})")
            : string.Create(CultureInfo.InvariantCulture, $"Robot population, one rollout: {which} (k={k}, seed {run.Seed})\n{note}"));
        plt.XLabel("step t");
        plt.YLabel("local state s_l (zone)");
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plt.Axes.SetLimits(-0.5, Steps - 0.5, -0.5, l - 0.5);
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
