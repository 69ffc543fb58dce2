using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Host.Heterogeneity;

/// <summary>
/// Monte-Carlo return of a blind or typed pair on the real typed fleet (<see cref="TypedFleetSimulator"/>), parallel over
/// (seed, rollout) and reduced in a fixed order like <see cref="RobotLevelEvaluator"/>: same seed, same result, whatever the
/// thread count. As an <see cref="IPolicyEvaluator"/> (the trainer's quick value) it ignores the game it is handed, which
/// must be a view of <see cref="Fleet"/> (its pooled or expanded game); only the game's own move timing is supported.
/// </summary>
/// <param name="fleet">The true typed fleet.</param>
/// <param name="robot0Policy">Robot 0's deviation <c>σ</c> (typed layout), or null.</param>
/// <param name="gatewayObservesAll">The full-observation gateway deviation.</param>
/// <param name="maxDegreeOfParallelism">Worker threads, or −1 for the runtime's default.</param>
/// <param name="gateway">A gateway table to play instead of the pair's, or null.</param>
public sealed class TypedFleetEvaluator(TypedGame fleet, double[]? robot0Policy = null, bool gatewayObservesAll = false, int maxDegreeOfParallelism = -1, GatewayTable? gateway = null) : IPolicyEvaluator
{
    /// <summary>Gets the fleet every rollout simulates.</summary>
    public TypedGame Fleet { get; } = fleet ?? throw new ArgumentNullException(nameof(fleet));

    /// <inheritdoc/>
    public EvaluationResult Evaluate(Game game, PolicyPair policies, EvaluationSettings settings) => Evaluate(policies, settings);

    /// <summary>Runs the rollouts of <paramref name="settings"/> on the typed fleet.</summary>
    /// <exception cref="NotSupportedException">The settings ask for another move timing or the device draws.</exception>
    public EvaluationResult Evaluate(PolicyPair policies, EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Timing != LocalTransitionTiming.CurrentGlobalState || settings.Draws != RobotActionDraw.Uniform32)
        {
            throw new NotSupportedException("the typed fleet simulator runs the game's own move timing with 32-bit draws only");
        }

        var tables = new TypedFleetTables(Fleet, policies, settings.K, robot0Policy, gatewayObservesAll, gateway);
        return RolloutRunner.Run(settings, tables.Gamma, tables.AgentCount, maxDegreeOfParallelism, () => new TypedFleetSimulator(tables));
    }
}
