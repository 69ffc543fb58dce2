// DESIGN.md §2: the G-step "Q-learning on the MDP with state (s_g, c)" and the L-step in the induced MDP, from samples.
using System.Globalization;

namespace EdgeMarl.Host.Training.ModelFree;

/// <summary>
/// Settings of the model-free learners (<see cref="QLearningGStep"/>, <see cref="SampledLStep"/>). Part of
/// <see cref="TrainingConfig.ModelFree"/>, so they enter the config hash.
/// </summary>
public sealed record ModelFreeSettings
{
    /// <summary>Gets the G-step's Q-updates per <c>(s_g, c, a_g)</c> (synchronous Q-learning from a generative model). Default 200.</summary>
    public int GSamplesPerPair { get; init; } = 200;

    /// <summary>Gets the L-step's Q-updates per <c>(s_g, s_l, a_l)</c>. Default 2000.</summary>
    public int LSamplesPerPair { get; init; } = 2000;

    /// <summary>
    /// Gets <c>ω</c> of the learning rate <c>α_t = (1 + (1−γ)·t)^(−ω)</c> for the <c>t</c>-th update of a pair (t from 0);
    /// ω = 1 is the rescaled linear rate of Wainwright (2019), ω ∈ (1/2, 1) the polynomial rates of Even-Dar and Mansour. Default 1.
    /// </summary>
    public double LearningRateExponent { get; init; } = 1.0;

    /// <summary>Gets the robots simulated to estimate the mean field <c>μ(·|s_g)</c> (at most n). Default 100.</summary>
    public int MeanFieldPopulation { get; init; } = 100;

    /// <summary>Gets the steps of the mean-field rollout after its burn-in. Default 2000.</summary>
    public int MeanFieldSteps { get; init; } = 2000;

    /// <summary>Gets the burn-in steps of the mean-field rollout (not counted in μ). Default 100.</summary>
    public int MeanFieldBurnIn { get; init; } = 100;

    /// <summary>
    /// Gets how both learners gather their samples: <see cref="SampleExploration.Generative"/> (default: synchronous Q-learning,
    /// every state-action pair sampled each iteration, no exploration policy needed) or <see cref="SampleExploration.EpsilonGreedy"/>
    /// (asynchronous Q-learning along simulated trajectories of the sampled-<c>k</c> system and of the induced MDP, ε-greedy actions).
    /// </summary>
    public SampleExploration Exploration { get; init; } = SampleExploration.Generative;

    /// <summary>Gets ε at the first transition of an ε-greedy learner (falls linearly to <see cref="EpsilonEnd"/> over the budget). Default 1.</summary>
    public double EpsilonStart { get; init; } = 1.0;

    /// <summary>Gets ε at the last transition of an ε-greedy learner. Default 0.05.</summary>
    public double EpsilonEnd { get; init; } = 0.05;

    /// <summary>Gets the transitions of one trajectory before it restarts from a uniformly drawn <c>(s_g, c)</c> or <c>(s_g, s_l)</c> (exploring starts). Default 50.</summary>
    public int EpisodeLength { get; init; } = 50;

    /// <summary>Gets the trajectories simulated side by side (one simulator batch per step of all of them). Default 256.</summary>
    public int Walkers { get; init; } = 256;

    /// <summary>Gets the canonical JSON (keys sorted) that enters the config hash; the exploration keys only when one differs from its default, so earlier hashes stay as they were.</summary>
    public string ToCanonicalJson()
    {
        var d = new ModelFreeSettings();
        bool exploration = Exploration != d.Exploration || !EpsilonStart.Equals(d.EpsilonStart) || !EpsilonEnd.Equals(d.EpsilonEnd) || EpisodeLength != d.EpisodeLength || Walkers != d.Walkers;
        CultureInfo c = CultureInfo.InvariantCulture;
        string head = exploration
            ? string.Create(c, $"\"episodeLength\":{EpisodeLength},\"epsilonEnd\":{EpsilonEnd.ToString("R", c)},\"epsilonStart\":{EpsilonStart.ToString("R", c)},\"exploration\":\"{Exploration}\",")
            : string.Empty;
        string tail = exploration ? string.Create(c, $",\"walkers\":{Walkers}") : string.Empty;
        return string.Create(
            c,
            $"{{{head}\"gSamplesPerPair\":{GSamplesPerPair},\"lSamplesPerPair\":{LSamplesPerPair},\"learningRateExponent\":{LearningRateExponent.ToString("R", c)},\"meanFieldBurnIn\":{MeanFieldBurnIn},\"meanFieldPopulation\":{MeanFieldPopulation},\"meanFieldSteps\":{MeanFieldSteps}{tail}}}");
    }

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        Require(GSamplesPerPair >= 1, nameof(GSamplesPerPair), "must be at least 1");
        Require(LSamplesPerPair >= 1, nameof(LSamplesPerPair), "must be at least 1");
        Require(LearningRateExponent > 0.5 && LearningRateExponent <= 1, nameof(LearningRateExponent), "must be in (0.5, 1] (Robbins–Monro)");
        Require(MeanFieldPopulation >= 1, nameof(MeanFieldPopulation), "must be at least 1");
        Require(MeanFieldSteps >= 1 && MeanFieldBurnIn >= 0, nameof(MeanFieldSteps), "steps must be >= 1 and burn-in >= 0");
        Require(EpsilonStart >= 0 && EpsilonStart <= 1 && EpsilonEnd >= 0 && EpsilonEnd <= 1, nameof(EpsilonStart), "and epsilonEnd must be in [0, 1]");
        Require(EpisodeLength >= 1, nameof(EpisodeLength), "must be at least 1");
        Require(Walkers >= 1, nameof(Walkers), "must be at least 1");
    }

    /// <summary>Returns <c>α_t = (1 + (1−γ)·t)^(−ω)</c>.</summary>
    internal double LearningRate(double gamma, int t) => Math.Pow(1.0 + ((1.0 - gamma) * t), -LearningRateExponent);

    /// <summary>Returns the ε-greedy schedule's <c>ε</c> after <paramref name="done"/> of <paramref name="budget"/> transitions: linear from <see cref="EpsilonStart"/> to <see cref="EpsilonEnd"/>.</summary>
    internal double Epsilon(long done, long budget) => EpsilonEnd + ((EpsilonStart - EpsilonEnd) * Math.Max(0, 1 - ((double)done / budget)));

    private static void Require(bool ok, string name, string message)
    {
        if (!ok)
        {
            throw new ArgumentException("training config: modelFree." + name + " " + message, name);
        }
    }
}

/// <summary>How the model-free learners gather samples (docs/model-free.md "Exploration").</summary>
public enum SampleExploration
{
    /// <summary>Synchronous Q-learning with a generative model: every <c>(s_g, c, a_g)</c> is sampled every iteration.</summary>
    Generative = 0,

    /// <summary>Asynchronous Q-learning along trajectories (the sampled-<c>k</c> system; the induced MDP), ε-greedy actions, exploring starts.</summary>
    EpsilonGreedy = 1,
}
