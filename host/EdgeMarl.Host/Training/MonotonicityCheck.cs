// Issue 18: "polling more robots never hurts". The return of the trained pair at k against every k' < k, on one game.
using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training;

/// <summary>One k of a <see cref="MonotonicityCheck"/>.</summary>
/// <param name="K">Sample size.</param>
/// <param name="Return">Mean over evaluation seeds of the per-seed mean discounted return.</param>
/// <param name="HalfWidth">95% half-width of <see cref="Return"/>: <c>1.96 · std over seeds / √seeds</c>.</param>
/// <param name="ExactReturn">The exact value of the pair at k (ExactNashGap), when the game is small enough; else null.</param>
/// <param name="ExactGap">The exact Nash gap ε at k, when computable; else null.</param>
/// <param name="LiftedFrom">The k' the gateway subsamples to when the lifted pair won; else null.</param>
/// <param name="TrainSeconds">Wall time of this k's training (lifted k' already trained are reused).</param>
public sealed record MonotonicityCell(int K, double Return, double HalfWidth, double? ExactReturn, double? ExactGap, int? LiftedFrom, double TrainSeconds)
{
    /// <summary>Returns whether this return lies below <paramref name="smaller"/>'s beyond both 95% intervals.</summary>
    public bool FallsBelow(MonotonicityCell smaller)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        return Return + HalfWidth < smaller.Return - smaller.HalfWidth;
    }
}

/// <summary>
/// Trains the default preset (k_min = k, the given lift rule and seed) at each k in increasing order, sharing one
/// <see cref="LiftCache"/> so that a lifted k' is trained once, and evaluates every pair at its k with one evaluation seed
/// derived from the training seed (common random numbers across k).
/// </summary>
public static class MonotonicityCheck
{
    private const ulong EvaluationTag = 7;

    /// <summary>Runs the check.</summary>
    /// <param name="game">The game.</param>
    /// <param name="ks">Sample sizes, increasing.</param>
    /// <param name="lift">The lift rule.</param>
    /// <param name="seed">Training seed.</param>
    /// <param name="evaluation">Horizon, rollouts and seeds of the evaluation (its k and seed are set here).</param>
    /// <param name="exactGap">Whether to compute the exact return and gap where the game is small enough.</param>
    /// <returns>One cell per k.</returns>
    public static IReadOnlyList<MonotonicityCell> Run(Game game, IReadOnlyList<int> ks, LiftRule lift, ulong seed, EvaluationSettings evaluation, bool exactGap = true)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(ks);
        ArgumentNullException.ThrowIfNull(evaluation);
        var evaluator = new RobotLevelEvaluator();
        var cache = new LiftCache();
        bool exact = exactGap && ExactNashGap.Refusal(game) is null;
        var cells = new List<MonotonicityCell>();
        foreach (int k in ks)
        {
            TrainingConfig config = TrainingConfig.Default(k) with { Seed = seed, KMin = k, Lift = lift };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            TrainingResult result = AlternatingMarl.Train(game, config, evaluator, cache);
            double seconds = watch.Elapsed.TotalSeconds;
            cache.Add(config, result);
            EvaluationResult r = evaluator.Evaluate(game, result.Policies, evaluation with { K = k, Seed = Pcg32.DeriveSeed(seed, EvaluationTag) });
            NashGapReport? gap = exact ? ExactNashGap.Compute(game, result.Policies, k, ExactNashGapLimits.Default with { MaxEnumeratedPolicies = 1 }) : null;
            cells.Add(new MonotonicityCell(k, r.Mean, 1.96 * r.StdOverSeeds / Math.Sqrt(evaluation.Seeds), gap?.JointValue, gap?.Epsilon, result.Record.LiftedFrom, seconds));
        }

        return cells;
    }

    /// <summary>Returns the cells whose return falls below that of some smaller k beyond both 95% intervals.</summary>
    public static IEnumerable<MonotonicityCell> Falls(IReadOnlyList<MonotonicityCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return cells.Where((cell, i) => cells.Take(i).Any(cell.FallsBelow));
    }
}
