// DESIGN.md §2 Alternation: the G-step and the L-step are best responses; the alternation does not care how they are
// computed (value iteration on the tables, or Q-learning from a simulator).
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Training.ModelFree;

namespace EdgeMarl.Host.Training;

/// <summary>A global best response to a fixed π_l (the G-step).</summary>
public interface IGlobalBestResponse
{
    /// <summary>Solves for sample size <paramref name="k"/> against <paramref name="localPolicy"/> (flat <c>[s_g, s_l, a_l]</c>).</summary>
    GStepResult Solve(double[] localPolicy, int k, ulong seed, double[]? warmStart = null);

    /// <summary>Solves every <c>k' ∈ [kMin, kMax]</c>; k' uses <c>DeriveSeed(seed, k')</c>.</summary>
    GStepResult[] SolveRange(double[] localPolicy, int kMin, int kMax, ulong seed)
    {
        var results = new GStepResult[kMax - kMin + 1];
        for (int k = kMin; k <= kMax; k++)
        {
            results[k - kMin] = Solve(localPolicy, k, Shared.Random.Pcg32.DeriveSeed(seed, (ulong)k));
        }

        return results;
    }
}

/// <summary>A local best response to a fixed π_g (the L-step).</summary>
public interface ILocalBestResponse
{
    /// <summary>Solves for <c>config.K</c>; <paramref name="globalActions"/> is π_g in G-step layout.</summary>
    LStepResult Solve(double[] currentLocalPolicy, byte[] globalActions, ulong seed, double[]? warmStart = null);
}

/// <summary>Chooses the learners a configuration asks for.</summary>
public static class BestResponses
{
    /// <summary>
    /// Model-based (<see cref="GStep"/>, <see cref="LStep"/>) when <c>config.ModelFree</c> is null, else the model-free
    /// learners reading <paramref name="simulator"/> (or the game's tables through <see cref="TableGameSimulator"/>).
    /// </summary>
    public static (IGlobalBestResponse Global, ILocalBestResponse Local) Create(Game game, TrainingConfig config, IGameSimulator? simulator)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.ModelFree is null)
        {
            return (new ModelBasedGlobal(new GStep(game, config)), new ModelBasedLocal(new LStep(game, config)));
        }

        IGameSimulator source = simulator ?? new TableGameSimulator(game);
        return (new QLearningGStep(source, config), new SampledLStep(source, config));
    }

    /// <summary>The samples both learners drew, or null for model-based learners.</summary>
    internal static SimulatorSamplesRecord? SampleRecord(IGlobalBestResponse global, ILocalBestResponse local, string name) =>
        global is ISampleCounting g && local is ISampleCounting l
            ? new SimulatorSamplesRecord(name, g.GlobalSamples + l.GlobalSamples, g.LocalSamples + l.LocalSamples)
            : null;

    private sealed class ModelBasedGlobal(GStep step) : IGlobalBestResponse
    {
        public GStepResult Solve(double[] localPolicy, int k, ulong seed, double[]? warmStart = null) => step.SolveConsumingWarmStart(localPolicy, k, seed, warmStart); // the alternation passes the last round's V and never reads it again

        public GStepResult[] SolveRange(double[] localPolicy, int kMin, int kMax, ulong seed) => step.SolveRange(localPolicy, kMin, kMax, seed);
    }

    private sealed class ModelBasedLocal(LStep step) : ILocalBestResponse
    {
        public LStepResult Solve(double[] currentLocalPolicy, byte[] globalActions, ulong seed, double[]? warmStart = null) => step.Solve(currentLocalPolicy, globalActions, seed, warmStart);
    }
}
