using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Random;
using Spectre.Console;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl sweep --game zones --k 1..50 --seeds 3 --preset reference|default --out DIR</c>: trains every (k, seed),
/// evaluates it (docs/reference-benchmark.md settings), estimates its Nash gap (docs/nash-gap.md §6), and writes
/// <c>sweep.csv</c>, <c>rounds.csv</c>, <c>summary.txt</c>, one run folder per cell and the plots (docs/sweep.md).
/// </summary>
internal static class SweepCommand
{
    private const ulong EvaluationTag = 7, GapTag = 8;

    public static Command Create()
    {
        var game = new Option<string>("--game") { Description = "Built-in game name or game JSON file.", DefaultValueFactory = _ => "zones" };
        var ks = new Option<string>("--k") { Description = "Sample sizes: '1..50', '1,2,5,10' or a mix.", DefaultValueFactory = _ => "1..50" };
        var seeds = new Option<int>("--seeds") { Description = "Training seeds per k (0 … S−1).", DefaultValueFactory = _ => 3 };
        var preset = new Option<string>("--preset") { Description = "Training preset: default (as train and eval) or reference.", DefaultValueFactory = _ => "default" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (created).", Required = true };
        var kPrime = new Option<int>("--gap-kprime") { Description = "Largest k' of the gateway deviation (\"more information\").", DefaultValueFactory = _ => 50 };
        var noGap = new Option<bool>("--no-gap") { Description = "Skip the Nash-gap estimate." };
        var timing = new Option<string>("--timing")
        {
            Description = "Robot move timing for quick values and the reward evaluation: design (current s_g, as train and eval; alias current) or reference (next s_g', the reference's quirk; alias next). The gap always uses design.",
            DefaultValueFactory = _ => "design",
        };
        var n = FleetSizeOption.Create();
        var lift = new Option<string?>("--lift") { Description = CliChoices.LiftDescription + " Cells share their trainings: a lifted k' already in the sweep is not trained again." };
        var replot = new Option<bool>("--replot")
        {
            Description = "Redraw summary.txt and every plot from the --out folder's sweep.csv and rounds.csv instead of running the sweep; only the cells the "
                + "population heatmaps show are retrained (training is deterministic). Pass the sweep's own --game, --n, --preset, --timing and --lift.",
        };
        var command = new Command("sweep", "Train, evaluate and estimate the Nash gap for every k; write CSV and PNG plots.")
        {
            game, ks, n, seeds, preset, output, kPrime, noGap, timing, lift, replot,
        };
        // The learner is an option as in train. With --simulator the learners read only the simulator; the evaluation, the gap and
        // the population plots still roll out --game's tables, so a sweep needs a table game of the same sizes.
        var learner = new LearnerOptions();
        foreach (Option option in learner.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Guard(() =>
        {
            if (parse.GetValue(learner.Simulator) is not null && parse.GetResult(game) is not { Implicit: false })
            {
                throw new ArgumentException("--simulator: sweep evaluates, estimates gaps and plots on the game's tables; pass --game with a table game of the simulator's sizes (train and eval work with a simulator alone)");
            }

            if (parse.GetValue(replot))
            {
                return parse.GetValue(learner.Simulator) is null
                    ? Replot(parse.GetValue(game)!, parse.GetValue(n), parse.GetValue(preset)!, parse.GetValue(output)!, parse.GetValue(timing)!, config => Lifted(learner.Apply(parse, config), parse.GetValue(lift)))
                    : throw new ArgumentException("--replot retrains on the game's tables; it does not take --simulator");
            }

            Game tables = FleetSizeOption.Apply(GameResolver.Resolve(parse.GetValue(game)!), parse.GetValue(n));
            using IGameSimulator? simulator = learner.Open(parse, tables);
            return Run(
                tables, parse.GetValue(ks)!, parse.GetValue(seeds), parse.GetValue(preset)!, parse.GetValue(output)!,
                parse.GetValue(kPrime), !parse.GetValue(noGap), parse.GetValue(timing)!, config => Lifted(learner.Apply(parse, config), parse.GetValue(lift)), simulator, learner.Launch(parse, simulator));
        }));
        return command;
    }

    private static TrainingConfig Lifted(TrainingConfig config, string? lift) => lift is null ? config : config with { Lift = CliChoices.Lift(lift) };

    private static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is GameSourceException or GameValidationException or ArgumentException)
        {
            return PolicyCommandSupport.Fail("sweep", e.Message, PolicyCommandSupport.Usage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PolicyCommandSupport.Fail("sweep", e.Message, PolicyCommandSupport.Io);
        }
        catch (InvalidDataException e)
        {
            return PolicyCommandSupport.Fail("sweep", e.Message, PolicyCommandSupport.InvalidData);
        }
    }

    /// <summary>Redraws a finished sweep's summary and plots from its CSV files (docs/sweep.md "Redrawing the plots").</summary>
    private static int Replot(string gameName, int? n, string presetName, DirectoryInfo output, string timingName, Func<TrainingConfig, TrainingConfig> learner)
    {
        Game game = FleetSizeOption.Apply(GameResolver.Resolve(gameName), n);
        Func<int, TrainingConfig> basePreset = CliChoices.Preset(presetName);
        LocalTransitionTiming timing = CliChoices.Timing(timingName);
        (List<SweepRun> runs, int? cores) = SweepRun.ReadFolder(output.FullName);
        SweepRun largest = runs.Where(r => r.Seed == 0).MaxBy(r => r.K) ?? runs.MaxBy(r => r.K)!;
        SweepRun best = runs.MaxBy(r => r.RewardMean)!;
        (SweepRun, PolicyPair, string) Retrain(SweepRun run)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retraining k={run.K} seed={run.Seed} for its population heatmap"));
            TrainingConfig config = learner(basePreset(run.K)) with { Seed = run.Seed, KMin = run.K, QuickTiming = timing };
            var evaluator = new RobotLevelEvaluator();
            PolicyPair pair = AlternatingMarl.Train(game, config, evaluator).Policies;

            // The same evaluation as the sweep's cell: equal means say the retrained pair is the pair the sweep measured.
            double reward = evaluator.Evaluate(game, pair, EvaluationSettings.Reference(run.K, Pcg32.DeriveSeed(run.Seed, EvaluationTag)) with { Timing = timing }).Mean;
            if (reward == run.RewardMean)
            {
                return (run, pair, string.Empty);
            }

            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"warning: the retrained k={run.K} seed={run.Seed} pair evaluates to {reward:R}, sweep.csv says {run.RewardMean:R}: training has changed since the sweep (or other options); its heatmap shows the retrained pair"));
            return (run, pair, string.Create(CultureInfo.InvariantCulture, $"retrained by today's trainer: reward {reward:F2} (the sweep's pair: {run.RewardMean:F2})"));
        }

        var largestCell = Retrain(largest);
        var bestCell = ReferenceEquals(best, largest) ? largestCell : Retrain(best);
        string[] csv = [.. File.ReadLines(Path.Combine(output.FullName, "sweep.csv")).Take(2)];
        int versionColumn = Array.FindIndex(csv[0].Split(','), c => c is "tool_version" or "tool");
        string origin = versionColumn >= 0 ? "written by " + csv[1].Split(',')[versionColumn] : "writer's version not recorded";
        Finish(output.FullName, game, runs, presetName, timing, null, cores, (largestCell, bestCell), $"replotted from sweep.csv ({origin})");
        return 0;
    }

    /// <summary>Writes summary.txt and the plots, and prints the summary.</summary>
    private static void Finish(
        string folder, Game game, IReadOnlyList<SweepRun> runs, string presetName, LocalTransitionTiming timing, double? seconds, int? cores,
        ((SweepRun Run, PolicyPair Pair, string Note) Largest, (SweepRun Run, PolicyPair Pair, string Note) Best) heatmaps, string provenance)
    {
        var summary = SweepSummary.Create(runs, game, presetName, timing, seconds);
        File.WriteAllText(
            Path.Combine(folder, "summary.txt"),
            $"edgemarl {CliWords.ToolVersion}; preset {presetName}, timing {CliWords.Timing(timing)}; {provenance}\n" + summary.ToText());
        SweepPlots.WriteAll(folder, game, runs, summary, heatmaps, timing, cores);
        Console.WriteLine(summary.ToText());
        Console.WriteLine($"wrote summary.txt and plots in {folder}");
    }

    private static int Run(
        Game game, string kText, int seedCount, string presetName, DirectoryInfo output, int kPrime, bool withGap, string timingName, Func<TrainingConfig, TrainingConfig> learner,
        IGameSimulator? simulator, SimulatorRunFile? launch)
    {
        int[] ks = KList.Parse(kText);
        if (ks[^1] > game.AgentCount)
        {
            throw new ArgumentException($"--k: k={ks[^1]} exceeds the fleet size n={game.AgentCount} of game '{game.Name}'");
        }

        if (seedCount < 1)
        {
            throw new ArgumentException($"--seeds: {seedCount} training seeds; need at least 1");
        }
        Func<int, TrainingConfig> basePreset = CliChoices.Preset(presetName);
        TrainingConfig preset(int k) => learner(basePreset(k));
        LocalTransitionTiming timing = CliChoices.Timing(timingName);

        Directory.CreateDirectory(output.FullName);
        string csvPath = Path.Combine(output.FullName, "sweep.csv");
        string roundsPath = Path.Combine(output.FullName, "rounds.csv");
        using var csv = new StreamWriter(csvPath) { NewLine = "\n", AutoFlush = true };
        using var roundsCsv = new StreamWriter(roundsPath) { NewLine = "\n", AutoFlush = true };
        csv.WriteLine(SweepRun.CsvHeader + ",processor_count,tool_version");
        roundsCsv.WriteLine("k,seed,round,quick_value");

        var cells = ks.SelectMany(k => Enumerable.Range(0, seedCount).Select(s => (K: k, Seed: (ulong)s))).ToArray();
        var runs = new List<SweepRun>();
        (SweepRun Run, PolicyPair Pair)? largestK = null, best = null;
        var total = Stopwatch.StartNew();
        var lifts = new LiftCache(); // cells run in ascending k: a lifted k' < k of the same seed is usually a cell already
        void RunAll(Action<string> log, Action<string> status)
        {
            foreach ((int k, ulong seed) in cells)
            {
                status(string.Create(CultureInfo.InvariantCulture, $"k={k} seed={seed}"));
                (SweepRun run, PolicyPair pair) = RunCell(game, preset(k) with { Seed = seed, KMin = k, QuickTiming = timing }, timing, withGap, kPrime, output.FullName, lifts, simulator, launch);
                runs.Add(run);
                csv.WriteLine(run.CsvLine(game.AgentCount) + string.Create(CultureInfo.InvariantCulture, $",{Environment.ProcessorCount},{CliWords.ToolVersion}"));
                for (int r = 0; r < run.QuickValues.Count; r++)
                {
                    roundsCsv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k},{seed},{r},{run.QuickValues[r]:R}"));
                }

                if (seed == 0)
                {
                    largestK = (run, pair); // cells run in ascending k: the last seed-0 cell has the largest k
                }

                if (best == null || run.RewardMean > best.Value.Run.RewardMean)
                {
                    best = (run, pair);
                }

                string gap = run.Gap is { } g
                    ? string.Create(CultureInfo.InvariantCulture, $" ε̂={g.Epsilon:F4}±{g.EpsilonHalfWidth:F4} (gateway k {g.SameK.Mean:F4}, k'={g.KPrime} {g.WideK.Mean:F4}, full {g.Full?.Mean:F4}, robot {g.Robot.Mean:G3})")
                    : string.Empty;
                log(string.Create(CultureInfo.InvariantCulture, $"k={k,2} seed={seed}: reward {run.RewardMean:F2} ± {run.RewardStd:F2}, train {run.TrainSeconds:F1} s, {run.QuickValues.Count} rounds{gap}  [{total.Elapsed:hh\\:mm\\:ss}]"));
            }
        }

        if (Console.IsOutputRedirected)
        {
            RunAll(Console.WriteLine, _ => { });
        }
        else
        {
            AnsiConsole.Progress().Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("sweep", maxValue: cells.Length);
                RunAll(
                    line =>
                    {
                        AnsiConsole.WriteLine(line);
                        task.Increment(1);
                    },
                    s => task.Description = Markup.Escape(s));
            });
        }

        Finish(output.FullName, game, runs, presetName, timing, total.Elapsed.TotalSeconds, Environment.ProcessorCount, ((largestK!.Value.Run, largestK.Value.Pair, string.Empty), (best!.Value.Run, best.Value.Pair, string.Empty)), "run");
        Console.WriteLine($"wrote {csvPath} and {roundsPath}");
        return 0;
    }

    private static (SweepRun Run, PolicyPair Pair) RunCell(
        Game game, TrainingConfig config, LocalTransitionTiming timing, bool withGap, int kPrime, string outputDirectory, LiftCache lifts, IGameSimulator? simulator, SimulatorRunFile? launch)
    {
        int k = config.K;
        ulong seed = config.Seed;
        var robotLevel = new RobotLevelEvaluator();
        var train = Stopwatch.StartNew();
        TrainingResult result = simulator is null
            ? AlternatingMarl.Train(game, config, robotLevel, lifts) // quick values with config.QuickTiming = the sweep's timing
            : AlternatingMarl.TrainWith(game, config, robotLevel, simulator); // model-free from the simulator (no lifting)
        double trainSeconds = train.Elapsed.TotalSeconds;
        lifts.Add(config, result);

        string runDirectory = Path.Combine(outputDirectory, "runs", string.Create(CultureInfo.InvariantCulture, $"k{k:D2}-s{seed}"));
        TrainingRunFolder.Write(runDirectory, game, config, result); // a full run folder: eval, gap, export and train --config read it
        launch?.Write(runDirectory);

        EvaluationResult reward = robotLevel.Evaluate(
            game, result.Policies, EvaluationSettings.Reference(k, Pcg32.DeriveSeed(seed, EvaluationTag)) with { Timing = timing });

        NashGapEstimate? gap = null;
        var gapWatch = Stopwatch.StartNew();
        if (withGap)
        {
            var estimator = new EstimatedNashGap(new TrainerBestResponses(Seed: seed));
            gap = estimator.Estimate(game, result.Policies, k, NashGapEstimationSettings.Sweep(k, game.AgentCount, kPrime, Pcg32.DeriveSeed(seed, GapTag)));
        }

        var quick = result.Record.Rounds.Select(r => r.QuickValue).ToArray();
        var run = new SweepRun(k, seed, trainSeconds, result.Record.StopReason, result.Record.FinalRound, quick, reward.Mean, reward.StdOverSeeds, gap is null ? null : SweepGap.From(gap), gapWatch.Elapsed.TotalSeconds);
        return (run, result.Policies);
    }
}
