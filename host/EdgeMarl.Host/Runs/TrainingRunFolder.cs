using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// A training output folder: <c>policies.json</c> (the trained pair, <see cref="PolicyPairJson"/>), <c>record.json</c>
/// (the <see cref="TrainingRecord"/> with timings) and <c>config.json</c> (the canonical config the hash is taken of).
/// <c>edgemarl export</c>, <c>eval</c> and <c>gap</c> read it.
/// </summary>
public static class TrainingRunFolder
{
    /// <summary>File name of the training record.</summary>
    public const string RecordFileName = "record.json";

    /// <summary>File name of the canonical training configuration.</summary>
    public const string ConfigFileName = "config.json";

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
        File.WriteAllText(Path.Combine(directory, RecordFileName), result.Record.ToJson());
        File.WriteAllText(Path.Combine(directory, ConfigFileName), config.ToCanonicalJson() + "\n");
        return trained;
    }

    /// <summary>Reads <c>policies.json</c> of a run folder.</summary>
    /// <param name="directory">The run folder.</param>
    /// <returns>The trained policy.</returns>
    public static TrainedPolicy ReadPolicies(string directory) => PolicyPairJson.Load(Path.Combine(directory, PolicyPairJson.FileName));

    /// <summary>
    /// Resolves the game a trained policy belongs to: <paramref name="nameOrPath"/> when given, else the built-in game of
    /// the stored name; then checks the game's table hash against the one stored at training time.
    /// </summary>
    /// <param name="trained">The trained policy.</param>
    /// <param name="nameOrPath">A built-in name or JSON game file, or null.</param>
    /// <returns>The game.</returns>
    /// <exception cref="InvalidDataException">The game's tables differ from those the policy was trained on.</exception>
    public static Game ResolveGame(TrainedPolicy trained, string? nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(trained);
        // Policies trained with another fleet size (train --n) carry their n; the game's tables are the same.
        Game game = GameResolver.Resolve(nameOrPath ?? trained.GameName).WithAgentCount(trained.AgentCount);
        if (!GameHash.Compute(game).AsSpan().SequenceEqual(trained.GameHash))
        {
            throw new InvalidDataException(
                $"game '{game.Name}' ({nameOrPath ?? "built-in"}) is not the game these policies were trained on (table hash differs); pass --game with the training game's JSON file");
        }

        return game;
    }
}
