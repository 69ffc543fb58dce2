using System.CommandLine;
using System.Reflection;
using System.Text;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// The options <c>train</c> and <c>quickstart</c> share, and how they become a <see cref="TrainingConfig"/>: a base (a
/// <c>--preset</c>, or a run folder's <c>config.json</c> with <c>--config</c>), then the explicit <c>--k</c>, <c>--seed</c>,
/// <c>--kmin</c>, <c>--robot-policy</c>, <c>--lift</c>, then every <c>--set KEY=VALUE</c> in order (docs/training-settings.md).
/// </summary>
internal sealed class TrainingOptions
{
    public Option<string> Game { get; } = new("--game") { Description = "Built-in game name (see 'games list') or a JSON game file (default zones; with --config, the game.json beside the config file).", DefaultValueFactory = _ => "zones" };

    public Option<int> K { get; } = new("--k") { Description = "Robots the gateway samples per tick (1 <= k <= n).", DefaultValueFactory = _ => 5 };

    public Option<string> Preset { get; } = new("--preset")
    {
        Description = "Training settings: 'default' (EdgeMarl's: converged value iteration, exact induced transition, stationary mean field, "
            + "fixed-point stop) or 'reference' (the public reference implementation's, docs/reference-benchmark.md).",
        DefaultValueFactory = _ => "default",
    };

    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "Start from a run folder's config.json instead of a preset (reruns that run byte for byte: same settings, and its game.json unless --game); "
            + "--k, --seed, --kmin, --robot-policy, --lift and --set still apply on top.",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Change one training setting, KEY=VALUE (repeatable, applied last, in order). Keys and values (the names config.json uses):\n" + SettingList(),
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for every random choice of training.", DefaultValueFactory = _ => 0 };

    public Option<int?> KMin { get; } = new("--kmin") { Description = "Smallest k' with a global table in the exported policy (default 1; tables for k' < k let the gateway act when fewer robots answer)." };

    public Option<string?> RobotPolicy { get; } = new("--robot-policy") { Description = "Override the preset's robot policy output: 'softmax' (reference temperature rule) or 'greedy' (the same as --set localOutput=…)." };

    public Option<int?> N { get; } = FleetSizeOption.Create();

    public Option<string?> Lift { get; } = new("--lift") { Description = CliChoices.LiftDescription };

    public Option<int> Threads { get; } = new("--threads") { Description = "Worker threads (0 = all cores). Results never depend on it.", DefaultValueFactory = _ => 0 };

    public IEnumerable<Option> All => [Game, K, N, Preset, Config, Set, Seed, KMin, RobotPolicy, Lift, Threads];

    /// <summary>Builds the configuration the options describe.</summary>
    /// <exception cref="ArgumentException">A value is invalid (names it).</exception>
    /// <exception cref="InvalidDataException">The <c>--config</c> file is not a valid config.json (names the JSON path).</exception>
    public TrainingConfig ToConfig(ParseResult parse)
    {
        FileInfo? file = parse.GetValue(Config);
        TrainingConfig config;
        if (file is not null)
        {
            if (Given(parse, Preset))
            {
                throw new ArgumentException("--preset and --config both give every setting; pass one of them");
            }

            config = TrainingConfigFile.Read(file.FullName);
            config = Given(parse, K) ? config with { K = parse.GetValue(K) } : config;
            config = Given(parse, Seed) ? config with { Seed = parse.GetValue(Seed) } : config;
        }
        else
        {
            config = CliChoices.Preset(parse.GetValue(Preset)!)(parse.GetValue(K)) with { Seed = parse.GetValue(Seed) };
        }

        config = parse.GetValue(KMin) is int kMin ? config with { KMin = kMin } : config;
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

        foreach (string assignment in parse.GetValue(Set) ?? [])
        {
            int equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--set: '{assignment}' is not KEY=VALUE");
            }

            try
            {
                config = TrainingConfigFile.Set(config, assignment[..equals], assignment[(equals + 1)..]);
            }
            catch (FormatException e)
            {
                throw new ArgumentException(e.Message, e);
            }
        }

        config = config with { Threads = parse.GetValue(Threads) };
        config.Validate();
        return config;
    }

    /// <summary>The game to train on: <c>--game</c> if given, else the <c>game.json</c> beside a <c>--config</c> file if there is one, else zones.</summary>
    public string GameName(ParseResult parse)
    {
        FileInfo? file = parse.GetValue(Config);
        if (!Given(parse, Game) && file?.DirectoryName is { } folder && File.Exists(Path.Combine(folder, TrainingRunFolder.GameFileName)))
        {
            return Path.Combine(folder, TrainingRunFolder.GameFileName);
        }

        return parse.GetValue(Game)!;
    }

    /// <summary>Whether a game was named: <c>--game</c>, or a <c>game.json</c> beside a <c>--config</c> file (else <c>--simulator</c> alone gives the shape).</summary>
    public bool GameGiven(ParseResult parse) =>
        Given(parse, Game) || (parse.GetValue(Config)?.DirectoryName is { } folder && File.Exists(Path.Combine(folder, TrainingRunFolder.GameFileName)));

    /// <summary>The name used in the default run folder: the preset's, or "config" with <c>--config</c>.</summary>
    public string PresetName(ParseResult parse) => parse.GetValue(Config) is null ? parse.GetValue(Preset)! : "config";

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static string SettingList()
    {
        TrainingConfig reference = TrainingConfig.ReferenceCompatible(1), ours = TrainingConfig.Default(1);
        var text = new StringBuilder();
        foreach ((string key, PropertyInfo property) in TrainingConfigFile.Settings)
        {
            string values = TrainingConfigFile.Values(property);
            string d = TrainingConfigFile.ValueText(ours, property), r = TrainingConfigFile.ValueText(reference, property);
            string note = key switch
            {
                "k" => "also --k",
                "seed" => "also --seed",
                "kMin" => "also --kmin; default 1",
                _ => "default " + d + (d == r ? string.Empty : ", reference " + r),
            };
            text.Append("  ").Append(key).Append(" = ").Append(values).Append(" (").Append(note).Append(")\n");
        }

        return text.Append("  modelFree = null|default (null: train on the game's tables; the modelFree.* keys imply default)").ToString();
    }
}
