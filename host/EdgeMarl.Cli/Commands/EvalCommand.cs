using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Runs;

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
        var simulator = new Option<string>("--simulator") { Description = "'robot' (every robot simulated) or 'count' (exact in distribution, cost independent of n).", DefaultValueFactory = _ => "robot" };
        var timing = new Option<string>("--timing")
        {
            Description = "Which global state moves the robots: 'design' (current s_g, docs/design.md §1) or 'reference' (next s_g', as the public reference's evaluator).",
            DefaultValueFactory = _ => "design",
        };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var n = FleetSizeOption.Create("Fleet size n to evaluate on (default: the n the policies were trained for).");
        var command = new Command("eval", "Evaluate a trained policy pair on the n-robot system. Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input.")
        {
            run, game, k, n, seeds, rollouts, horizon, seed, simulator, timing, json,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("eval", () =>
        {
            TrainedPolicy trained = TrainingRunFolder.ReadPolicies(parse.GetValue(run)!.FullName);
            Game resolved = FleetSizeOption.Apply(TrainingRunFolder.ResolveGame(trained, parse.GetValue(game), parse.GetValue(run)!.FullName), parse.GetValue(n));
            var settings = new EvaluationSettings(parse.GetValue(k) ?? trained.Pair.K, parse.GetValue(horizon), parse.GetValue(rollouts), parse.GetValue(seeds), parse.GetValue(seed))
            {
                Timing = CliChoices.Timing(parse.GetValue(timing)!),
            };
            IPolicyEvaluator evaluator = parse.GetValue(simulator) switch
            {
                "robot" => new RobotLevelEvaluator(),
                "count" => new CountLevelEvaluator(),
                var other => throw new ArgumentException($"--simulator: '{other}' is not one of robot, count"),
            };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            EvaluationResult result = evaluator.Evaluate(resolved, trained.Pair, settings);
            double seconds = watch.Elapsed.TotalSeconds;
            Print(result, settings, resolved, seconds, parse.GetValue(json));
            return PolicyCommandSupport.Ok;
        }));
        return command;
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
