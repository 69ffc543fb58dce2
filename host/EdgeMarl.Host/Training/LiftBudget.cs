// Issues 18 and 14 (docs/design.md §2 "Lifted candidates", docs/sweep.md "The budgeted rule"): LiftRule.Budgeted lifts from
// k − 1 while training every smaller k is cheap and from ⌊k/2⌋ when it is not, decided from the game's sizes, n, k and the
// settings only (never from a measured time), so the same config gives the same source, the same pair and the same bytes.
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Training;

/// <summary>Which smaller k a lift rule chose at k, and why (record.json <c>liftChoice</c>).</summary>
/// <param name="FromK">The source k' (k − 1 or ⌊k/2⌋).</param>
/// <param name="Step">
/// <see cref="LiftRule.Every"/> (k' = k − 1) or <see cref="LiftRule.Halving"/> (k' = ⌊k/2⌋): for <see cref="LiftRule.Budgeted"/>, the
/// step the budget allowed; for the other rules, the rule itself.
/// </param>
/// <param name="EstimatedSecondsBelow">For <see cref="LiftRule.Budgeted"/>: <see cref="LiftBudget.EstimatedSecondsBelow"/> at k; else null.</param>
/// <param name="BudgetSeconds">For <see cref="LiftRule.Budgeted"/>: <see cref="LiftBudget.BudgetSeconds"/>; else null.</param>
public sealed record LiftChoice(int FromK, LiftRule Step, double? EstimatedSecondsBelow, double? BudgetSeconds);

/// <summary>
/// The work model of <see cref="LiftRule.Budgeted"/>. A level (one training at k, without its lifted source) is estimated as if
/// every alternation ran to <see cref="TrainingConfig.MaxRounds"/>; a round costs one pass over the G-step's rows
/// <c>|S_g|·C(k+|S_l|−1, |S_l|−1)</c> × <c>|A_g|</c> (with the L-step's share) times the solver's sweeps, plus the quick value's
/// <c>rollouts × horizon</c> ticks of the configured quick simulator (robot-level: a fixed part and one per robot, so n counts;
/// composed count: a fixed part, one per local-state transition and one per gateway draw, independent of n). The weights are
/// nanoseconds of one core measured on the calibration machine (docs/sweep.md "The budgeted rule"); they are constants, so the
/// choice never depends on the machine or its load.
/// </summary>
public static class LiftBudget
{
    /// <summary>
    /// The budget: lift from k − 1 while the estimated work of training every k' &lt; k is at most this many seconds (at the round
    /// cap; real alternations stop after 2–10 rounds, so the measured time is several times smaller, docs/sweep.md). Chosen so that
    /// with the default preset every random game of the corpus (|S_l| ≤ 4, n = 50; the largest sum, 8.8 s, is 3x2x4x2's at k = 20)
    /// takes the every-chain up to k = 20, and zones up to k = 13, so that k = 50 trains 25, 12, 11, …, 1.
    /// </summary>
    public const double BudgetSeconds = 9.0;

    /// <summary>Nanoseconds per G-step row and global action per sweep, the L-step's share included (zones, Topological, k = 25–50).</summary>
    internal const double RowActionNanoseconds = 250;

    /// <summary>Robot-level quick values: nanoseconds per tick of one rollout, fixed part (gateway subsample, count ranking, bookkeeping).</summary>
    internal const double RobotTickNanoseconds = 2000;

    /// <summary>Robot-level quick values: nanoseconds per robot per tick (every robot's move is drawn, so the cost grows with n).</summary>
    internal const double RobotPerRobotNanoseconds = 10;

    /// <summary>Composed-count quick values: nanoseconds per tick of one rollout, fixed part.</summary>
    internal const double CountTickNanoseconds = 500;

    /// <summary>Composed-count quick values: nanoseconds per (local state, next local state) pair per tick (one multinomial per occupied state).</summary>
    internal const double CountPerTransitionNanoseconds = 150;

    /// <summary>Composed-count quick values: nanoseconds per gateway draw per tick (the k-sample of the counts).</summary>
    internal const double CountPerDrawNanoseconds = 10;

    /// <summary>Returns the source k' of training at <paramref name="config"/>.K under its lift rule, or null when it lifts nothing.</summary>
    /// <param name="game">The game (sizes, n and γ only).</param>
    /// <param name="config">The settings (k, lift rule, rounds, quick value, solver).</param>
    /// <returns>The choice, or null for <see cref="LiftRule.None"/>, k = 1 or the model-free learners.</returns>
    public static LiftChoice? Choose(Game game, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        if (config.K < 2 || config.ModelFree is not null)
        {
            return null;
        }

        switch (config.Lift)
        {
            case LiftRule.Halving:
                return new LiftChoice(config.K / 2, LiftRule.Halving, null, null);
            case LiftRule.Every:
                return new LiftChoice(config.K - 1, LiftRule.Every, null, null);
            case LiftRule.Budgeted:
                double below = EstimatedSecondsBelow(game, config);
                double shown = Math.Round(below, 6); // record.json: the decision uses the unrounded sum
                return below <= BudgetSeconds
                    ? new LiftChoice(config.K - 1, LiftRule.Every, shown, BudgetSeconds)
                    : new LiftChoice(config.K / 2, LiftRule.Halving, shown, BudgetSeconds);
            default:
                return null;
        }
    }

    /// <summary>Returns the estimated seconds of training every <c>k' ∈ [1, k)</c> once, each as <see cref="EstimatedLevelSeconds"/>.</summary>
    /// <param name="game">The game.</param>
    /// <param name="config">The settings (its k is the k).</param>
    /// <returns>Seconds of one core at the round cap (a deterministic estimate).</returns>
    public static double EstimatedSecondsBelow(Game game, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        double sum = 0;
        for (int k = 1; k < config.K; k++)
        {
            sum += EstimatedLevelSeconds(game, config with { K = k });
        }

        return sum;
    }

    /// <summary>
    /// Returns the estimated seconds of one training at <paramref name="config"/>.K without its lifted source: alternations (softmax
    /// and greedy robots with the portfolio, one more warm started from the lifted pair when lifting and k ≥ 2) × the round cap ×
    /// (G-step rows × global actions × sweeps × <see cref="RowActionNanoseconds"/> + quick-value ticks × the configured quick
    /// simulator's nanoseconds per tick).
    /// </summary>
    /// <param name="game">The game.</param>
    /// <param name="config">The settings.</param>
    /// <returns>Seconds of one core at the round cap.</returns>
    public static double EstimatedLevelSeconds(Game game, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        int k = config.K;
        double rows = game.GlobalStates * Binomial(k + game.LocalStates - 1, game.LocalStates - 1);
        double gStep = rows * game.GlobalActions * Sweeps(game, config) * RowActionNanoseconds;
        double quick = (double)config.QuickRollouts * config.QuickHorizon * QuickTickNanoseconds(game, config);
        int alternations = (config.RobotOutputPortfolio ? 2 : 1) + (config.Lift != LiftRule.None && k >= 2 ? 1 : 0);
        return alternations * (double)config.MaxRounds * (gStep + quick) * 1e-9;
    }

    /// <summary>
    /// Nanoseconds of one tick of one quick-value rollout with the configured simulator: the robot-level one draws every robot's move
    /// (<c>O(n + k)</c>); the composed count one moves the counts by one multinomial per occupied local state and draws the gateway's
    /// k-sample from them (<c>O(|S_l|² + k)</c>, independent of n).
    /// </summary>
    private static double QuickTickNanoseconds(Game game, TrainingConfig config) => config.QuickSimulator == QuickValueSimulator.ComposedCount
        ? CountTickNanoseconds + (game.LocalStates * game.LocalStates * CountPerTransitionNanoseconds) + (config.K * CountPerDrawNanoseconds)
        : RobotTickNanoseconds + ((game.AgentCount + config.K) * RobotPerRobotNanoseconds);

    /// <summary>
    /// Sweeps per G-step: one for the topological solver (one backup per row, Gauss–Seidel only inside cycles; the weight was measured
    /// with it), else the value-iteration sweeps to reach the tolerance from zero, <c>⌈ln tol / ln γ⌉</c>, at most the cap.
    /// </summary>
    private static double Sweeps(Game game, TrainingConfig config)
    {
        if (config.GSolver == GStepSolver.Topological && config.Mode == GStepMode.Rounded)
        {
            return 1;
        }

        double toTolerance = config.GTolerance > 0 && game.Gamma is > 0 and < 1 ? Math.Ceiling(Math.Log(config.GTolerance) / Math.Log(game.Gamma)) : config.GMaxSweeps;
        return Math.Clamp(toTolerance, 1, config.GMaxSweeps);
    }

    /// <summary>C(n, r) as a double (exact up to 2^53, far beyond any count space that fits in memory).</summary>
    private static double Binomial(int n, int r)
    {
        double result = 1;
        for (int i = 1; i <= r; i++)
        {
            result = result * (n - r + i) / i;
        }

        return result;
    }
}
