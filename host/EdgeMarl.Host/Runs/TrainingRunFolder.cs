using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// A training output folder (docs/run-folder.md): <c>policies.json</c> (the trained pair, <see cref="PolicyPairJson"/>),
/// <c>record.json</c> (the <see cref="TrainingRecord"/>), <c>config.json</c> (every setting, <see cref="TrainingConfigFile"/>;
/// <c>train --config</c> reads it back), <c>game.json</c> (the game itself, so the folder needs nothing else),
/// <c>rounds.csv</c> (the training curve) and <c>timings.json</c> (wall-clock times). Every file but <c>timings.json</c> is a
/// function of the game, the config and the tool version: a rerun writes the same bytes. <c>edgemarl export</c>,
/// <c>eval</c> and <c>gap</c> read it.
/// </summary>
public static class TrainingRunFolder
{
    /// <summary>File name of the training record.</summary>
    public const string RecordFileName = "record.json";

    /// <summary>File name of the canonical training configuration.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>File name of the copy of the game trained on (<c>edgemarl.game/1</c> JSON, written even for built-ins).</summary>
    public const string GameFileName = "game.json";

    /// <summary>File name of the wall-clock timings (the one file a rerun changes).</summary>
    public const string TimingsFileName = "timings.json";

    /// <summary>Writes a training result into <paramref name="directory"/> (created if missing).</summary>
    /// <param name="directory">The run folder.</param>
    /// <param name="game">The game trained on.</param>
    /// <param name="config">The configuration used.</param>
    /// <param name="result">The training result.</param>
    /// <returns>The trained policy as stored in <c>policies.json</c>.</returns>
    public static TrainedPolicy Write(string directory, Game game, TrainingConfig config, TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var trained = new TrainedPolicy(result.Policies, game.Name, GameHash.Compute(game), Convert.FromHexString(config.ConfigHash()), game.AgentCount);
        PolicyPairJson.Save(trained, Path.Combine(directory, PolicyPairJson.FileName));
        File.WriteAllText(Path.Combine(directory, RecordFileName), RecordJson(result.Record, config, includeTimings: false));
        File.WriteAllText(Path.Combine(directory, ConfigFileName), TrainingConfigFile.Write(config));
        if (!SimulatorShapeGame.IsShapeOnly(game))
        {
            GameJson.WriteFile(game, Path.Combine(directory, GameFileName)); // a simulator-only run has no tables to write: simulator.json instead
        }

        File.WriteAllText(Path.Combine(directory, RoundsCsv.FileName), RoundsCsv.Format(result.Record));
        File.WriteAllText(Path.Combine(directory, TimingsFileName), TrainingTimingsJson.Write(result.Record));
        return trained;
    }

    /// <summary>
    /// Returns the record as <c>record.json</c> and <c>train --json</c> write it: its <c>config</c> in the words of
    /// <c>config.json</c> (<see cref="TrainingConfigFile.SettingsElement"/>), so every file spells a setting one way.
    /// </summary>
    /// <param name="record">The training record.</param>
    /// <param name="config">The configuration it was trained with.</param>
    /// <param name="includeTimings">Whether to keep the wall-clock timings (run folders keep them in <c>timings.json</c>).</param>
    /// <returns>Indented JSON text.</returns>
    public static string RecordJson(TrainingRecord record, TrainingConfig config, bool includeTimings)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Worded(record, config).ToJson(includeTimings);
    }

    /// <summary>The record with its config, and that of every lifted source's record inside it, in config.json's words.</summary>
    private static TrainingRecord Worded(TrainingRecord record, TrainingConfig config) => record with
    {
        Config = TrainingConfigFile.SettingsElement(config),
        LiftedSource = record.LiftedSource is { } source ? Worded(source, TrainingConfigFile.FromCanonical(source.Config)) : null,
    };

    /// <summary>Reads <c>policies.json</c> of a run folder.</summary>
    /// <param name="directory">The run folder.</param>
    /// <returns>The trained policy.</returns>
    public static TrainedPolicy ReadPolicies(string directory) => PolicyPairJson.Load(Path.Combine(directory, PolicyPairJson.FileName));

    /// <summary>
    /// Resolves the game a trained policy belongs to: <paramref name="nameOrPath"/> when given; else the run folder's copy
    /// (<c>game.json</c>, so a JSON game trained elsewhere needs no path); else the built-in game of the stored name.
    /// The policy stores the hash of the whole game (<see cref="GameHash"/>: sizes, n, γ, tables and initial
    /// distributions), which is what a robot checks. Here a game whose hash differs is still accepted when it differs
    /// from the run's copy only in its initial distributions: the policies answer the dynamics and rewards, and
    /// evaluating them from another starting distribution is a fair question.
    /// </summary>
    /// <param name="trained">The trained policy.</param>
    /// <param name="nameOrPath">A built-in name or JSON game file, or null.</param>
    /// <param name="runDirectory">The run folder, whose <c>game.json</c> is used when present; null to skip it.</param>
    /// <returns>The game.</returns>
    /// <exception cref="InvalidDataException">The game's dynamics or rewards differ from those the policy was trained on.</exception>
    public static Game ResolveGame(TrainedPolicy trained, string? nameOrPath, string? runDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(trained);
        // Policies trained with another fleet size (train --n) carry their n; the game's tables are the same.
        string? copyPath = runDirectory is null ? null : Path.Combine(runDirectory, GameFileName);
        if (nameOrPath is null && runDirectory is not null && !File.Exists(copyPath) && File.Exists(Path.Combine(runDirectory, SimulatorRunFile.FileName)))
        {
            throw new InvalidDataException(
                $"{runDirectory} was trained from a simulator only ({SimulatorRunFile.FileName}, no {GameFileName}): this needs the game's tables "
                + "(its policies name the simulator's shape, not a table game); 'edgemarl eval --run' evaluates it through the simulator");
        }

        Game? copy = copyPath is not null && File.Exists(copyPath) ? GameJson.Load(copyPath).WithAgentCount(trained.AgentCount) : null;
        Game game = nameOrPath is null && copy is not null ? copy : GameResolver.Resolve(nameOrPath ?? trained.GameName).WithAgentCount(trained.AgentCount);
        if (GameHash.Compute(game).AsSpan().SequenceEqual(trained.GameHash))
        {
            return game;
        }

        if (copy is not null && GameHash.Compute(copy).AsSpan().SequenceEqual(trained.GameHash) && SameExceptInitial(copy, game))
        {
            return game;
        }

        bool simulatorOnly = copy is null && runDirectory is not null && File.Exists(Path.Combine(runDirectory, SimulatorRunFile.FileName));
        string what = simulatorOnly
            ? $"the run was trained from a simulator only ({SimulatorRunFile.FileName}, no {GameFileName}), so its policies name the simulator's shape, not a table game; evaluate it through the simulator with 'edgemarl eval --run' (no --game)"
            : copy is null
            ? "its tables, sizes, n, γ or initial distributions differ (this run folder has no game.json to tell which)"
            : "its sizes, n, γ, transitions or rewards differ from the run's game.json";
        throw new InvalidDataException(
            $"game '{game.Name}' ({nameOrPath ?? "built-in"}) is not the game these policies were trained on: {what}" + (simulatorOnly ? string.Empty : "; pass --game with the training game's JSON file"));
    }

    /// <summary>Whether two games agree on everything the policies answer: sizes, n, γ, transitions and rewards.</summary>
    public static bool SameExceptInitial(Game a, Game b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.GlobalStates == b.GlobalStates && a.GlobalActions == b.GlobalActions && a.LocalStates == b.LocalStates
            && a.LocalActions == b.LocalActions && a.AgentCount == b.AgentCount && a.Gamma.Equals(b.Gamma)
            && a.GlobalTransition.AsSpan().SequenceEqual(b.GlobalTransition) && a.LocalTransition.AsSpan().SequenceEqual(b.LocalTransition)
            && a.GlobalReward.AsSpan().SequenceEqual(b.GlobalReward) && a.LocalReward.AsSpan().SequenceEqual(b.LocalReward);
    }
}
