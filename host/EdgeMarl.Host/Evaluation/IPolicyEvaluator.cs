using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Host.Evaluation;

/// <summary>How to evaluate a policy pair by Monte-Carlo rollouts (docs/design.md §2 "Evaluation").</summary>
/// <param name="K">Robots the gateway samples per step (uses <c>π_g</c>'s table for <c>k</c>).</param>
/// <param name="Horizon">Steps per rollout.</param>
/// <param name="RolloutsPerSeed">Rollouts per seed.</param>
/// <param name="Seeds">Number of seeds; seed <c>i</c> is derived from <paramref name="Seed"/> and <c>i</c>.</param>
/// <param name="Seed">Base seed; same seed, same result, whatever the thread count.</param>
public sealed record EvaluationSettings(int K, int Horizon, int RolloutsPerSeed, int Seeds, ulong Seed)
{
    /// <summary>Gets which global state conditions the robots' move (default: the current one, as docs/design.md §1).</summary>
    public LocalTransitionTiming Timing { get; init; } = LocalTransitionTiming.CurrentGlobalState;

    /// <summary>Gets how robots draw <c>a_l</c> and how gateway and robots are seeded (default: 32-bit draws of the exact <c>π_l</c>).</summary>
    public RobotActionDraw Draws { get; init; } = RobotActionDraw.Uniform32;

    /// <summary>docs/reference-benchmark.md: horizon 50, 50 rollouts per seed, 15 seeds.</summary>
    public static EvaluationSettings Reference(int k, ulong seed) => new(k, 50, 50, 15, seed);
}

/// <summary>Result of an evaluation: mean over seeds of each seed's mean discounted return, and the std over seeds.</summary>
/// <param name="Mean">Mean over seeds of the per-seed mean discounted return.</param>
/// <param name="StdOverSeeds">Population standard deviation of the per-seed means (numpy's default, as the reference).</param>
/// <param name="PerSeedMeans">Each seed's mean discounted return.</param>
/// <param name="RobotSteps">Robot-steps simulated (for throughput).</param>
public sealed record EvaluationResult(double Mean, double StdOverSeeds, double[] PerSeedMeans, long RobotSteps);

/// <summary>Evaluates a policy pair on a game.</summary>
public interface IPolicyEvaluator
{
    /// <summary>Runs the rollouts described by <paramref name="settings"/>.</summary>
    EvaluationResult Evaluate(Game game, PolicyPair policies, EvaluationSettings settings);
}
