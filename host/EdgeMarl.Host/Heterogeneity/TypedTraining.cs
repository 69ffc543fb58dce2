using System.Globalization;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Heterogeneity;

/// <summary>How a typed fleet is trained (docs/heterogeneity.md).</summary>
public enum TypingMethod
{
    /// <summary>The paper's method as is: one pooled mean field (<see cref="TypedGame.Pooled"/>), one robot policy, state counts.</summary>
    Blind = 0,

    /// <summary>The gateway counts per (type, state) and each type best-responds with its own policy (<see cref="TypedGame.Expanded"/>).</summary>
    Typed = 1,
}

/// <summary>
/// Trains a pair for a typed fleet by ALTERNATING-MARL (<see cref="AlternatingMarl"/>, unchanged): type-blind on the pooled
/// game with quick values on the pooled model (what a practitioner with a homogeneous model would do), typed on the
/// expanded game with quick values on the true typed fleet (<see cref="TypedFleetEvaluator"/>).
/// </summary>
public static class TypedTraining
{
    /// <summary>
    /// Most count vectors per global state a typed run may have: the G-step keeps <c>|S_g|·C</c> values and a next-count
    /// table per entry (zones-mixed: <c>C(k + 9, 9)</c>, so <c>k ≤ 11</c>; k = 11 is 167,960 vectors).
    /// </summary>
    public const long MaxTypedCountVectors = 200_000;

    /// <summary>
    /// The preset both methods use: the reference preset (the paper's method as the public implementation runs it), with the
    /// game's own move timing and only the table for <c>k</c>. Its mean field (power iteration from uniform) keeps each
    /// type's mass at <c>1/T</c> on the expanded game, which is right for equal shares; the default preset's stationary
    /// mean field is not unique on the expanded chain (types never mix), so typed training does not use it.
    /// </summary>
    public static TrainingConfig Preset(int k, ulong seed) =>
        TrainingConfig.ReferenceCompatible(k) with { Seed = seed, KMin = k, QuickTiming = LocalTransitionTiming.CurrentGlobalState };

    /// <summary>Returns <c>C(k + m − 1, m − 1)</c> as a double (exact below 2^53).</summary>
    public static double CountVectors(int localStates, int k) => Equilibrium.CountSpace.SizeOf(localStates, k);

    /// <summary>The largest <c>k</c> typed training accepts on <paramref name="game"/> (<see cref="MaxTypedCountVectors"/>).</summary>
    public static int LargestTypedK(TypedGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        int x = game.TypeCount * game.Template.LocalStates, k = 0;
        while (k < game.Template.AgentCount && CountVectors(x, k + 1) <= MaxTypedCountVectors)
        {
            k++;
        }

        return k;
    }

    /// <summary>Why typed training cannot run at <paramref name="k"/> on <paramref name="game"/>, or null when it can.</summary>
    public static string? TypedRefusal(TypedGame game, int k)
    {
        ArgumentNullException.ThrowIfNull(game);
        int t = game.TypeCount, l = game.Template.LocalStates, x = t * l;
        double size = CountVectors(x, k);
        if (size > MaxTypedCountVectors)
        {
            return string.Create(CultureInfo.InvariantCulture, $"typed training at k = {k} needs C(k + T·|S_l| − 1, T·|S_l| − 1) = C({k + x - 1}, {x - 1}) = {size:N0} count vectors per global state (limit {MaxTypedCountVectors:N0}); the largest typed k for this game is {LargestTypedK(game)}; use --method blind for larger k");
        }

        double equal = 1.0 / t;
        if (game.Types.Any(type => Math.Abs(type.Share - equal) > 1e-12))
        {
            return $"typed training assumes equal shares (its mean field gives each type 1/T of the fleet); this game's shares are {string.Join(", ", game.Types.Select(type => type.Share.ToString("R", CultureInfo.InvariantCulture)))}";
        }

        return null;
    }

    /// <summary>Trains by <paramref name="method"/> with <paramref name="config"/> (see <see cref="Preset"/>).</summary>
    /// <exception cref="InvalidOperationException">Typed training refused (<see cref="TypedRefusal"/>), or a stationary mean field asked for.</exception>
    public static TrainingResult Train(TypedGame game, TypingMethod method, TrainingConfig config, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        if (method == TypingMethod.Blind)
        {
            return AlternatingMarl.Train(game.Pooled, config, new RobotLevelEvaluator(config.Threads > 0 ? config.Threads : -1), progress);
        }

        if (TypedRefusal(game, config.K) is { } why)
        {
            throw new InvalidOperationException(why);
        }

        if (config.MeanField != MeanFieldEstimate.Reference && game.TypeCount > 1)
        {
            throw new InvalidOperationException($"typed training needs the reference mean field (the stationary law of the expanded chain is not unique: types never mix); got {config.MeanField}");
        }

        if (config.QuickSimulator != QuickValueSimulator.Robot)
        {
            throw new InvalidOperationException($"typed training measures its quick values on the real typed fleet (TypedFleetEvaluator); quickSimulator = {config.QuickSimulator} would simulate the expanded game, whose type mix is random");
        }

        return AlternatingMarl.Train(game.Expanded(), config, new TypedFleetEvaluator(game, maxDegreeOfParallelism: config.Threads > 0 ? config.Threads : -1), progress);
    }
}
