using System.Globalization;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Host.Equilibrium;

/// <summary>
/// The exact Nash gap of a policy pair on a tiny game (docs/design.md §2 "Nash gap", docs/nash-gap.md): builds the
/// gateway's deviation MDP on <c>(s_g, N)</c> and one robot's on <c>(s_g, s_d, M)</c>, evaluates <c>J(π_g, π_l)</c> by a
/// linear solve, finds both best responses by policy iteration, and the restricted best responses by enumeration.
/// </summary>
public static class ExactNashGap
{
    /// <summary>Computes the report for <paramref name="policies"/> with the gateway sampling <paramref name="k"/> robots.</summary>
    /// <param name="game">A valid game.</param>
    /// <param name="policies">The pair; needs a global table for <paramref name="k"/>.</param>
    /// <param name="k">Robots the gateway samples per step, <c>1 ≤ k ≤ n</c>.</param>
    /// <param name="limits">Size limits; <see cref="ExactNashGapLimits.Default"/> when null.</param>
    /// <exception cref="NashGapTooLargeException">A deviation MDP has more states than <see cref="ExactNashGapLimits.MaxStates"/>.</exception>
    /// <exception cref="GameValidationException">The game is not valid.</exception>
    /// <exception cref="ArgumentException">The pair's shape does not match the game, or it has no table for <paramref name="k"/>.</exception>
    public static NashGapReport Compute(Game game, PolicyPair policies, int k, ExactNashGapLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(policies);
        limits ??= ExactNashGapLimits.Default;
        if (Refusal(game, limits) is { } reason)
        {
            throw new NashGapTooLargeException(reason);
        }

        GameValidator.EnsureValid(game, game.Name);
        int requested = k;
        // The evaluators' shape and table checks, same messages. A pair with no table for k (a lifted pair, issue 18) has its
        // gateway subsample k replies to k*: a uniform k*-sample, so its game at k is exactly its game at k*.
        k = new EvaluationTables(game, policies, k).TableSampleSize;
        CheckLocalPolicy(policies);

        var gateway = new GatewayDeviation(game, policies);
        var samples = new CountSpace(game.LocalStates, k);
        double[] hypergeometric = CountDistributions.HypergeometricTable(gateway.Populations, samples);
        FiniteMdp gatewayMdp = gateway.Mdp;
        double J(int[] table) => gatewayMdp.InitialValue(gatewayMdp.Evaluate(gateway.SampledPolicy(table, samples, hypergeometric)));

        double joint = J(policies.GlobalActions[k - policies.KMin]);
        var (gatewayValue, gatewayActions) = gatewayMdp.SolveOptimal();

        var robot = new RobotDeviation(game, policies, k);
        FiniteMdp robotMdp = robot.Mdp;
        double jointOnRobotChain = robotMdp.InitialValue(robotMdp.Evaluate(robot.FollowLocalPolicy()));
        var (robotValue, robotActions) = robotMdp.SolveOptimal();

        var skipped = new List<string>();
        int sampledEntries = game.GlobalStates * samples.Size;
        (int[] Table, double Score)? sampled = null;
        if (PolicyEnumeration.Count(game.GlobalActions, sampledEntries) <= limits.MaxEnumeratedPolicies)
        {
            sampled = PolicyEnumeration.ArgMax(game.GlobalActions, sampledEntries, J);
        }
        else
        {
            skipped.Add(Invariant($"gateway k-sample best response skipped: |A_g|^(|S_g|·C(k+L−1, L−1)) = {game.GlobalActions}^{sampledEntries} tables > {limits.MaxEnumeratedPolicies}"));
        }

        int localEntries = game.GlobalStates * game.LocalStates;
        (int[] Table, double Score)? local = null;
        if (PolicyEnumeration.Count(game.LocalActions, localEntries) <= limits.MaxEnumeratedPolicies)
        {
            local = PolicyEnumeration.ArgMax(
                game.LocalActions, localEntries, table => robotMdp.InitialValue(robotMdp.Evaluate(robot.LocalTable(table))));
        }
        else
        {
            skipped.Add(Invariant($"robot (s_g, s_l) best response skipped: |A_l|^(|S_g|·L) = {game.LocalActions}^{localEntries} tables > {limits.MaxEnumeratedPolicies}"));
        }

        return new NashGapReport
        {
            K = requested,
            AgentCount = game.AgentCount,
            GatewayStates = gatewayMdp.States,
            RobotStates = robotMdp.States,
            JointValue = joint,
            JointValueOnRobotChain = jointOnRobotChain,
            GatewayBestResponse = gatewayMdp.InitialValue(gatewayValue),
            GatewayBestResponseActions = gatewayActions,
            GatewaySampledBestResponse = sampled?.Score,
            GatewaySampledBestResponseTable = sampled?.Table,
            RobotBestResponse = robotMdp.InitialValue(robotValue),
            RobotBestResponseActions = robotActions,
            RobotLocalBestResponse = local?.Score,
            RobotLocalBestResponseTable = local?.Table,
            SkippedReason = skipped.Count == 0 ? null : string.Join("; ", skipped),
        };
    }

    /// <summary>Returns why <paramref name="game"/> is too large for the exact gap under <paramref name="limits"/>, or null if it fits.</summary>
    public static string? Refusal(Game game, ExactNashGapLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(game);
        limits ??= ExactNashGapLimits.Default;
        int l = game.LocalStates;
        int n = game.AgentCount;
        double gatewayStates = game.GlobalStates * CountSpace.SizeOf(l, n);
        double robotStates = game.GlobalStates * (double)l * CountSpace.SizeOf(l, n - 1);
        double largest = Math.Max(gatewayStates, robotStates);
        return largest <= limits.MaxStates
            ? null
            : Invariant(
                $"game '{game.Name}' is too large for the exact Nash gap: the gateway's MDP has |S_g|·C(n+L−1, L−1) = {gatewayStates:G6} states and the robot's |S_g|·L·C(n+L−2, L−1) = {robotStates:G6} (|S_g|={game.GlobalStates}, L={l}, n={n}); the limit is {limits.MaxStates} states. Use the estimated gap (docs/nash-gap.md §6).");
    }

    /// <summary>The solver uses π_l's rows as given (the evaluators renormalise them), so they must already be distributions.</summary>
    private static void CheckLocalPolicy(PolicyPair policies)
    {
        int width = policies.LocalActionCount;
        for (int row = 0; row < policies.LocalPolicy.Length / width; row++)
        {
            double total = 0;
            for (int a = 0; a < width; a++)
            {
                double p = policies.LocalPolicy[(row * width) + a];
                if (!(p >= 0))
                {
                    throw new ArgumentException(Invariant($"π_l row {row} (s_g·L + s_l) has entry {p} at a_l = {a}; must be ≥ 0"), nameof(policies));
                }

                total += p;
            }

            if (Math.Abs(total - 1) > GameValidator.RowSumTolerance)
            {
                throw new ArgumentException(Invariant($"π_l row {row} (s_g·L + s_l) sums to {total:R}; must be 1 ± {GameValidator.RowSumTolerance}"), nameof(policies));
            }
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
