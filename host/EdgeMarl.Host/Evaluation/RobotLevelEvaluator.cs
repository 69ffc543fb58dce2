using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Monte-Carlo evaluation of the real <c>n</c>-robot system (docs/reference-benchmark.md "Evaluation"), one
/// <see cref="RobotLevelSimulator"/> per worker, parallel over all (seed, rollout) pairs. The result depends only on
/// the settings' seed, never on the thread count. Cost <c>O(n)</c> per step; see <see cref="CountLevelEvaluator"/> for
/// a simulator whose cost does not grow with <c>n</c>.
/// </summary>
/// <param name="maxDegreeOfParallelism">Worker threads, or −1 for the runtime's default.</param>
public sealed class RobotLevelEvaluator(int maxDegreeOfParallelism = -1) : IPolicyEvaluator
{
    /// <inheritdoc/>
    public EvaluationResult Evaluate(Game game, PolicyPair policies, EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tables = new EvaluationTables(game, policies, settings.K, settings.Timing);
        return RolloutRunner.Run(settings, tables.Gamma, tables.AgentCount, maxDegreeOfParallelism, () => new RobotLevelSimulator(tables, draws: settings.Draws));
    }
}
