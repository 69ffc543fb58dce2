using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Host.Training.ModelFree;
using ScottPlot;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl sample-complexity --game tiny --k 2 --budgets 10,30,100,300,1000 --seeds 5 --out DIR</c>: the model-free
/// G-step's and L-step's distance to the model-based answer against the samples (docs/model-free.md), and on a game small
/// enough for the exact Nash gap, the gap of the whole model-free training against the model-based one.
/// </summary>
internal static class SampleComplexityCommand
{
    private const int Width = 900, Height = 560;

    public static Command Create()
    {
        var game = new Option<string>("--game") { Description = "Built-in game name or game JSON file.", DefaultValueFactory = _ => "tiny" };
        var ks = new Option<string>("--k") { Description = "Sample sizes: '2', '5,10' or '1..4'.", DefaultValueFactory = _ => "2" };
        var budgets = new Option<string>("--budgets") { Description = "Q-updates per state-action pair to try, comma-separated.", DefaultValueFactory = _ => "10,30,100,300,1000,3000" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per budget.", DefaultValueFactory = _ => 5 };
        var gap = new Option<bool>("--gap") { Description = "Also train the full alternation model-free at each budget and compute the exact Nash gap (tiny games only)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (created).", Required = true };
        var exploration = new Option<string>("--exploration")
        {
            Description = "How both learners sample: 'generative' (synchronous, every pair each iteration) or 'epsilon-greedy' (along trajectories; the budget is then transitions per pair).",
            DefaultValueFactory = _ => "generative",
        };
        var command = new Command("sample-complexity", "Distance of the model-free learners to the model-based answer vs samples: CSV and log-log PNGs (docs/model-free.md).")
        {
            game, ks, budgets, seeds, gap, exploration, output,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("sample-complexity", () => Run(
            GameResolver.Resolve(parse.GetValue(game)!),
            KList.Parse(parse.GetValue(ks)!),
            [.. parse.GetValue(budgets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => int.Parse(b, CultureInfo.InvariantCulture))],
            parse.GetValue(seeds),
            parse.GetValue(gap),
            parse.GetValue(output)!,
            parse.GetValue(exploration) switch
            {
                "generative" => SampleExploration.Generative,
                "epsilon-greedy" => SampleExploration.EpsilonGreedy,
                var other => throw new ArgumentException($"--exploration: '{other}' is not one of generative, epsilon-greedy"),
            })));
        return command;
    }

    private static int Run(Game game, IReadOnlyList<int> ks, int[] budgets, int seedCount, bool withGap, DirectoryInfo output, SampleExploration exploration)
    {
        Directory.CreateDirectory(output.FullName);
        var points = new List<SampleComplexityPoint>();
        double[] uniform = new double[game.GlobalStates * game.LocalStates * game.LocalActions];
        Array.Fill(uniform, 1.0 / game.LocalActions);
        foreach (int k in ks)
        {
            GameValidator.EnsureValidK(game, k);
            foreach (int budget in budgets)
            {
                for (ulong seed = 0; seed < (ulong)seedCount; seed++)
                {
                    points.Add(SampleComplexity.GStep(game, uniform, k, budget, seed, exploration));
                    points.Add(SampleComplexity.LStep(game, uniform, k, budget, seed, exploration));
                }

                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"k={k} budget={budget}: G max|Q−Q*| {Mean(points, "G", k, budget, p => p.MaxQError):G3}, L max|Q−Q*| {Mean(points, "L", k, budget, p => p.MaxQError):G3}"));
            }
        }

        var csv = new StringBuilder("step,k,samplesPerPair,samples,seed,maxQError,maxValueError,policyAgreement\n");
        foreach (SampleComplexityPoint p in points)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Step},{p.K},{p.SamplesPerPair},{p.Samples},{p.Seed},{p.MaxQError:R},{p.MaxValueError:R},{p.PolicyAgreement:R}\n");
        }

        File.WriteAllText(Path.Combine(output.FullName, "sample_complexity.csv"), csv.ToString());
        Fonts.Default = "DejaVu Sans";
        foreach (string step in new[] { "G", "L" })
        {
            ErrorPlot(game, points, step, ks, budgets).SavePng(Path.Combine(output.FullName, $"{game.Name}_{step.ToLowerInvariant()}step_error.png"), Width, Height);
        }

        if (withGap)
        {
            GapStudy(game, ks[0], budgets, seedCount, output.FullName, exploration);
        }

        Console.WriteLine($"wrote {output.FullName}/sample_complexity.csv and the log-log plots");
        return PolicyCommandSupport.Ok;
    }

    private static double Mean(List<SampleComplexityPoint> points, string step, int k, int budget, Func<SampleComplexityPoint, double> f) =>
        points.Where(p => p.Step == step && p.K == k && p.SamplesPerPair == budget).Average(f);

    private static Plot ErrorPlot(Game game, List<SampleComplexityPoint> points, string step, IReadOnlyList<int> ks, int[] budgets)
    {
        var plt = new Plot();
        var summary = new StringBuilder();
        foreach (int k in ks)
        {
            double[] x = [.. budgets.Select(b => Math.Log10(b))];
            double[] y = [.. budgets.Select(b => Math.Log10(Mean(points, step, k, b, p => p.MaxQError)))];
            var line = plt.Add.Scatter(x, y);
            LogLogFit? fit = LogLogFit.Fit([.. budgets.Select(b => (double)b)], [.. budgets.Select(b => Mean(points, step, k, b, p => p.MaxQError))]);
            string slope = fit is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", slope {fit.Slope:F2} ± {fit.SlopeStandardError:F2}");
            line.LegendText = $"k = {k}: mean over seeds of max |Q − Q*|{slope}";
            line.LineWidth = 2;
            var seeds = points.Where(p => p.Step == step && p.K == k).ToList();
            double[] dotX = [.. seeds.Select(p => Math.Log10(p.SamplesPerPair))];
            double[] dotY = [.. seeds.Select(p => Math.Log10(Math.Max(p.MaxQError, 1e-12)))];
            var dots = plt.Add.ScatterPoints(dotX, dotY);
            dots.Color = line.Color.WithAlpha(0.4);
            dots.MarkerSize = 4;
            if (k == ks[0])
            {
                double anchor = Mean(points, step, k, budgets[0], p => p.MaxQError);
                var guide = plt.Add.Scatter(x, [.. budgets.Select(b => Math.Log10(anchor * Math.Sqrt((double)budgets[0] / b)))]);
                guide.LegendText = "1/√samples guide";
                guide.LinePattern = LinePattern.Dotted;
                guide.Color = Colors.Black;
                guide.MarkerSize = 0;
            }
        }

        LogAxis(plt.Axes.Bottom, "N0");
        LogAxis(plt.Axes.Left, "G2");
        string name = step == "G" ? "G-step (Q-learning on (s_g, c), π_l uniform)" : "L-step (Q-learning in the sampled induced MDP)";
        plt.Title($"{game.Name}: {name}, error vs samples, log-log");
        plt.XLabel("Q-updates per state-action pair");
        plt.YLabel(step == "G" ? "max |Q_g − Q_g*| (Q* = exact-mode G-step)" : "max |Q_l − Q_l*| (Q* = model-based L-step)");
        plt.ShowLegend(Alignment.LowerLeft);
        return plt;
    }

    private static void GapStudy(Game game, int k, int[] budgets, int seedCount, string directory, SampleExploration exploration)
    {
        var evaluator = new RobotLevelEvaluator(1);
        TrainingConfig baseConfig = TrainingConfig.Default(k) with { Threads = 1 };
        double modelGap = ExactNashGap.Compute(game, AlternatingMarl.Train(game, baseConfig, evaluator).Policies, k).Epsilon;
        var csv = new StringBuilder("samplesPerPair,seed,samples,epsilon,modelBasedEpsilon\n");
        var means = new List<double>();
        foreach (int budget in budgets)
        {
            var gaps = new List<double>();
            for (ulong seed = 0; seed < (ulong)seedCount; seed++)
            {
                TrainingConfig config = baseConfig with { Seed = seed, Lift = LiftRule.None, Tables = DegradationTables.Every, ModelFree = new ModelFreeSettings { GSamplesPerPair = budget, LSamplesPerPair = budget, MeanFieldSteps = Math.Max(200, 10 * budget), Exploration = exploration } };
                TrainingResult result = AlternatingMarl.Train(game, config, evaluator);
                double epsilon = ExactNashGap.Compute(game, result.Policies, k).Epsilon;
                gaps.Add(epsilon);
                long samples = result.Record.Simulator!.GlobalSamples + result.Record.Simulator.LocalSamples;
                csv.Append(CultureInfo.InvariantCulture, $"{budget},{seed},{samples},{epsilon:R},{modelGap:R}\n");
            }

            means.Add(gaps.Average());
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gap: budget={budget}: mean exact ε {gaps.Average():G4} (model-based {modelGap:G4})"));
        }

        File.WriteAllText(Path.Combine(directory, "gap_vs_samples.csv"), csv.ToString());
        var plt = new Plot();
        double[] x = [.. budgets.Select(b => Math.Log10(b))];
        var learned = plt.Add.Scatter(x, [.. means.Select(m => Math.Log10(Math.Max(m, 1e-12)))]);
        learned.LegendText = "model-free pair: mean exact ε over seeds (ε ≤ 1e-12 drawn at 1e-12)";
        learned.LineWidth = 2;
        var model = plt.Add.Scatter(x, [.. x.Select(_ => Math.Log10(Math.Max(modelGap, 1e-12)))]);
        model.LegendText = "model-based pair (default preset)";
        model.LinePattern = LinePattern.Dashed;
        model.MarkerSize = 0;
        LogAxis(plt.Axes.Bottom, "N0");
        LogAxis(plt.Axes.Left, "G3");
        plt.Title($"{game.Name}, k = {k}: exact Nash gap of the model-free pair vs samples");
        plt.XLabel("Q-updates per state-action pair (G-step and L-step)");
        plt.YLabel("exact ε = max(gateway gain, robot gain)");
        plt.ShowLegend(Alignment.UpperRight);
        plt.SavePng(Path.Combine(directory, $"{game.Name}_gap_vs_samples.png"), Width, Height);
    }

    private static void LogAxis(ScottPlot.IAxis axis, string format) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString(format, CultureInfo.InvariantCulture),
        };
}
