using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Monte-Carlo evaluation with the <see cref="ComposedCountSimulator"/>: the same expected return as
/// <see cref="RobotLevelEvaluator"/> (actions summed out, robot rewards replaced by their conditional expectation) at a
/// cost per step independent of <c>n</c>; what the default training preset's quick values use
/// (<see cref="Training.QuickValueSimulator.ComposedCount"/>). Parallel over all (seed, rollout) pairs; the result depends
/// only on the seed.
/// </summary>
/// <param name="maxDegreeOfParallelism">Worker threads, or −1 for the runtime's default.</param>
public sealed class ComposedCountEvaluator(int maxDegreeOfParallelism = -1) : IPolicyEvaluator
{
    /// <inheritdoc/>
    public EvaluationResult Evaluate(Game game, PolicyPair policies, EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tables = new EvaluationTables(game, policies, settings.K, settings.Timing);
        return RolloutRunner.Run(settings, tables.Gamma, tables.AgentCount, maxDegreeOfParallelism, () => new ComposedCountSimulator(tables));
    }
}
