// docs/model-free.md: how far the model-free learners are from the model-based answer, as a function of the samples.
//   G-step: π_l fixed; Q* = the exact-mode G-step's Q (value iteration to 1e-10 on the full distribution of c'),
//           error = max |Q_learned − Q*| over every (s_g, c, a_g), and the same for V = max_a Q.
//   L-step: π_g fixed (the exact G-step's answer to π_l); V* = the model-based L-step with the s_g-conditional
//           stationary mean field and the exact induced transition; error = max |V_learned − V*| over (s_g, s_l).
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Simulation;

namespace EdgeMarl.Host.Training.ModelFree;

/// <summary>One measurement: a learner, a budget, a seed, and its distance to the model-based answer.</summary>
/// <param name="Step">"G" or "L".</param>
/// <param name="K">Sample size.</param>
/// <param name="SamplesPerPair">Q-updates per state-action pair.</param>
/// <param name="Samples">Simulator samples drawn (global + local steps).</param>
/// <param name="Seed">Seed.</param>
/// <param name="MaxQError">max |Q − Q*|.</param>
/// <param name="MaxValueError">max |V − V*|.</param>
/// <param name="PolicyAgreement">Share of states where the learned greedy action equals the model-based one.</param>
public sealed record SampleComplexityPoint(string Step, int K, int SamplesPerPair, long Samples, ulong Seed, double MaxQError, double MaxValueError, double PolicyAgreement);

/// <summary>Measures the model-free G-step and L-step against the model-based ones on a game with tables.</summary>
public static class SampleComplexity
{
    /// <summary>The G-step's error against the exact-mode G-step, for a fixed <paramref name="localPolicy"/>.</summary>
    /// <param name="game">A game with tables.</param>
    /// <param name="localPolicy">The fixed π_l.</param>
    /// <param name="k">Sample size.</param>
    /// <param name="samplesPerPair">The budget T (per (s_g, c, a_g)).</param>
    /// <param name="seed">Seed.</param>
    /// <param name="exploration">How the G-step gathers its samples (default: synchronous, generative model).</param>
    /// <returns>The measurement.</returns>
    public static SampleComplexityPoint GStep(Game game, double[] localPolicy, int k, int samplesPerPair, ulong seed, SampleExploration exploration = SampleExploration.Generative)
    {
        ArgumentNullException.ThrowIfNull(game);
        double[] qStar = ExactGlobalQ(game, localPolicy, k, out _);
        var config = new TrainingConfig { K = k, Threads = 1, ModelFree = new ModelFreeSettings { GSamplesPerPair = samplesPerPair, Exploration = exploration } };
        var learner = new QLearningGStep(new TableGameSimulator(game), config);
        _ = learner.Solve(localPolicy, k, seed);
        return Compare("G", k, samplesPerPair, learner.GlobalSamples + learner.LocalSamples, seed, learner.LastQ!, qStar, game.GlobalActions);
    }

    /// <summary>The L-step's error against the model-based L-step (stationary conditional μ, exact induced transition).</summary>
    /// <param name="game">A game with tables.</param>
    /// <param name="localPolicy">The π_l the mean field is computed for.</param>
    /// <param name="k">Sample size.</param>
    /// <param name="samplesPerPair">The budget T (per (s_g, s_l, a_l)).</param>
    /// <param name="seed">Seed.</param>
    /// <param name="exploration">How the L-step gathers its samples (default: synchronous, generative model).</param>
    /// <returns>The measurement.</returns>
    public static SampleComplexityPoint LStep(Game game, double[] localPolicy, int k, int samplesPerPair, ulong seed, SampleExploration exploration = SampleExploration.Generative)
    {
        ArgumentNullException.ThrowIfNull(game);
        ExactGlobalQ(game, localPolicy, k, out byte[] globalActions);
        var modelConfig = TrainingConfig.Default(k) with { Threads = 1, LocalOutput = LocalPolicyOutput.Greedy };
        LStepResult exact = new Training.LStep(game, modelConfig).Solve(localPolicy, globalActions, seed);

        // The rollout that estimates μ grows with the budget, so both error sources shrink together.
        var settings = new ModelFreeSettings { LSamplesPerPair = samplesPerPair, MeanFieldSteps = Math.Max(200, 10 * samplesPerPair), Exploration = exploration };
        var learner = new SampledLStep(new TableGameSimulator(game), modelConfig with { ModelFree = settings });
        LStepResult learned = learner.Solve(localPolicy, globalActions, seed);
        return Compare("L", k, samplesPerPair, learner.GlobalSamples + learner.LocalSamples, seed, learned.Q, exact.Q, game.LocalActions);
    }

    /// <summary>The exact-mode G-step's Q at its fixed point and its greedy actions.</summary>
    internal static double[] ExactGlobalQ(Game game, double[] localPolicy, int k, out byte[] actions)
    {
        var config = new TrainingConfig { K = k, Mode = GStepMode.Exact, GTolerance = 1e-10, GMaxSweeps = 100_000, Threads = 1 };
        var step = new Training.GStep(game, config);
        GStepResult result = step.Solve(localPolicy, k, 0);
        actions = result.Actions;
        return step.QTable(localPolicy, k, 0, result.Value);
    }

    private static SampleComplexityPoint Compare(string name, int k, int samplesPerPair, long samples, ulong seed, double[] q, double[] qStar, int actions)
    {
        double qError = 0, vError = 0;
        int agree = 0, states = q.Length / actions;
        for (int s = 0; s < states; s++)
        {
            int best = 0, bestStar = 0;
            for (int a = 0; a < actions; a++)
            {
                int i = (s * actions) + a;
                qError = Math.Max(qError, Math.Abs(q[i] - qStar[i]));
                best = q[i] > q[(s * actions) + best] ? a : best;
                bestStar = qStar[i] > qStar[(s * actions) + bestStar] ? a : bestStar;
            }

            vError = Math.Max(vError, Math.Abs(q[(s * actions) + best] - qStar[(s * actions) + bestStar]));
            agree += best == bestStar ? 1 : 0;
        }

        return new SampleComplexityPoint(name, k, samplesPerPair, samples, seed, qError, vError, (double)agree / states);
    }
}
