using System.CommandLine;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl quickstart</c>: the README's first command. Trains the built-in zones game at a small k, evaluates the
/// trained pair on the real 1000-robot system, exports the policy file robots load, and checks it reads back.
/// </summary>
internal static class QuickstartCommand
{
    public static Command Create()
    {
        var options = new TrainingOptions();
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder to write.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "quickstart")) };
        var command = new Command("quickstart", "Train, evaluate and export the built-in default (zones, k = 5) in under a minute.");
        foreach (Option option in options.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(output);
        command.SetAction(parse => PolicyCommandSupport.Guard("quickstart", () => Run(options, parse, parse.GetValue(output)!.FullName)));
        return command;
    }

    private static int Run(TrainingOptions options, ParseResult parse, string folder)
    {
        TrainingConfig config = options.ToConfig(parse);
        Game game = FleetSizeOption.Apply(GameResolver.Resolve(options.GameName(parse)), parse.GetValue(options.N));
        GameValidator.EnsureValidK(game, config.K);

        // 1. Train (ALTERNATING-MARL) and write the run folder (docs/run-folder.md).
        (TrainingResult result, TrainedPolicy trained) = TrainCommand.Run(game, config, folder);

        // 2. Evaluate on the real n-robot system exactly as docs/reference-benchmark.md does (horizon 50, 50 rollouts × 15 seeds),
        //    with the robots moved by the current s_g (docs/design.md) and by s_g' (what the reference's numbers used).
        var evaluator = new RobotLevelEvaluator();
        EvaluationSettings design = EvaluationSettings.Reference(config.K, config.Seed);
        EvaluationResult onDesign = EvaluationProgress.Run(
            "evaluate 1/2 (robots move with s_g)", design, () => evaluator.Evaluate(game, result.Policies, design));
        EvaluationSettings asReference = design with { Timing = LocalTransitionTiming.NextGlobalState };
        EvaluationResult onReference = EvaluationProgress.Run(
            "evaluate 2/2 (robots move with s_g', as the reference)", asReference, () => evaluator.Evaluate(game, result.Policies, asReference));

        // 3. Export the policy file and read it back with the reader the robots run.
        Console.Error.WriteLine("export: writing and reading back policy.empol");
        byte[] bytes = PolicyExport.ToVerifiedBytes(trained, null);
        string policyPath = Path.Combine(folder, "policy.empol");
        File.WriteAllBytes(policyPath, bytes);

        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"{game.Name}, n = {game.AgentCount}, k = {config.K}, preset {options.PresetName(parse)}, seed {config.Seed}:"));
        Console.WriteLine(string.Create(c, $"  training     {result.Record.Rounds.Count} rounds ({result.Record.StopReason}), {result.Record.Timings?.TotalSeconds ?? 0:F2} s"));
        Console.WriteLine(string.Create(c, $"  return       {onDesign.Mean:F2} ± {onDesign.StdOverSeeds:F2}  (robots move with s_g, docs/design.md)"));
        int row = ReferenceBenchmarks.IndexOf(config.K);
        string reference = row >= 0 && game.Name == ZonesGame.Name
            ? string.Create(c, $"; reference at k = {config.K}: {ReferenceBenchmarks.Mean[row]:F2} ± {ReferenceBenchmarks.Std[row]:F2}")
            : string.Empty;
        Console.WriteLine(string.Create(c, $"  return       {onReference.Mean:F2} ± {onReference.StdOverSeeds:F2}  (robots move with s_g', as the reference's evaluator{reference})"));
        Console.WriteLine(string.Create(c, $"  policy file  {policyPath}: {bytes.Length:N0} bytes, tables k' = {StoredTables(trained.Pair)}, CRC ok"));
        Console.WriteLine($"  next         edgemarl inspect {policyPath}; edgemarl train --help; docs/reproduction.md");
        return PolicyCommandSupport.Ok;
    }

    /// <summary>The stored <c>k'</c> of a pair, as the file holds them: "1..5" when every one is stored, else a list ("1, 2, 5").</summary>
    private static string StoredTables(PolicyPair pair)
    {
        var stored = new List<int>();
        for (int i = 0; i < pair.GlobalActions.Length; i++)
        {
            if (pair.GlobalActions[i] is not null)
            {
                stored.Add(pair.KMin + i);
            }
        }

        return stored.Count == pair.K - pair.KMin + 1
            ? string.Create(CultureInfo.InvariantCulture, $"{pair.KMin}..{pair.K}")
            : string.Join(", ", stored);
    }
}
