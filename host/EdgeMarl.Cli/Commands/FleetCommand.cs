using System.CommandLine;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Fleet;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Random;
using Spectre.Console;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl fleet --policy FILE [--game zones] [--n N] [--transport memory|udp] [faults…] [--check-equivalence]</c>: runs the
/// real firmware nodes against the game's dynamics (docs/fleet.md). Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input,
/// 5 equivalence check failed.
/// </summary>
internal static class FleetCommand
{
    private const int NotEquivalent = 5;

    public static Command Create()
    {
        var policy = new Option<FileInfo>("--policy") { Description = "Policy file (.empol) the nodes load.", Required = true };
        var heuristic = new Option<bool>("--heuristic") { Description = "First write a hand-made heuristic policy for the game to --policy (no trainer needed)." };
        var game = new Option<string>("--game") { Description = "Built-in game name or game JSON path.", DefaultValueFactory = _ => ZonesGame.Name };
        var n = FleetSizeOption.Create("Robots n in the simulated fleet (default: the game's; the gateway warns when it differs a lot from the policy file's n).");
        var k = new Option<int?>("--k") { Description = "Robots polled per tick (default: the policy's K)." };
        var episodes = new Option<int>("--episodes") { Description = "Episodes.", DefaultValueFactory = _ => 10 };
        var ticks = new Option<int>("--ticks") { Description = "Ticks per episode (horizon).", DefaultValueFactory = _ => 50 };
        var transport = new Option<string>("--transport") { Description = "memory (deterministic) or udp (real sockets on 127.0.0.1).", DefaultValueFactory = _ => "memory" };
        var loss = new Option<double>("--loss") { Description = "Probability a frame copy is lost." };
        var duplicate = new Option<double>("--duplicate") { Description = "Probability a frame copy is delivered twice." };
        var reorder = new Option<double>("--reorder") { Description = "Probability a frame copy is overtaken (memory only)." };
        var corrupt = new Option<double>("--corrupt") { Description = "Probability one bit of a frame copy flips." };
        var delay = new Option<int>("--delay-ms") { Description = "Largest random delivery delay in ms (memory only)." };
        var forge = new Option<double>("--forge") { Description = "Probability per tick that an attacker sends forged frames (turns on frame tags)." };
        var crashRate = new Option<double>("--crash-rate") { Description = "Probability per tick that a robot crashes (reboots 1-5 ticks later)." };
        var restartRate = new Option<double>("--gateway-restart-rate") { Description = "Probability per tick that the gateway restarts." };
        var seed = new Option<ulong>("--seed") { Description = "Base seed.", DefaultValueFactory = _ => 1 };
        var key = new Option<FileInfo?>("--key") { Description = "Fleet key (hex text file): HMAC-SHA256 frame tags." };
        var auth = new Option<bool>("--auth") { Description = "Kept for old scripts: frame tags are on by default (a per-run key derived from the seed when no --key)." };
        var insecure = new Option<bool>("--insecure-untagged") { Description = "INSECURE: run without frame tags (anyone in range can forge frames); for measuring the cost of tags only." };
        var replyWindow = new Option<int>("--reply-window-ms") { Description = "Gateway reply window in ms.", DefaultValueFactory = _ => 50 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory for fleet.csv and fleet-heatmap.png.", DefaultValueFactory = _ => new DirectoryInfo("fleet-out") };
        var lossCurve = new Option<bool>("--loss-curve") { Description = "Run once per loss p in {0, 0.1, 0.2, 0.3, 0.5} (other faults as given); print the return curve, write loss-curve.csv and loss-curve.png." };
        var h = new Option<double?>("--h") { Description = "Typed policies on zones-mixed or tiny-mixed: the heterogeneity h the policy was trained for." };
        var robotTypes = new Option<string>("--robot-types") { Description = "Typed policies: each robot's provisioned type, 'alternate' (robot i has type i mod T) or a comma-separated list of n types.", DefaultValueFactory = _ => "alternate" };
        var check = new Option<bool>("--check-equivalence") { Description = "Record the trace and compare it bit for bit with the evaluator (device-exact mode); no faults allowed." };
        var command = new Command("fleet", "Run the firmware gateway and n robots against the game's dynamics, in memory or over UDP. Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input, 5 not equivalent.")
        {
            policy, heuristic, game, n, k, episodes, ticks, transport, loss, duplicate, reorder, corrupt, delay, forge, crashRate, restartRate, seed, key, auth, insecure, replyWindow, output, check, lossCurve, h, robotTypes,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("fleet", () =>
        {
            string transportName = parse.GetValue(transport)!;
            if (transportName is not ("memory" or "udp"))
            {
                return PolicyCommandSupport.Fail("fleet", $"--transport {transportName}: expected memory or udp", PolicyCommandSupport.Usage);
            }

            double[] probabilities = [parse.GetValue(loss), parse.GetValue(duplicate), parse.GetValue(reorder), parse.GetValue(corrupt), parse.GetValue(forge), parse.GetValue(crashRate), parse.GetValue(restartRate)];
            if (probabilities.Any(p => !(p >= 0 && p <= 1)))
            {
                return PolicyCommandSupport.Fail("fleet", "--loss, --duplicate, --reorder, --corrupt, --forge, --crash-rate and --gateway-restart-rate must be in [0, 1]", PolicyCommandSupport.Usage);
            }

            if (transportName == "udp" && (parse.GetValue(reorder) > 0 || parse.GetValue(delay) > 0))
            {
                return PolicyCommandSupport.Fail("fleet", "--reorder and --delay-ms need --transport memory (loopback UDP neither delays nor reorders)", PolicyCommandSupport.Usage);
            }

            FileInfo policyFile = parse.GetValue(policy)!;
            PolicyTable? typedPolicy = !parse.GetValue(heuristic) && policyFile.Exists ? PolicyFileMessages.Open(policyFile.FullName, null) : null;
            TypedGame? typedGame = null;
            Game g;
            try
            {
                if (typedPolicy is { RobotTypes: > 1 })
                {
                    // A typed policy (format 5) runs on its typed game: the robots are provisioned with types.
                    typedGame = TypedGameOption.Resolve(parse.GetValue(game)!, parse.GetValue(h), parse.GetValue(n));
                    g = typedGame.Template;
                }
                else
                {
                    g = FleetSizeOption.Apply(GameResolver.Resolve(parse.GetValue(game)!), parse.GetValue(n));
                }
            }
            catch (Exception e) when (e is GameSourceException or GameValidationException or ArgumentException)
            {
                return PolicyCommandSupport.Fail("fleet", e.Message, PolicyCommandSupport.InvalidData);
            }

            if (parse.GetValue(heuristic))
            {
                int kHeuristic = parse.GetValue(k) ?? 10;
                byte[] bytes = PolicyFileWriter.Write(
                    HeuristicPolicy.Create(g, 1, kHeuristic),
                    new PolicyFileMetadata(g.Name, GameHash.Compute(g), new byte[32], PolicyFileMetadata.CurrentProducerVersion, parse.GetValue(n) ?? g.AgentCount));
                File.WriteAllBytes(policyFile.FullName, bytes);
                Console.WriteLine($"wrote heuristic policy {policyFile.FullName} (k' = 1 … {kHeuristic})");
            }

            ulong baseSeed = parse.GetValue(seed);
            byte[]? fleetKey = parse.GetValue(key) is FileInfo keyFile ? PolicyCommandSupport.ReadKey(keyFile.FullName) : null;
            bool untagged = parse.GetValue(insecure);
            if (untagged && (fleetKey is not null || parse.GetValue(auth) || parse.GetValue(forge) > 0))
            {
                return PolicyCommandSupport.Fail("fleet", "--insecure-untagged cannot go with --key, --auth or --forge", PolicyCommandSupport.Usage);
            }

            if (untagged)
            {
                Console.Error.WriteLine("WARNING: INSECURE SIMULATION: frames are untagged (--insecure-untagged); anyone in radio range could forge polls, reports and broadcasts. Never run a real fleet like this.");
            }
            else if (fleetKey is null)
            {
                // Tags on by default (issue 11, finding 4): a per-run key from the seed, so runs stay reproducible.
                var rng = new Pcg32(baseSeed, 0x4B4559);
                fleetKey = Enumerable.Range(0, 32).Select(_ => rng.NextByte()).ToArray();
                Console.WriteLine("frame tags on: HMAC-SHA256 with a per-run key derived from --seed (give --key FILE to use the fleet key)");
            }

            var options = new FleetOptions
            {
                Robots = parse.GetValue(n) ?? g.AgentCount,
                K = parse.GetValue(k),
                Episodes = parse.GetValue(episodes),
                Ticks = parse.GetValue(ticks),
                Seed = baseSeed,
                Transport = transportName == "udp" ? FleetTransportKind.Udp : FleetTransportKind.Memory,
                Loss = probabilities[0],
                Duplicate = probabilities[1],
                Reorder = probabilities[2],
                Corrupt = probabilities[3],
                Forge = probabilities[4],
                CrashRate = probabilities[5],
                GatewayRestartRate = probabilities[6],
                MaxDelayMs = parse.GetValue(delay),
                Key = fleetKey,
                ReplyWindowMs = parse.GetValue(replyWindow),
                RecordTrace = parse.GetValue(check),
            };
            if (options.RecordTrace && probabilities.Any(p => p > 0))
            {
                return PolicyCommandSupport.Fail("fleet", "--check-equivalence compares a fault-free run: drop the loss/fault options", PolicyCommandSupport.Usage);
            }

            if (options.Transport == FleetTransportKind.Udp && UdpSocketBudget.Check(options.Robots, UdpSocketBudget.SoftLimit()) is string tooMany)
            {
                return PolicyCommandSupport.Fail("fleet", tooMany, PolicyCommandSupport.Io);
            }

            PolicyTable table = PolicyFileMessages.Open(policyFile.FullName, null);
            if (typedGame is not null)
            {
                return RunTyped(typedGame, table, options, parse.GetValue(robotTypes)!, parse.GetValue(lossCurve), parse.GetValue(output)!);
            }

            if (parse.GetValue(lossCurve))
            {
                return options.RecordTrace
                    ? PolicyCommandSupport.Fail("fleet", "--loss-curve and --check-equivalence do not go together", PolicyCommandSupport.Usage)
                    : RunLossCurve(g, table, options, parse.GetValue(output)!);
            }

            return Run(g, table, options, parse.GetValue(output)!);
        }));
        return command;
    }

    /// <summary>A typed fleet (docs/heterogeneity.md §8): robots provisioned with types, the gateway counting (type, state) classes.</summary>
    private static int RunTyped(TypedGame game, PolicyTable table, FleetOptions options, string typesText, bool lossCurve, DirectoryInfo output)
    {
        if (lossCurve)
        {
            return PolicyCommandSupport.Fail("fleet", "--loss-curve is for untyped policies", PolicyCommandSupport.Usage);
        }

        if (table.RobotTypes != game.TypeCount || table.LocalStates != game.Template.LocalStates)
        {
            return PolicyCommandSupport.Fail("fleet", string.Create(CultureInfo.InvariantCulture, $"the policy is for T = {table.RobotTypes} types of |S_l| = {table.LocalStates}; game '{game.Name}' has T = {game.TypeCount}, |S_l| = {game.Template.LocalStates}"), PolicyCommandSupport.InvalidData);
        }

        byte[] hash = new byte[EdgeMarl.Shared.Policy.PolicyFileLayout.HashLength];
        table.CopyBytes(EdgeMarl.Shared.Policy.PolicyFileLayout.GameHashOffset, hash, 0, hash.Length);
        if (!hash.AsSpan().SequenceEqual(TypedGameHash.Compute(new TypedGame(game.Template.WithAgentCount(table.AgentCount), game.Types))))
        {
            // The typed game hash covers the shares and every type's tables (docs/game-spec.md), at the n the policy was trained for
            // (a different live n is the fleet-size warning's business): an image pinning the hash refuses such a policy too.
            return PolicyCommandSupport.Fail("fleet", $"byte 36 (header game hash): the policy was trained for another fleet than '{game.Name}' (its typed game hash differs; check --h or the game file)", PolicyCommandSupport.InvalidData);
        }

        int[] types;
        if (typesText == "alternate")
        {
            types = [.. Enumerable.Range(0, options.Robots).Select(i => i % game.TypeCount)];
        }
        else
        {
            try
            {
                types = [.. typesText.Split(',').Select(t => int.Parse(t.Trim(), NumberStyles.None, CultureInfo.InvariantCulture))];
            }
            catch (FormatException)
            {
                return PolicyCommandSupport.Fail("fleet", $"--robot-types: '{typesText}' is not 'alternate' or a comma-separated list of types", PolicyCommandSupport.Usage);
            }

            if (types.Length != options.Robots || types.Any(t => t >= game.TypeCount))
            {
                return PolicyCommandSupport.Fail("fleet", string.Create(CultureInfo.InvariantCulture, $"--robot-types: need n = {options.Robots} types, each in [0, T = {game.TypeCount})"), PolicyCommandSupport.Usage);
            }
        }

        ProgressTask? task = null;
        var runner = new FleetRunner(game, table, types, options, new FleetHooks { AfterTick = (_, _, done, _) => task?.Value = done });
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"typed fleet: T = {game.TypeCount} ({string.Join(", ", Enumerable.Range(0, game.TypeCount).Select(t => $"{types.Count(x => x == t)} {game.Types[t].Name}"))}), the gateway counts {game.TypeCount * game.Template.LocalStates} (type, state) classes"));
        return Report(game.Template, table, options, output, runner, t => task = t, result => FleetEquivalence.CompareTyped(runner.TypedTables!, runner.RobotTypes!, options.Seed, result), "the typed fleet simulator");
    }

    private static int Run(Game game, PolicyTable table, FleetOptions options, DirectoryInfo output)
    {
        ProgressTask? task = null;
        var runner = new FleetRunner(game, table, options, new FleetHooks { AfterTick = (_, _, done, _) => task?.Value = done });
        return Report(game, table, options, output, runner, t => task = t, result => FleetEquivalence.Compare(runner.Tables, options.Seed, result), "the evaluator");
    }

    private static int Report(Game game, PolicyTable table, FleetOptions options, DirectoryInfo output, FleetRunner runner, Action<ProgressTask> setTask, Func<FleetResult, EquivalenceReport> compare, string reference)
    {
        string header = string.Create(
            CultureInfo.InvariantCulture,
            $"fleet: {game.Name}, n = {options.Robots}, k = {runner.K}, {options.Episodes} {(options.Episodes == 1 ? "episode" : "episodes")} x {options.Ticks} ticks, transport {options.Transport.ToString().ToLowerInvariant()}, seed {options.Seed}, frame tags {(options.Key is null ? "off" : "on")}");
        Console.WriteLine(header);
        if (EdgeMarl.Firmware.Nodes.FleetSizeCheck.Differs(table.AgentCount, options.Robots))
        {
            Console.Error.WriteLine("warning: " + EdgeMarl.Firmware.Nodes.FleetSizeCheck.Warning(table.AgentCount, options.Robots));
        }

        FleetResult? run = null;
        AnsiConsole.Progress().Start(context =>
        {
            ProgressTask task = context.AddTask("fleet ticks", maxValue: (double)options.Episodes * options.Ticks);
            setTask(task);
            run = runner.Run();
            task.Value = task.MaxValue;
        });
        FleetResult result = run!;
        FleetCounters c = result.Counters;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(result.EpisodeReturns.Length > 1
            ? string.Create(inv, $"discounted return: {result.MeanReturn:F3} ± {result.ConfidenceHalfWidth95:F3} (95% CI, {result.EpisodeReturns.Length} episodes)")
            : string.Create(inv, $"discounted return: {result.MeanReturn:F3} (1 episode: no interval; pass --episodes 2 or more for a 95% CI)"));
        Console.WriteLine(string.Create(inv, $"poll success: {100 * c.PollSuccessRate:F2}% ({c.ReportsAccepted} of {c.PollsSent} polls answered in time)"));
        Console.WriteLine(string.Create(inv, $"speed: {result.TicksPerSecond:F1} ticks/s ({c.Ticks} ticks, wall {result.WallSeconds:F2} s, CPU {result.CpuSeconds:F2} s = {(result.CpuSeconds > 0 ? c.Ticks / result.CpuSeconds : 0):F0} ticks per CPU-second)"));
        Console.WriteLine(string.Create(inv, $"frames: lost {c.Lost}, late {c.Late}, duplicate {c.Duplicate}, rejected {c.Rejected}, foreign {c.Foreign}, replayed {c.Replayed}"));
        Console.WriteLine(string.Create(inv, $"nodes: fallback ticks {c.FallbackTicks}, policy actions {c.PolicyActions}, safe actions {c.SafeActions}, crashes {c.Crashes}, gateway restarts {c.GatewayRestarts}, forged sent {c.ForgedSent}"));
        Console.WriteLine(string.Create(inv, $"join: bring-up {(c.BringUps == 0 ? 0 : (double)c.BringUpRounds / c.BringUps):F1} ticks on average (longest {c.MaxBringUpRounds}), {c.JoinsSent} joins sent, {c.JoinsAccepted} accepted, {c.JoinsDeferred} deferred (budget spent), {c.NotJoined} frames ignored before joining{(c.NotJoinedAfterBringUp > 0 ? $", {c.NotJoinedAfterBringUp} robots not joined after bring-up" : string.Empty)}"));
        if (table.RobotTypes > 1)
        {
            Console.WriteLine(string.Create(inv, $"types: reports with a class outside [0, T·|S_l|) {c.BadClassReports}, robot type faults {c.TypeFaults}"));
        }

        Console.WriteLine(string.Create(inv, $"network: lost {c.NetworkLost}, duplicated {c.NetworkDuplicated}, corrupted {c.NetworkCorrupted}, reordered {c.NetworkReordered}, overflowed/socket errors {c.NetworkOverflowed}"));
        output.Create();
        string csv = Path.Combine(output.FullName, "fleet.csv");
        string png = Path.Combine(output.FullName, "fleet-heatmap.png");
        FleetReportWriter.WriteCsv(csv, result, game.LocalStates);
        FleetReportWriter.WriteHeatmap(png, result, game.LocalStates, options.Ticks, $"{game.Name}: robots per local state (mean over {options.Episodes} episodes, n = {options.Robots})", game.Labels?.LocalStates);
        Console.WriteLine($"wrote {csv}");
        Console.WriteLine($"wrote {png}");
        if (!options.RecordTrace)
        {
            return PolicyCommandSupport.Ok;
        }

        EquivalenceReport report = compare(result);
        if (report.Equal)
        {
            Console.WriteLine(string.Create(inv, $"equivalence: OK, {report.TicksCompared} ticks equal bit for bit to {reference} (device-exact); mean return {report.FleetMean:R} = {report.EvaluatorMean:R}"));
            return PolicyCommandSupport.Ok;
        }

        Console.WriteLine($"equivalence: FAILED after {report.TicksCompared} equal ticks: {report.FirstDifference}");
        return NotEquivalent;
    }

    private static int RunLossCurve(Game game, PolicyTable table, FleetOptions options, DirectoryInfo output)
    {
        double[] losses = [0.0, 0.1, 0.2, 0.3, 0.5];
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"fleet loss curve: {game.Name}, n = {options.Robots}, {options.Episodes} {(options.Episodes == 1 ? "episode" : "episodes")} x {options.Ticks} ticks, transport {options.Transport.ToString().ToLowerInvariant()}, seed {options.Seed}"));
        Console.WriteLine("loss  return        ±95%CI   poll success  fallback ticks  safe actions");
        var results = new FleetResult[losses.Length];
        for (int i = 0; i < losses.Length; i++)
        {
            results[i] = new FleetRunner(game, table, options with { Loss = losses[i] }).Run();
            FleetCounters c = results[i].Counters;
            Console.WriteLine(string.Create(inv, $"{losses[i],4:F2}  {results[i].MeanReturn,12:F3}  {results[i].ConfidenceHalfWidth95,7:F3}   {100 * c.PollSuccessRate,10:F2}%  {c.FallbackTicks,14}  {c.SafeActions,12}"));
        }

        output.Create();
        string csv = Path.Combine(output.FullName, "loss-curve.csv");
        string png = Path.Combine(output.FullName, "loss-curve.png");
        File.WriteAllLines(csv, ["loss,mean_return,ci95_half_width,poll_success,fallback_ticks,safe_actions", .. losses.Select((p, i) =>
            string.Create(inv, $"{p:R},{results[i].MeanReturn:R},{results[i].ConfidenceHalfWidth95:R},{results[i].Counters.PollSuccessRate:R},{results[i].Counters.FallbackTicks},{results[i].Counters.SafeActions}"))]);
        ScottPlot.Fonts.Default = "DejaVu Sans";
        var plot = new ScottPlot.Plot();
        double[] means = results.Select(r => r.MeanReturn).ToArray();
        plot.Add.Scatter(losses, means).LegendText = "mean discounted return";
        plot.Add.ErrorBar(losses, means, results.Select(r => r.ConfidenceHalfWidth95).ToArray());
        plot.Title(string.Create(inv, $"{game.Name}: return vs frame loss (n = {options.Robots}, {options.Episodes} episodes, 95% CI)"));
        plot.XLabel("loss probability per frame copy");
        plot.YLabel("discounted return");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(png, 800, 450);
        Console.WriteLine($"wrote {csv}");
        Console.WriteLine($"wrote {png}");
        return PolicyCommandSupport.Ok;
    }
}
