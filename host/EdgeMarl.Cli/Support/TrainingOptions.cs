using System.CommandLine;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Cli.Support;

/// <summary>The options <c>train</c> and <c>quickstart</c> share, and how they become a <see cref="TrainingConfig"/>.</summary>
internal sealed class TrainingOptions
{
    public Option<string> Game { get; } = new("--game") { Description = "Built-in game name (see 'games list') or a JSON game file.", DefaultValueFactory = _ => "zones" };

    public Option<int> K { get; } = new("--k") { Description = "Robots the gateway samples per tick (1 <= k <= n).", DefaultValueFactory = _ => 5 };

    public Option<string> Preset { get; } = new("--preset")
    {
        Description = "Training settings: 'default' (EdgeMarl's: converged value iteration, exact induced transition, stationary mean field, "
            + "fixed-point stop) or 'reference' (the public reference implementation's, docs/reference-benchmark.md).",
        DefaultValueFactory = _ => "default",
    };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for every random choice of training.", DefaultValueFactory = _ => 0 };

    public Option<int?> KMin { get; } = new("--kmin") { Description = "Smallest k' with a global table in the exported policy (default 1; tables for k' < k let the gateway act when fewer robots answer)." };

    public Option<string?> RobotPolicy { get; } = new("--robot-policy") { Description = "Override the preset's robot policy output: 'softmax' (reference temperature rule) or 'greedy'." };

    public Option<int?> N { get; } = FleetSizeOption.Create();

    public Option<string?> Lift { get; } = new("--lift") { Description = CliChoices.LiftDescription };

    public Option<int> Threads { get; } = new("--threads") { Description = "Worker threads (0 = all cores). Results never depend on it.", DefaultValueFactory = _ => 0 };

    public IEnumerable<Option> All => [Game, K, N, Preset, Seed, KMin, RobotPolicy, Lift, Threads];

    /// <summary>Builds the configuration the options describe.</summary>
    /// <exception cref="ArgumentException">A value is invalid (names it).</exception>
    public TrainingConfig ToConfig(ParseResult parse)
    {
        int k = parse.GetValue(K);
        string preset = parse.GetValue(Preset)!;
        TrainingConfig config = CliChoices.Preset(preset)(k);
        config = config with { Seed = parse.GetValue(Seed), KMin = parse.GetValue(KMin) ?? 1, Threads = parse.GetValue(Threads) };
        config = parse.GetValue(RobotPolicy) switch
        {
            null => config,
            "softmax" => config with { LocalOutput = LocalPolicyOutput.Softmax },
            "greedy" => config with { LocalOutput = LocalPolicyOutput.Greedy },
            var other => throw new ArgumentException($"--robot-policy: '{other}' is not one of softmax, greedy"),
        };
        if (parse.GetValue(Lift) is { } lift)
        {
            config = config with { Lift = CliChoices.Lift(lift) };
        }

        config.Validate();
        return config;
    }
}
