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
    /// <param name="heatmapRuns">Runs to draw one population heatmap each for, with a file-name suffix and their pair.</param>
    /// <param name="timing">Move timing of the heatmap rollouts.</param>
    public static void WriteAll(
        string directory, Game game, IReadOnlyList<SweepRun> runs, SweepSummary summary, IReadOnlyList<(string Suffix, SweepRun Run, PolicyPair Pair)> heatmapRuns, LocalTransitionTiming timing)
    {
        Fonts.Default = "DejaVu Sans";
        Reward(game, runs, summary).SavePng(Path.Combine(directory, "reward_vs_k.png"), Width, Height);
        if (summary.EpsilonMean.Any(e => !double.IsNaN(e)))
        {
            Gap(runs, summary).SavePng(Path.Combine(directory, "nash_gap_vs_k.png"), Width, Height);
        }

        TrainingTime(game, summary).SavePng(Path.Combine(directory, "training_time_vs_k.png"), Width, Height);
        ValuePerRound(runs, summary).SavePng(Path.Combine(directory, "value_per_round.png"), Width, Height);
        foreach ((string suffix, SweepRun run, PolicyPair pair) in heatmapRuns)
        {
            Population(game, pair, run, timing).SavePng(Path.Combine(directory, $"population_heatmap{suffix}.png"), Width, Height);
        }
    }

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
        var pk = new List<double>();
        var pe = new List<double>();
        foreach (SweepRun r in runs)
        {
            if (r.Gap is { } g && g.Epsilon > 0)
            {
                pk.Add(Math.Log10(r.K));
                pe.Add(Math.Log10(g.Epsilon));
            }
        }

        var seedPoints = plt.Add.ScatterPoints(pk.ToArray(), pe.ToArray());
        seedPoints.MarkerSize = 4;
        seedPoints.Color = Colors.Gray.WithAlpha(0.6);
        seedPoints.LegendText = "ε̂ of one training seed";

        var mk = new List<double>();
        var me = new List<double>();
        for (int i = 0; i < s.K.Length; i++)
        {
            if (s.EpsilonMean[i] > 0)
            {
                mk.Add(Math.Log10(s.K[i]));
                me.Add(Math.Log10(s.EpsilonMean[i]));
            }
        }

        var mean = plt.Add.Scatter(mk.ToArray(), me.ToArray());
        mean.LegendText = "mean ε̂ over training seeds";
        mean.LineWidth = 2;
        if (s.EpsilonFit is { } fit)
        {
            double[] xs = [Math.Log10(s.FitRange.Min), Math.Log10(s.FitRange.Max)];
            var line = plt.Add.Scatter(xs, [.. xs.Select(x => Math.Log10(fit.At(Math.Pow(10, x))))]);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"fit over k ∈ [{s.FitRange.Min}, {s.FitRange.Max}]: slope {fit.Slope:F2} ± {fit.SlopeStandardError:F2}");
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

        LogAxis(plt.Axes.Bottom, "N0");
        LogAxis(plt.Axes.Left, "G2");
        plt.Title($"Estimated Nash gap ε̂ vs k, log-log ({s.Caption})");
        plt.XLabel("k");
        plt.YLabel("ε̂ = max(gateway gain, robot gain), J_H, H = 150");
        plt.ShowLegend(Alignment.LowerLeft);
        return plt;
    }

    private static void LogAxis(ScottPlot.IAxis axis, string format) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString(format, CultureInfo.InvariantCulture),
        };

    private static Plot TrainingTime(Game game, SweepSummary s)
    {
        var plt = new Plot();
        double[] ks = AsDouble(s.K);
        var mean = plt.Add.Scatter(ks, s.TrainSecondsMean);
        mean.LegendText = "EdgeMarl: mean ± std over training seeds";
        mean.Color = Colors.RoyalBlue;
        var bars = plt.Add.ErrorBar(ks, s.TrainSecondsMean, s.TrainSecondsStd);
        bars.Color = mean.Color;
        if (game.Name == ZonesGame.Name && game.AgentCount == ZonesGame.Robots)
        {
            var reference = plt.Add.Scatter(AsDouble(ReferenceBenchmarks.K), [.. ReferenceBenchmarks.TrainingSeconds]);
            reference.LegendText = "reference implementation (docs/reference-benchmark.md)";
            reference.LinePattern = LinePattern.Dashed;
            reference.Color = Colors.OrangeRed;
        }

        plt.Title($"Training time vs k ({s.Caption})");
        plt.XLabel("k");
        plt.YLabel(string.Create(CultureInfo.InvariantCulture, $"wall seconds ({Environment.ProcessorCount}-core machine)"));
        plt.ShowLegend(Alignment.UpperLeft);
        return plt;
    }

    private static Plot ValuePerRound(IReadOnlyList<SweepRun> runs, SweepSummary s)
    {
        var plt = new Plot();
        int[] shown = PickK(s.K, 7);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < shown.Length; i++)
        {
            SweepRun run = runs.First(r => r.K == shown[i]);
            var line = plt.Add.Scatter(AsDouble(Enumerable.Range(0, run.QuickValues.Count)), [.. run.QuickValues]);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"k = {shown[i]} (seed {run.Seed}, returned round {run.FinalRound})");
            line.Color = palette.GetColor(i);
        }

        plt.Title("Quick value per alternation round");
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

    private static Plot Population(Game game, PolicyPair pair, SweepRun run, LocalTransitionTiming timing)
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
        plt.Title(string.Create(CultureInfo.InvariantCulture, $"Robot population, one rollout ({game.Name}, n={game.AgentCount}, k={k}, training seed {run.Seed}, reward {run.RewardMean:F1})"));
        plt.XLabel("step t");
        plt.YLabel("local state s_l (zone)");
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plt.Axes.SetLimits(-0.5, Steps - 0.5, -0.5, l - 0.5);
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
