using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Simulation;

namespace EdgeMarl.Cli.Commands;

/// <summary><c>edgemarl eval</c>: Monte-Carlo rollouts of the real n-robot system under a trained pair (docs/reference-benchmark.md "Evaluation").</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "Training run folder holding policies.json.", Required = true };
        var game = new Option<string?>("--game") { Description = "Game (built-in name or JSON file); default: the run folder's game.json, else the built-in game named in policies.json." };
        var k = new Option<int?>("--k") { Description = "Robots the gateway samples per step (default: the trained k; for a k' without a stored table the gateway reduces its replies to the largest stored k'' ≤ k', as the firmware does)." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds; mean and std are over per-seed means.", DefaultValueFactory = _ => 15 };
        var rollouts = new Option<int>("--rollouts") { Description = "Rollouts per seed.", DefaultValueFactory = _ => 50 };
        var horizon = new Option<int>("--horizon") { Description = "Steps per rollout.", DefaultValueFactory = _ => 50 };
        var seed = new Option<ulong>("--seed") { Description = "Base seed.", DefaultValueFactory = _ => 0 };
        var simulator = new Option<string>("--simulator")
        {
            Description = "'robot' (every robot simulated), 'count' (exact in distribution, cost independent of n), 'composed' (the default preset's quick values: the same mean, "
                + "robots' actions summed out and their reward taken in expectation, not the same distribution; cheapest), or 'process' (every robot, the dynamics asked of the run's "
                + "simulator.json command or --simulator-command; the default for a simulator-only run folder, which has no game.json).",
            DefaultValueFactory = _ => "robot",
        };
        var simulatorCommand = new Option<string?>("--simulator-command") { Description = "With --simulator process: the simulator command line (docs/simulator-protocol.md) instead of the one simulator.json records." };
        var simulatorTimeout = new Option<double>("--simulator-timeout") { Description = "Seconds to wait for any one simulator answer.", DefaultValueFactory = _ => 30 };
        var timing = new Option<string>("--timing")
        {
            Description = "Which global state moves the robots: 'design' (current s_g, docs/design.md §1) or 'reference' (next s_g', as the public reference's evaluator).",
            DefaultValueFactory = _ => "design",
        };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var n = FleetSizeOption.Create("Fleet size n to evaluate on (default: the n the policies were trained for).");
        var command = new Command("eval", "Evaluate a trained policy pair on the n-robot system. Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input.")
        {
            run, game, k, n, seeds, rollouts, horizon, seed, simulator, simulatorCommand, simulatorTimeout, timing, json,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("eval", () =>
        {
            string folder = parse.GetValue(run)!.FullName;
            TrainedPolicy trained = TrainingRunFolder.ReadPolicies(folder);
            var settings = new EvaluationSettings(parse.GetValue(k) ?? trained.Pair.K, parse.GetValue(horizon), parse.GetValue(rollouts), parse.GetValue(seeds), parse.GetValue(seed))
            {
                Timing = CliChoices.Timing(parse.GetValue(timing)!),
            };
            SimulatorRunFile? launch = SimulatorRunFile.Read(folder);
            bool simulatorOnly = launch is not null && parse.GetValue(game) is null && !File.Exists(Path.Combine(folder, TrainingRunFolder.GameFileName));
            string choice = parse.GetResult(simulator) is { Implicit: false } || !simulatorOnly ? parse.GetValue(simulator)! : "process";
            if (choice != "process" && parse.GetValue(simulatorCommand) is not null)
            {
                throw new ArgumentException("--simulator-command needs --simulator process");
            }

            using IGameSimulator? process = choice == "process" ? StartSimulator(folder, launch, parse.GetValue(simulatorCommand), parse.GetValue(simulatorTimeout)) : null;
            Game resolved = FleetSizeOption.Apply(
                process is not null && simulatorOnly ? ShapeOf(trained, process.Info, folder) : TrainingRunFolder.ResolveGame(trained, parse.GetValue(game), folder),
                parse.GetValue(n));
            IPolicyEvaluator evaluator = choice switch
            {
                "robot" => new RobotLevelEvaluator(),
                "count" => new CountLevelEvaluator(),
                "composed" => new ComposedCountEvaluator(),
                "process" => new GenerativeModelEvaluator(process!),
                var other => throw new ArgumentException($"--simulator: '{other}' is not one of robot, count, composed, process"),
            };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            EvaluationResult result = evaluator.Evaluate(resolved, trained.Pair, settings);
            double seconds = watch.Elapsed.TotalSeconds;
            Print(result, settings, resolved, seconds, parse.GetValue(json));
            return PolicyCommandSupport.Ok;
        }));
        return command;
    }

    /// <summary>Restarts the run's simulator (or <paramref name="command"/>) and checks it still announces what it announced when the run was trained.</summary>
    private static JsonLinesSimulatorProcess StartSimulator(string folder, SimulatorRunFile? launch, string? command, double timeoutSeconds)
    {
        if (!(timeoutSeconds > 0))
        {
            throw new ArgumentException("--simulator-timeout must be positive");
        }

        string where = Path.Combine(folder, SimulatorRunFile.FileName);
        if (command is null && launch is null)
        {
            throw new ArgumentException($"--simulator process: {where} does not exist (the run was not trained with --simulator); pass --simulator-command CMD");
        }

        string line = command ?? launch!.Command;
        string? directory = command is null ? launch!.WorkingDirectory : null;
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new IOException($"the simulator recorded in {where} ('{line}') ran in {directory}, which does not exist here; pass --simulator-command CMD (started in the current directory)");
        }

        JsonLinesSimulatorProcess started;
        try
        {
            started = JsonLinesSimulatorProcess.Start(line, TimeSpan.FromSeconds(timeoutSeconds), workingDirectory: directory);
        }
        catch (SimulatorException e) when (command is null)
        {
            throw new SimulatorException($"could not restart the simulator recorded in {where} (in {directory}): {e.Message}; pass --simulator-command CMD", e);
        }

        if (launch?.Difference(started.Info) is { } difference)
        {
            started.Dispose();
            throw new InvalidDataException($"simulator '{line}' is not the one this run was trained with ({where}): {difference}");
        }

        return started;
    }

    /// <summary>A simulator-only run's game: the shape of the simulator's hello, which must hash to the game the policies name.</summary>
    private static Game ShapeOf(TrainedPolicy trained, SimulatorInfo info, string folder)
    {
        Game shape = SimulatorShapeGame.From(info).WithAgentCount(trained.AgentCount);
        if (!GameHash.Compute(shape).AsSpan().SequenceEqual(trained.GameHash))
        {
            throw new InvalidDataException($"{folder}: the simulator's hello (sizes, n, γ, initial distributions) is not the shape the policies were trained on (game hash differs)");
        }

        return shape;
    }

    private static void Print(EvaluationResult result, EvaluationSettings settings, Game game, double seconds, bool json)
    {
        if (json)
        {
            CliJson.Print(new
            {
                game = game.Name,
                k = settings.K,
                horizon = settings.Horizon,
                rolloutsPerSeed = settings.RolloutsPerSeed,
                seeds = settings.Seeds,
                seed = settings.Seed,
                timing = CliWords.Timing(settings.Timing),
                mean = result.Mean,
                stdOverSeeds = result.StdOverSeeds,
                perSeedMeans = result.PerSeedMeans,
                robotSteps = result.RobotSteps,
                seconds,
            });
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{game.Name} k={settings.K}: discounted return {result.Mean:F3} ± {result.StdOverSeeds:F3} (std over {settings.Seeds} seeds × {settings.RolloutsPerSeed} rollouts, horizon {settings.Horizon}, timing {CliWords.Timing(settings.Timing)}); {result.RobotSteps / Math.Max(seconds, 1e-9) / 1e6:F1} M robot-steps/s"));
    }
}
