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

/// <summary><c>edgemarl train</c>: ALTERNATING-MARL on a game, writing a run folder (policies.json, record.json, config.json).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainingOptions();
        var learner = new LearnerOptions();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder to write (default: runs/GAME-kK-PRESET-sSEED)." };
        var json = new Option<bool>("--json") { Description = "Print the training record as JSON on stdout instead of a summary." };
        var command = new Command("train", "Train the gateway and robot policies with ALTERNATING-MARL (DESIGN.md §2). Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input.");
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
            Game game = FleetSizeOption.Apply(GameResolver.Resolve(parse.GetValue(options.Game)!), parse.GetValue(options.N));
            GameValidator.EnsureValidK(game, config.K);
            string folder = parse.GetValue(output)?.FullName ?? DefaultFolder(game, config, parse.GetValue(options.Preset)!);
            using IGameSimulator? simulator = learner.Open(parse, game);
            TrainingResult result = Run(game, config, folder, progressBar: !parse.GetValue(json), simulator).Result;
            if (parse.GetValue(json))
            {
                Console.WriteLine(result.Record.ToJson());
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
    public static (TrainingResult Result, TrainedPolicy Trained) Run(Game game, TrainingConfig config, string folder, bool progressBar = true, IGameSimulator? simulator = null)
    {
        Console.Error.WriteLine($"training {game.Name} k={config.K} (config {config.ConfigHash()[..12]}) → {folder}");
        var evaluator = new RobotLevelEvaluator(config.Threads == 0 ? -1 : config.Threads);
        TrainingResult result = null!;
        if (progressBar && AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            // A terminal: one bar over every round (both candidates when the preset trains a robot-output portfolio).
            int rounds = config.MaxRounds * (config.RobotOutputPortfolio ? 2 : 1);
            AnsiConsole.Progress().AutoClear(false).Start(context =>
            {
                ProgressTask task = context.AddTask($"train {game.Name} k={config.K}", maxValue: rounds);
                result = AlternatingMarl.TrainWith(game, config, evaluator, simulator, new Progress(task));
                task.Value = task.MaxValue;
            });
        }
        else
        {
            result = AlternatingMarl.TrainWith(game, config, evaluator, simulator, new TrainingProgressReporter($"k={config.K}"));
        }

        return (result, TrainingRunFolder.Write(folder, game, config, result));
    }

    /// <summary>Advances the bar by one per finished round (a round ends with its quick value).</summary>
    private sealed class Progress(ProgressTask task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.QuickValue is double quick)
            {
                task.Increment(1);
                task.Description = string.Create(CultureInfo.InvariantCulture, $"{task.Description.Split(':')[0]}: quick value {quick:F2}");
            }
        }
    }

    public static string DefaultFolder(Game game, TrainingConfig config, string preset) =>
        Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{game.Name}-k{config.K}-{preset}-s{config.Seed}"));

    private static void PrintSummary(TrainingResult result, string folder)
    {
        TrainingRecord record = result.Record;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {record.Game} k={record.K}: {record.Rounds.Count} rounds, stop: {record.StopReason}, final round {record.FinalRound} (quick value {record.FinalQuickValue:F3}), {record.Timings?.TotalSeconds ?? 0:F2} s"));
        Console.WriteLine($"wrote {folder}/policies.json, record.json, config.json; next: edgemarl eval --run {folder}; edgemarl export --run {folder}");
    }
}
