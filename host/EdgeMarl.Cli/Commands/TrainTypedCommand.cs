using System.CommandLine;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl train-typed --game zones-mixed --h 0.5 --k 4 [--seed S] [--n N] --out DIR</c>: typed training (docs/heterogeneity.md §4,
/// the gateway counts (type, state) classes, one robot policy per type) into a run folder that <c>edgemarl export</c> turns into a
/// format-5 policy file for a typed fleet (§8).
/// </summary>
internal static class TrainTypedCommand
{
    public static Command Create()
    {
        var game = new Option<string>("--game") { Description = "zones-mixed or tiny-mixed (with --h), or a game JSON file with robot types (edgemarl.game/2).", DefaultValueFactory = _ => ZonesMixedGame.Name };
        var h = new Option<double?>("--h") { Description = "zones-mixed and tiny-mixed: heterogeneity in [0, 1]." };
        var k = new Option<int>("--k") { Description = "Robots the gateway samples (count space C(k + T·|S_l| − 1, T·|S_l| − 1); zones-mixed allows k ≤ 11).", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Training seed.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = all cores). Results never depend on it.", DefaultValueFactory = _ => 0 };
        var n = FleetSizeOption.Create("Fleet size n instead of the game's.");
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder to write (policies.json with T, game.json, record.json, config.json, rounds.csv).", Required = true };
        var command = new Command("train-typed", "Typed training for a fleet of robot types ((type, state) counts, one policy per type) into a run folder; `export` writes a format-5 policy file from it (docs/heterogeneity.md §8).")
        {
            game, h, k, seed, threads, n, output,
        };
        command.SetAction(parse =>
        {
            try
            {
                TypedGame g = TypedGameOption.Resolve(parse.GetValue(game)!, parse.GetValue(h), parse.GetValue(n));
                int kValue = parse.GetValue(k);
                if (kValue < 1 || kValue > g.Template.AgentCount)
                {
                    return PolicyCommandSupport.Fail("train-typed", string.Create(CultureInfo.InvariantCulture, $"--k {kValue}: need 1 ≤ k ≤ n = {g.Template.AgentCount}"), PolicyCommandSupport.Usage);
                }

                if (g.TypeCount < 2)
                {
                    return PolicyCommandSupport.Fail("train-typed", $"game '{g.Name}' has one robot type: train it with `edgemarl train`", PolicyCommandSupport.Usage);
                }

                if (TypedTraining.TypedRefusal(g, kValue) is string why)
                {
                    return PolicyCommandSupport.Fail("train-typed", why, PolicyCommandSupport.Usage);
                }

                TrainingConfig config = TypedTraining.Preset(kValue, parse.GetValue(seed)) with { Threads = parse.GetValue(threads) };
                string folder = parse.GetValue(output)!.FullName;
                Console.Error.WriteLine($"training {g.Name} typed (T = {g.TypeCount}, {g.TypeCount * g.Template.LocalStates} classes) k={kValue} → {folder}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                TrainingResult result = TypedTraining.Train(g, TypingMethod.Typed, config);
                TrainedPolicy trained = TypedRunFolder.Write(folder, g, config, result);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"trained {g.Name} typed at k = {kValue} in {clock.Elapsed.TotalSeconds:F1} s: T = {trained.RobotTypes}, {TypedTraining.CountVectors(g.TypeCount * g.Template.LocalStates, kValue):N0} count vectors per s_g; wrote {folder} (export it with `edgemarl export --run {folder}`)"));
                return PolicyCommandSupport.Ok;
            }
            catch (Exception e) when (e is GameSourceException or GameValidationException or ArgumentException or InvalidOperationException)
            {
                return PolicyCommandSupport.Fail("train-typed", e.Message, PolicyCommandSupport.Usage);
            }
        });
        return command;
    }
}
