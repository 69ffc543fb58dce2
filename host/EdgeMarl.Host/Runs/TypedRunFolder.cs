using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// The run folder of a typed training (<c>edgemarl train-typed</c>, docs/heterogeneity.md §8): <c>policies.json</c> with the robot
/// types <c>T</c> (the pair over <c>T·|S_l|</c> classes, stamped with <see cref="TypedGameHash"/>), <c>game.json</c> (the typed game,
/// <c>edgemarl.game/2</c>), <c>record.json</c>, <c>config.json</c> and <c>rounds.csv</c> as an ordinary run. <c>edgemarl export</c>
/// turns it into a format-5 policy file.
/// </summary>
public static class TypedRunFolder
{
    /// <summary>Writes a typed training result into <paramref name="directory"/> (created if missing).</summary>
    /// <param name="directory">The run folder.</param>
    /// <param name="game">The typed game trained on.</param>
    /// <param name="config">The configuration used.</param>
    /// <param name="result">The result of <see cref="TypedTraining.Train"/> with <see cref="TypingMethod.Typed"/>.</param>
    /// <returns>The trained policy as stored in <c>policies.json</c>.</returns>
    /// <exception cref="ArgumentException">The pair is not over the game's <c>T·|S_l|</c> classes.</exception>
    public static TrainedPolicy Write(string directory, TypedGame game, TrainingConfig config, TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        int classes = game.TypeCount * game.Template.LocalStates;
        if (result.Policies.LocalStates != classes)
        {
            throw new ArgumentException($"a typed pair for '{game.Name}' has T·|S_l| = {classes} local states; this one has {result.Policies.LocalStates}", nameof(result));
        }

        Directory.CreateDirectory(directory);
        var trained = new TrainedPolicy(result.Policies, game.Name, TypedGameHash.Compute(game), Convert.FromHexString(config.ConfigHash()), game.Template.AgentCount, game.TypeCount);
        PolicyPairJson.Save(trained, Path.Combine(directory, PolicyPairJson.FileName));
        File.WriteAllText(Path.Combine(directory, TrainingRunFolder.RecordFileName), TrainingRunFolder.RecordJson(result.Record, config, includeTimings: false));
        File.WriteAllText(Path.Combine(directory, TrainingRunFolder.ConfigFileName), TrainingConfigFile.Write(config));
        File.WriteAllText(Path.Combine(directory, TrainingRunFolder.GameFileName), GameJson.Write(game));
        File.WriteAllText(Path.Combine(directory, RoundsCsv.FileName), RoundsCsv.Format(result.Record));
        return trained;
    }
}
