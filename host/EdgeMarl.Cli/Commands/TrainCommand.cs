using System.CommandLine;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Training;
using Spectre.Console;

namespace EdgeMarl.Cli.Commands;

/// <summary><c>edgemarl train</c>: ALTERNATING-MARL on a game, writing a run folder (docs/run-folder.md).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainingOptions();
        var learner = new LearnerOptions();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder to write (default: runs/GAME-kK-PRESET-sSEED)." };
        var json = new Option<bool>("--json") { Description = "Print the training record as JSON on stdout instead of a summary." };
        var command = new Command("train", "Train the gateway and robot policies with ALTERNATING-MARL (docs/design.md §2); every setting through --preset or --config and --set (docs/training-settings.md). Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input.");
        foreach (Option option in options.All)
        {
            command.Options.Add(option);
        }

        foreach (Option option in learner.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(parse => PolicyCommandSupport.Guard("train", () =>
        {
            TrainingConfig config = learner.Apply(parse, options.ToConfig(parse));
            // --simulator without a game: a simulator-only run; the hello gives the shape and the simulator the quick values.
            bool simulatorOnly = parse.GetValue(learner.Simulator) is not null && !options.GameGiven(parse);
            Game? tables = simulatorOnly ? null : FleetSizeOption.Apply(GameResolver.Resolve(options.GameName(parse)), parse.GetValue(options.N));
            using IGameSimulator? simulator = learner.Open(parse, tables);
            Game game = tables ?? FleetSizeOption.Apply(SimulatorShapeGame.From(simulator!.Info), parse.GetValue(options.N));
            GameValidator.EnsureValidK(game, config.K);
            string folder = parse.GetValue(output)?.FullName ?? DefaultFolder(game, config, options.PresetName(parse));
            TrainingResult result = Run(game, config, folder, progressBar: !parse.GetValue(json), simulator, learner.Launch(parse, simulator)).Result;
            if (parse.GetValue(json))
            {
                Console.WriteLine(TrainingRunFolder.RecordJson(result.Record, config, includeTimings: true));
            }
            else
            {
                PrintSummary(result, folder);
            }

            return PolicyCommandSupport.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Trains and writes the run folder. Progress: a bar on an interactive terminal when <paramref name="progressBar"/>
    /// (stdout stays clean otherwise, e.g. for <c>--json</c>), else one plain line per phase on stderr. Returns the
    /// result and the trained policy as written to <c>policies.json</c>.
    /// </summary>
    /// <remarks>A shape-only game (<see cref="SimulatorShapeGame"/>) takes its quick values through <paramref name="simulator"/>; <paramref name="launch"/>, when given, is written as <c>simulator.json</c>.</remarks>
    public static (TrainingResult Result, TrainedPolicy Trained) Run(Game game, TrainingConfig config, string folder, bool progressBar = true, IGameSimulator? simulator = null, SimulatorRunFile? launch = null)
    {
        Console.Error.WriteLine($"training {game.Name} k={config.K} (config {config.ConfigHash()[..12]}) → {folder}");
        int threads = config.Threads == 0 ? -1 : config.Threads;
        IPolicyEvaluator evaluator = SimulatorShapeGame.IsShapeOnly(game)
            ? new GenerativeModelEvaluator(simulator ?? throw new ArgumentException($"game '{game.Name}' has no tables: training it needs its simulator"), threads)
            : new RobotLevelEvaluator(threads);
        TrainingResult result = null!;
        var view = new TrainingProgressView(config, TrainingProgressView.CandidateCount(game, config));
        string title = $"k={config.K}";
        if (progressBar && AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            // A terminal: one bar over every (candidate, round) slot; the spinner and the clock keep moving through
            // the long export phase, which has no rounds to count.
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask(title, maxValue: view.Slots);
                    result = AlternatingMarl.TrainWith(game, config, evaluator, simulator, new TrainingProgressView.Bar(view, task, title));
                    task.Value = task.MaxValue;
                    task.Description = $"{title}: done";
                });
        }
        else
        {
            result = AlternatingMarl.TrainWith(game, config, evaluator, simulator, new TrainingProgressView.Lines(view, $"k={config.K}"));
        }

        TrainedPolicy trained = TrainingRunFolder.Write(folder, game, config, result);
        launch?.Write(folder);
        return (result, trained);
    }

    public static string DefaultFolder(Game game, TrainingConfig config, string preset) =>
        Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{game.Name}-k{config.K}-{preset}-s{config.Seed}"));

    private static void PrintSummary(TrainingResult result, string folder)
    {
        TrainingRecord record = result.Record;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {record.Game} k={record.K}: {record.Rounds.Count} rounds, stop: {record.StopReason}, final round {record.FinalRound} (quick value {record.FinalQuickValue:F3}), {record.Timings?.TotalSeconds ?? 0:F2} s"));
        string[] files = [.. new[] { "policies.json", "record.json", "config.json", TrainingRunFolder.GameFileName, SimulatorRunFile.FileName, "rounds.csv", "timings.json" }.Where(f => File.Exists(Path.Combine(folder, f)))];
        Console.WriteLine($"wrote {folder}/{string.Join(", ", files)}; next: edgemarl eval --run {folder}; edgemarl export --run {folder}");
    }
}
