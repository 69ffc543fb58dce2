// docs/nash-gap.md §6: the deviations the estimated gap plays are the trainer's own best-response steps, run to
// convergence: the gateway's is the G-step against π_l at k' (docs/design.md §2 G-step), the robot's the L-step against
// (π_g at k, π_l) with the exact induced global transition and greedy output (docs/design.md §2 L-step).
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Equilibrium;

/// <summary>
/// Best responses from the trainer's steps, converged: G-step value iteration to <c>1e−7</c> (at most 5000 sweeps) in
/// <see cref="GatewayMode"/>, L-step with the exact induced transition <c>P̃_g</c> under the <c>s_g</c>-conditional
/// stationary mean field, greedy (ties to the lowest action). Deterministic: <see cref="GStepMode.Sampled"/> draws
/// come from <see cref="Seed"/>.
/// </summary>
/// <param name="GatewayMode">How the G-step takes <c>E[V(s_g', c')]</c>; <see cref="GStepMode.Rounded"/> scales to k' = 50.</param>
/// <param name="Seed">Seed of the sampled G-step's draws.</param>
/// <param name="Threads">G-step worker threads (0 = runtime default).</param>
public sealed record TrainerBestResponses(GStepMode GatewayMode = GStepMode.Rounded, ulong Seed = 0, int Threads = 0) : IBestResponseSource
{
    /// <inheritdoc/>
    public int[] GatewayBestResponse(Game game, double[] localPolicy, int kPrime)
    {
        ArgumentNullException.ThrowIfNull(game);
        TrainingConfig config = TrainingConfig.Default(kPrime) with
        {
            Mode = GatewayMode,
            GTolerance = 1e-7,
            GMaxSweeps = 5000,
            GWarmStart = false,
            Seed = Seed,
            Threads = Threads,
        };
        return new GStep(game, config).Solve(localPolicy, kPrime, Seed).ToPolicyTable(game.GlobalStates);
    }

    /// <inheritdoc/>
    public double[] RobotBestResponse(Game game, PolicyPair policies, int k)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(policies);
        // A lifted pair has no table for k: its gateway subsamples to k* (a uniform k*-sample), so the robot answers that table.
        k = new EdgeMarl.Host.Evaluation.EvaluationTables(game, policies, k).TableSampleSize;
        TrainingConfig config = TrainingConfig.Default(k) with
        {
            LocalOutput = LocalPolicyOutput.Greedy,
            InducedGlobal = InducedTransition.Exact,
            MeanField = MeanFieldEstimate.StationaryConditional,
            LTolerance = 1e-10,
            LMaxSweeps = 20_000,
            Seed = Seed,
            Threads = Threads,
        };
        byte[] actions = ToGStepLayout(policies.GlobalActions[k - policies.KMin], game.GlobalStates, game.GlobalActions);
        return new LStep(game, config).Solve(policies.LocalPolicy, actions, Seed).LocalPolicy;
    }

    /// <summary>PolicyPair layout <c>[s_g·|C_k| + rank(c)]</c> → G-step layout <c>[rank(c)·|S_g| + s_g]</c>.</summary>
    private static byte[] ToGStepLayout(int[] table, int globalStates, int globalActions)
    {
        if (globalActions > byte.MaxValue)
        {
            throw new NotSupportedException("the L-step reads π_g as bytes: |A_g| must be <= 255");
        }

        int size = table.Length / globalStates;
        var actions = new byte[table.Length];
        for (int sg = 0; sg < globalStates; sg++)
        {
            for (int c = 0; c < size; c++)
            {
                actions[(c * globalStates) + sg] = (byte)table[(sg * size) + c];
            }
        }

        return actions;
    }
}
