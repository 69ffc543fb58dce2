using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Runs;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl gap --run DIR [--game NAME|FILE] [--exact|--estimate] [--seed S] [--json]</c>: the Nash gap of a trained
/// pair (docs/nash-gap.md): both deviations and ε, exact when the game is small enough, else estimated with 99.9% intervals.
/// Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid policies.json or game, 5 --exact refused (game too large).
/// </summary>
internal static class GapCommand
{
    private const int TooLarge = 5;
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "Training run folder holding policies.json.", Required = true };
        var game = new Option<string?>("--game") { Description = "Built-in game name or game JSON file (default: the run folder's game.json, else the built-in game named in policies.json)." };
        var exact = new Option<bool>("--exact") { Description = "Exact gap (refused above the solver's state limit)." };
        var estimate = new Option<bool>("--estimate") { Description = "Estimated gap by paired rollouts, even when the exact one is possible." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the estimate's rollouts.", DefaultValueFactory = _ => 1 };
        var kPrime = new Option<int>("--kprime") { Description = "Largest k' of the gateway deviation (estimate).", DefaultValueFactory = _ => 50 };
        var horizon = new Option<int>("--horizon") { Description = "Rollout horizon H (estimate).", DefaultValueFactory = _ => 150 };
        var rollouts = new Option<int>("--rollouts") { Description = "Rollouts per seed (estimate).", DefaultValueFactory = _ => 20 };
        var seeds = new Option<int>("--seeds") { Description = "Paired seeds S ≥ 11 (estimate).", DefaultValueFactory = _ => 16 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var n = FleetSizeOption.Create("Fleet size n of the deviations (default: the n the policies were trained for).");
        var command = new Command("gap", "Nash gap of a trained pair: gateway and robot deviations and ε (exact for small games, else estimated).")
        {
            run, game, n, exact, estimate, seed, kPrime, horizon, rollouts, seeds, json,
        };
        command.SetAction(parse => Guard(() =>
        {
            if (parse.GetValue(exact) && parse.GetValue(estimate))
            {
                throw new ArgumentException("--exact and --estimate exclude each other");
            }

            return Run(
                parse.GetValue(run)!, parse.GetValue(game), parse.GetValue(n), parse.GetValue(exact), parse.GetValue(estimate), parse.GetValue(json),
                new NashGapEstimationSettings([], parse.GetValue(horizon), parse.GetValue(rollouts), parse.GetValue(seeds), parse.GetValue(seed)),
                parse.GetValue(kPrime));
        }));
        return command;
    }

    private static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (NashGapTooLargeException e)
        {
            return PolicyCommandSupport.Fail("gap", e.Message, TooLarge);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GameSourceException)
        {
            return PolicyCommandSupport.Fail("gap", e.Message, PolicyCommandSupport.Io);
        }
        catch (Exception e) when (e is InvalidDataException or GameValidationException)
        {
            return PolicyCommandSupport.Fail("gap", e.Message, PolicyCommandSupport.InvalidData);
        }
        catch (ArgumentException e)
        {
            return PolicyCommandSupport.Fail("gap", e.Message, PolicyCommandSupport.Usage);
        }
    }

    private static int Run(DirectoryInfo runDirectory, string? gameName, int? n, bool exact, bool estimate, bool json, NashGapEstimationSettings settings, int kPrime)
    {
        string path = Path.Combine(runDirectory.FullName, PolicyPairJson.FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no policies.json in the run folder");
        }

        TrainedPolicy trained = PolicyPairJson.Load(path);
        Game game = TrainingRunFolder.ResolveGame(trained, gameName, runDirectory.FullName);

        game = FleetSizeOption.Apply(game, n);
        if (settings.Seeds < PairedGain.MinSeeds || settings.RolloutsPerSeed < 1 || settings.Horizon < 1)
        {
            throw new ArgumentException($"--seeds must be >= {PairedGain.MinSeeds}, --rollouts and --horizon >= 1 (got {settings.Seeds}, {settings.RolloutsPerSeed}, {settings.Horizon})");
        }

        PolicyPair pair = trained.Pair;
        int k = pair.K;
        string? refusal = ExactNashGap.Refusal(game);
        bool useExact = exact || (!estimate && refusal == null);
        if (useExact)
        {
            NashGapReport r = ExactNashGap.Compute(game, pair, k);
            var exactReport = new GapOutput("exact", game.Name, game.AgentCount, k, r.JointValue, null, r.GatewayGain, null, r.RobotGain, null, r.RobotGainPerRobot, r.Epsilon, null, null, r);
            return Print(exactReport, json);
        }

        NashGapEstimationSettings at = NashGapEstimationSettings.Sweep(k, game.AgentCount, kPrime, Pcg32.DeriveSeed(settings.Seed, 8)) with
        {
            Horizon = settings.Horizon,
            RolloutsPerSeed = settings.RolloutsPerSeed,
            Seeds = settings.Seeds,
        };
        NashGapEstimate e = new EstimatedNashGap(new TrainerBestResponses(Seed: settings.Seed)).Estimate(game, pair, k, at);
        var deviations = e.GatewaySampleSizes.Select((kp, i) => new GatewayDeviationOutput($"G-step best response at k'={kp}, {kp}-sample", e.GatewayGains[i])).ToList();
        if (e.FullObservationGain is { } full)
        {
            deviations.Add(new GatewayDeviationOutput($"G-step best response at k'={e.GatewaySampleSizes[^1]}, all {game.AgentCount} robots observed", full));
        }

        GainEstimate best = e.BestGatewayGain!;
        var report = new GapOutput(
            "estimate", game.Name, game.AgentCount, k, e.JointValue, e.TruncationBound, best.Mean, best.HalfWidth999, e.RobotGain.Mean, e.RobotGain.HalfWidth999,
            e.RobotGain.Mean * game.AgentCount, e.Epsilon, e.EpsilonHalfWidth, deviations, null)
        {
            Horizon = at.Horizon,
            RolloutsPerSeed = at.RolloutsPerSeed,
            Seeds = at.Seeds,
        };
        return Print(report, json);
    }

    private static int Print(GapOutput r, bool json)
    {
        if (json)
        {
            CliJson.Print(r);
            return PolicyCommandSupport.Ok;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        string Pm(double? hw) => hw is { } h ? string.Create(c, $" ± {h:F4} (99.9%)") : string.Empty;
        Console.WriteLine(string.Create(c, $"game            {r.Game}, n={r.AgentCount}, k={r.K}; method {r.Method}"));
        Console.WriteLine(r.Method == "exact"
            ? string.Create(c, $"J(π_g, π_l)     {r.JointValue:F6} (infinite horizon)")
            : string.Create(c, $"J_H(π_g, π_l)   {r.JointValue:F4} (H={r.Horizon}, {r.RolloutsPerSeed} rollouts × {r.Seeds} paired seeds; |J − J_H| ≤ {r.TruncationBound:G3})"));
        foreach (GatewayDeviationOutput d in r.GatewayDeviations ?? [])
        {
            Console.WriteLine(string.Create(c, $"  gateway dev.  {d.Gain.Mean,9:F4}{Pm(d.Gain.HalfWidth999)}  {d.Deviation}"));
        }

        Console.WriteLine(string.Create(c, $"gateway gain    {r.GatewayGain:F6}{Pm(r.GatewayGainHalfWidth)}{(r.Method == "exact" ? "  (best response seeing all n robots' counts)" : "  (best found deviation: a lower bound)")}"));
        Console.WriteLine(string.Create(c, $"robot gain      {r.RobotGain:G6}{Pm(r.RobotGainHalfWidth)}  (= {r.RobotGainPerRobot:G4} in units of one robot's reward)"));
        Console.WriteLine(string.Create(c, $"ε               {r.Epsilon:F6}{Pm(r.EpsilonHalfWidth)}"));
        return PolicyCommandSupport.Ok;
    }

    /// <summary>One gateway deviation of the estimate.</summary>
    private sealed record GatewayDeviationOutput(string Deviation, GainEstimate Gain);

    /// <summary>The report printed by <c>gap</c>; the exact solver's full report is attached for <c>--exact</c>.</summary>
    private sealed record GapOutput(
        string Method, string Game, int AgentCount, int K, double JointValue, double? TruncationBound, double GatewayGain, double? GatewayGainHalfWidth,
        double RobotGain, double? RobotGainHalfWidth, double RobotGainPerRobot, double Epsilon, double? EpsilonHalfWidth,
        IReadOnlyList<GatewayDeviationOutput>? GatewayDeviations, NashGapReport? Exact)
    {
        public int? Horizon { get; init; }

        public int? RolloutsPerSeed { get; init; }

        public int? Seeds { get; init; }
    }
}
