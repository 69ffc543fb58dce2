// docs/design.md §2 (ALTERNATING-MARL) and docs/reference-benchmark.md "Reference training settings": every knob of training.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeMarl.Host.Evaluation;

namespace EdgeMarl.Host.Training;

/// <summary>How the G-step takes the expectation over the next count vector <c>c'</c> (docs/design.md §2).</summary>
public enum GStepMode
{
    /// <summary><c>m</c> draws of <c>c'</c> per <c>(s_g, c)</c> from the generative model (the paper's subsampled mean-field Q-learning).</summary>
    Sampled = 0,

    /// <summary>The full distribution of <c>c'</c> (convolution of per-state multinomials); small <c>k·|S_l|</c> only.</summary>
    Exact = 1,

    /// <summary><c>c'</c> = largest-remainder rounding of <c>E[c']</c> (the public reference implementation).</summary>
    Rounded = 2,
}

/// <summary>How the G-step solves its Bellman equation.</summary>
public enum GStepSolver
{
    /// <summary>Jacobi value-iteration sweeps over every row until max |ΔV| &lt; tol or the sweep cap (the reference; any mode).</summary>
    ValueIteration = 0,

    /// <summary>
    /// Mode <see cref="GStepMode.Rounded"/>: one backup per row in reverse topological order of the next-count graph, Gauss–Seidel
    /// sweeps only inside its cycles (GStep.Topological.cs); the same fixed point in a few sweeps' time. Other modes use value iteration.
    /// </summary>
    Topological = 1,
}

/// <summary>What the L-step outputs from its Q table.</summary>
public enum LocalPolicyOutput
{
    /// <summary>Deterministic argmax, ties to the lowest action index.</summary>
    Greedy = 0,

    /// <summary>Softmax with the reference temperature <c>τ = max(τ_min, (max Q − min Q)/scale)</c> per <c>(s_g, s_l)</c>.</summary>
    Softmax = 1,
}

/// <summary>How the L-step estimates the mean field <c>μ</c> from which the sampled count vector is drawn.</summary>
public enum MeanFieldEstimate
{
    /// <summary>Reference: iterate <c>μ' ∝ Σ_{s_l} μ(s_l)·(1/|S_g|) Σ_{s_g} P̄_l(·|s_l,s_g)</c> from uniform (s_g treated as uniform).</summary>
    Reference = 0,

    /// <summary>Marginal over <c>s_l</c> of the stationary law of the joint chain <c>(s_g, s_l)</c> under <c>π_g</c> and <c>π_l</c>.</summary>
    Stationary = 1,

    /// <summary>As <see cref="Stationary"/> but conditioned on <c>s_g</c>: <c>c ~ Multinomial(k, μ(·|s_g))</c>, since robots gather where the dispatcher is.</summary>
    StationaryConditional = 2,
}

/// <summary>How the L-step averages <c>P_g(·|s_g, π_g(s_g, c))</c> over <c>c ~ Multinomial(k, μ)</c>.</summary>
public enum InducedTransition
{
    /// <summary>Average over seeded draws of <c>c</c> (the reference: 200 draws per <c>s_g</c>).</summary>
    Sampled = 0,

    /// <summary>Sum over every count vector weighted by its multinomial probability (cheap: <c>O(|S_g|·C(k+|S_l|−1,|S_l|−1))</c>).</summary>
    Exact = 1,
}

/// <summary>The seed of each round's quick value.</summary>
public enum QuickSeedRule
{
    /// <summary>Reference: seed = round index (0-based), independent of the training seed.</summary>
    Round = 0,

    /// <summary>Seed derived from the training seed and the round index.</summary>
    Derived = 1,

    /// <summary>The same seed every round (common random numbers), so rounds are compared on the same noise.</summary>
    Common = 2,
}

/// <summary>Which simulator measures the quick values that rank rounds and candidates (docs/evaluation.md "Composed count simulator").</summary>
public enum QuickValueSimulator
{
    /// <summary>
    /// The evaluator the caller passes to <see cref="AlternatingMarl"/>: the CLI's is the robot-level simulator (one draw per robot
    /// and step, <c>O(n)</c>), or the model-free simulator for a game without tables. The reference preset's.
    /// </summary>
    Robot = 0,

    /// <summary>
    /// <see cref="Evaluation.ComposedCountSimulator"/> on the game's tables: counts of robots per local state moved by one
    /// multinomial per occupied state through <c>Σ_a π_l(a|j,s_g) P_l(·|j,s_g,a)</c>, robot rewards replaced by their expectation
    /// given the counts. The same expected return as <see cref="Robot"/> at a cost per step that does not grow with <c>n</c>
    /// (its draws differ, so single values differ). A game without tables keeps the caller's evaluator.
    /// </summary>
    ComposedCount = 1,
}

/// <summary>When the alternation stops before its round cap.</summary>
public enum StopRule
{
    /// <summary>Reference: two consecutive quick values differ by less than rtol (noisy: can stop while policies still improve).</summary>
    QuickValue = 0,

    /// <summary>A round returns the pair of the previous round (π_g tables equal, π_l within 1e-6 per entry): a fixed point of the best responses.</summary>
    FixedPoint = 1,
}

/// <summary>Which smaller-k pair training at k also considers, lifted to k (issue 18, docs/design.md §2 "Lifted candidates").</summary>
public enum LiftRule
{
    /// <summary>No lifted candidate (the reference; every k trained on its own).</summary>
    None = 0,

    /// <summary>
    /// The pair trained at <c>k' = ⌊k/2⌋</c> (itself trained with this rule, so the chain k/2, k/4, …, 1 of the degradation
    /// tables): about 1/16 of the G-step work at k on zones, since <c>C(k'+4, 4)</c> shrinks ~16× per halving.
    /// </summary>
    Halving = 1,

    /// <summary>The pair trained at <c>k' = k − 1</c> (itself with this rule: every smaller k, as a sweep over 1..k trains them).</summary>
    Every = 2,

    /// <summary>
    /// <see cref="Every"/> while the estimated work of training every <c>k' &lt; k</c> is within <see cref="LiftBudget.BudgetSeconds"/>,
    /// else <see cref="Halving"/> (LiftBudget: decided from the game's sizes, n, k and the settings, never from a measured time). The
    /// source is trained with this rule too, so a large k halves down to the budget and takes every k' below it; a sweep or
    /// <c>monotone</c> over 1..K still trains each k once (LiftCache).
    /// </summary>
    Budgeted = 3,
}

/// <summary>Which gateway tables below k training solves and stores (docs/policy-format.md "Degradation tables").</summary>
public enum DegradationTables
{
    /// <summary>Every <c>k' ∈ [k_min, k)</c> (policy files of format version 2 store them all).</summary>
    Every = 0,

    /// <summary>
    /// The geometric set <c>⌊k/2⌋, ⌊k/4⌋, …, 1</c> within <c>[k_min, k)</c>, what a budgeted policy file stores anyway: the
    /// gateway with <c>m</c> replies reduces them to the largest stored <c>k' ≤ m</c> (ReplyReducer), and so does the evaluator.
    /// About 7% of the G-step work of every table at k = 50 on zones (<c>C(k'+4, 4)</c> shrinks ~16× per halving).
    /// </summary>
    Geometric = 1,
}

/// <summary>Which pair training returns.</summary>
public enum FinalPolicyRule
{
    /// <summary>Reference: the current pair after the last round (the best one only if the last round was reverted or improved).</summary>
    Current = 0,

    /// <summary>The pair with the best quick value.</summary>
    Best = 1,
}

/// <summary>
/// Every setting of <see cref="AlternatingMarl"/>. Defaults (the initialisers) are the reference-compatible values
/// of docs/reference-benchmark.md; <see cref="Default"/> is EdgeMarl's own, better preset.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Gets the sample size <c>k</c> the gateway observes (trained table).</summary>
    public int K { get; init; } = 1;

    /// <summary>Gets the G-step expectation mode. Default: rounded (reference).</summary>
    public GStepMode Mode { get; init; } = GStepMode.Rounded;

    /// <summary>Gets <c>m</c>, draws of <c>c'</c> per <c>(s_g, c)</c> in <see cref="GStepMode.Sampled"/>. Default 32.</summary>
    public int SampledDraws { get; init; } = 32;

    /// <summary>Gets the G-step value-iteration stop: max |ΔV| below this. Default 1e-6.</summary>
    public double GTolerance { get; init; } = 1e-6;

    /// <summary>Gets the G-step sweep cap. Default 100 (the reference always hits it).</summary>
    public int GMaxSweeps { get; init; } = 100;

    /// <summary>Gets how the G-step solves its Bellman equation. Default value iteration (reference).</summary>
    public GStepSolver GSolver { get; init; } = GStepSolver.ValueIteration;

    /// <summary>Gets a value indicating whether each G-step and L-step starts from the previous round's V instead of V = 0. Default false.</summary>
    public bool GWarmStart { get; init; }

    /// <summary>Gets the L-step value-iteration stop: max |ΔV| below this. Default 1e-6.</summary>
    public double LTolerance { get; init; } = 1e-6;

    /// <summary>Gets the L-step sweep cap. Default 100.</summary>
    public int LMaxSweeps { get; init; } = 100;

    /// <summary>Gets the L-step output. Default softmax (reference).</summary>
    public LocalPolicyOutput LocalOutput { get; init; } = LocalPolicyOutput.Softmax;

    /// <summary>Gets <c>τ_min</c> of the softmax temperature rule. Default 0.3.</summary>
    public double SoftmaxTemperatureMin { get; init; } = 0.3;

    /// <summary>Gets the divisor of <c>(max Q − min Q)</c> in the softmax temperature rule. Default 3.</summary>
    public double SoftmaxTemperatureScale { get; init; } = 3.0;

    /// <summary>Gets how <c>μ</c> is estimated. Default reference.</summary>
    public MeanFieldEstimate MeanField { get; init; } = MeanFieldEstimate.Reference;

    /// <summary>Gets the iterations of the reference <c>μ</c> recursion (and the cap on evaluations of the stationary ones' fixed point, which stops earlier at a residual below 1e−12). Default 50.</summary>
    public int MeanFieldIterations { get; init; } = 50;

    /// <summary>Gets how the L-step's induced global transition is averaged. Default sampled (reference).</summary>
    public InducedTransition InducedGlobal { get; init; } = InducedTransition.Sampled;

    /// <summary>Gets the draws of <c>c ~ Multinomial(k, μ)</c> per <c>s_g</c> in <see cref="InducedTransition.Sampled"/>. Default 200.</summary>
    public int InducedDraws { get; init; } = 200;

    /// <summary>Gets the alternation round cap. Default 5.</summary>
    public int MaxRounds { get; init; } = 5;

    /// <summary>Gets the relative tolerance for revert and convergence. Default 0.01.</summary>
    public double RelativeTolerance { get; init; } = 0.01;

    /// <summary>Gets the early-stop rule. Default quick value (reference).</summary>
    public StopRule Stop { get; init; } = StopRule.QuickValue;

    /// <summary>Gets the rollouts of each round's quick value. Default 20.</summary>
    public int QuickRollouts { get; init; } = 20;

    /// <summary>Gets the horizon of each round's quick value. Default 30.</summary>
    public int QuickHorizon { get; init; } = 30;

    /// <summary>Gets the rule for the quick value's seed. Default round index (reference).</summary>
    public QuickSeedRule QuickSeed { get; init; } = QuickSeedRule.Round;

    /// <summary>
    /// Gets which global state conditions the robots' move in the quick value's rollouts. Default the current one
    /// (docs/design.md §1); the reference preset uses the next one, as the reference's evaluator does.
    /// </summary>
    public LocalTransitionTiming QuickTiming { get; init; } = LocalTransitionTiming.CurrentGlobalState;

    /// <summary>
    /// Gets which simulator measures the quick values: the evaluator passed to <see cref="AlternatingMarl"/> (default, the
    /// reference preset's; the CLI passes the robot-level one) or the composed count simulator (the default preset's).
    /// </summary>
    public QuickValueSimulator QuickSimulator { get; init; } = QuickValueSimulator.Robot;

    /// <summary>
    /// Gets whether to train twice, once with softmax and once with greedy robots, and keep the pair with the higher final
    /// quick value (needs <see cref="QuickSeedRule.Common"/>, so both are measured on the same random numbers). Default
    /// false. On zones greedy robots win at small k (sharper local best responses) and softmax at large k (greedy ones
    /// stall at a poor fixed point), so neither output alone is best everywhere (docs/reproduction.md).
    /// </summary>
    public bool RobotOutputPortfolio { get; init; }

    /// <summary>
    /// Gets which smaller-k pair is lifted to k: the gateway subsamples its k replies to k' (<c>ReplyReducer</c>, exactly as the
    /// firmware's DegradedLookup) and acts by the k' table. The lifted pair is one more candidate (measured by the same quick
    /// value, common random numbers) and a further alternation at k warm starts from its π_l; the best quick value wins. Needs
    /// <see cref="RobotOutputPortfolio"/> and the table learners (ignored with <see cref="ModelFree"/>). Default none.
    /// </summary>
    public LiftRule Lift { get; init; } = LiftRule.None;

    /// <summary>
    /// Gets which tables below k are solved (against the π_l the final π_g answered) and stored: every <c>k' ∈ [k_min, k)</c>,
    /// or the geometric set <c>⌊k/2⌋, ⌊k/4⌋, …</c> a policy file's degradation rule reduces replies to. Default every.
    /// </summary>
    public DegradationTables Tables { get; init; } = DegradationTables.Every;

    /// <summary>Gets which pair is returned. Default current (reference).</summary>
    public FinalPolicyRule FinalPolicy { get; init; } = FinalPolicyRule.Current;

    /// <summary>Gets the training seed (sampled draws, L-step draws, derived quick seeds). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Gets the smallest <c>k'</c> whose <c>π_g</c> table is exported. Default 1.</summary>
    public int KMin { get; init; } = 1;

    /// <summary>Gets the worker threads; 0 = all cores. Default 0. Results never depend on it (not part of <see cref="ConfigHash"/>).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Gets the model-free learners' settings: null (default) trains on the game's tables (<see cref="GStep"/>,
    /// <see cref="LStep"/>); set, both steps learn from simulator samples (ModelFree/QLearningGStep, SampledLStep, docs/model-free.md).
    /// </summary>
    public ModelFree.ModelFreeSettings? ModelFree { get; init; }

    /// <summary>Gets the largest CSR entry count <c>|S_g|·C(k+|S_l|−1,|S_l|−1)²</c> the exact G-step accepts. Default 20,000,000.</summary>
    public long ExactEntryLimit { get; init; } = 20_000_000;

    /// <summary>The reference implementation's settings (docs/reference-benchmark.md), for reproduction.</summary>
    /// <param name="k">Sample size.</param>
    /// <returns>The preset.</returns>
    public static TrainingConfig ReferenceCompatible(int k) => new() { K = k, QuickTiming = LocalTransitionTiming.NextGlobalState };

    /// <summary>
    /// EdgeMarl's own settings: the G-step solved to its fixed point component by component (GStepSolver.Topological) with warm
    /// starts, the exact induced transition, the s_g-conditional stationary μ, a portfolio of softmax and greedy robots (greedy
    /// ones win at small k, stall at a poor fixed point at large k on zones), quick values on common random numbers with 5× the
    /// rollouts and horizon 50 on the composed count simulator (QuickValueSimulator.ComposedCount: cost per step independent of n), stop at a fixed point of the best responses (not on two close quick values), at most 10
    /// rounds, best pair returned, and a pair trained at a smaller k lifted to k as a further candidate (LiftRule.Budgeted: from k − 1
    /// while every smaller k is cheap to train, else from ⌊k/2⌋).
    /// </summary>
    /// <param name="k">Sample size.</param>
    /// <returns>The preset.</returns>
    public static TrainingConfig Default(int k) => new()
    {
        K = k,
        Mode = GStepMode.Rounded,
        GTolerance = 1e-7,
        GMaxSweeps = 2000,
        GSolver = GStepSolver.Topological,
        GWarmStart = true,
        LTolerance = 1e-9,
        LMaxSweeps = 5000,
        LocalOutput = LocalPolicyOutput.Softmax,
        MeanField = MeanFieldEstimate.StationaryConditional,
        InducedGlobal = InducedTransition.Exact,
        MaxRounds = 10,
        Stop = StopRule.FixedPoint,
        RobotOutputPortfolio = true,
        QuickRollouts = 100,
        QuickHorizon = 50,
        QuickSeed = QuickSeedRule.Common,
        QuickSimulator = QuickValueSimulator.ComposedCount,
        FinalPolicy = FinalPolicyRule.Best,
        Lift = LiftRule.Budgeted,
        Tables = DegradationTables.Geometric,
    };

    /// <summary>
    /// Returns the canonical JSON of every setting that can change results (all but <see cref="Threads"/>):
    /// keys in fixed alphabetical order, enums as names, doubles in round-trip form, invariant culture.
    /// </summary>
    /// <returns>UTF-8 JSON text.</returns>
    public string ToCanonicalJson()
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["exactEntryLimit"] = ExactEntryLimit.ToString(CultureInfo.InvariantCulture),
            ["finalPolicy"] = Quote(FinalPolicy.ToString()),
            ["gMaxSweeps"] = GMaxSweeps.ToString(CultureInfo.InvariantCulture),
            ["gSolver"] = Quote(GSolver.ToString()),
            ["gTolerance"] = Number(GTolerance),
            ["gWarmStart"] = GWarmStart ? "true" : "false",
            ["inducedDraws"] = InducedDraws.ToString(CultureInfo.InvariantCulture),
            ["inducedGlobal"] = Quote(InducedGlobal.ToString()),
            ["k"] = K.ToString(CultureInfo.InvariantCulture),
            ["kMin"] = KMin.ToString(CultureInfo.InvariantCulture),
            ["lMaxSweeps"] = LMaxSweeps.ToString(CultureInfo.InvariantCulture),
            ["lTolerance"] = Number(LTolerance),
            ["localOutput"] = Quote(LocalOutput.ToString()),
            ["maxRounds"] = MaxRounds.ToString(CultureInfo.InvariantCulture),
            ["meanField"] = Quote(MeanField.ToString()),
            ["meanFieldIterations"] = MeanFieldIterations.ToString(CultureInfo.InvariantCulture),
            ["mode"] = Quote(Mode.ToString()),
            ["quickHorizon"] = QuickHorizon.ToString(CultureInfo.InvariantCulture),
            ["quickRollouts"] = QuickRollouts.ToString(CultureInfo.InvariantCulture),
            ["quickSeed"] = Quote(QuickSeed.ToString()),
            ["quickTiming"] = Quote(QuickTiming.ToString()),
            ["relativeTolerance"] = Number(RelativeTolerance),
            ["robotOutputPortfolio"] = RobotOutputPortfolio ? "true" : "false",
            ["sampledDraws"] = SampledDraws.ToString(CultureInfo.InvariantCulture),
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["softmaxTemperatureMin"] = Number(SoftmaxTemperatureMin),
            ["softmaxTemperatureScale"] = Number(SoftmaxTemperatureScale),
            ["stop"] = Quote(Stop.ToString()),
        };
        if (Lift != LiftRule.None)
        {
            fields["lift"] = Quote(Lift.ToString()); // only when set, so the hashes of configs without lifting stay as they were
        }

        if (Tables != DegradationTables.Every)
        {
            fields["tables"] = Quote(Tables.ToString()); // only when set, so the hashes of configs storing every table stay as they were
        }

        if (QuickSimulator != QuickValueSimulator.Robot)
        {
            fields["quickSimulator"] = Quote(QuickSimulator.ToString()); // only when set, so the hashes of robot-level quick values stay as they were
        }

        if (ModelFree != null)
        {
            fields["modelFree"] = ModelFree.ToCanonicalJson(); // only when set, so model-based hashes stay as they were
        }

        var text = new StringBuilder("{");
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(Quote(field.Key)).Append(':').Append(field.Value);
        }

        return text.Append('}').ToString();
    }

    /// <summary>Returns the SHA-256 of <see cref="ToCanonicalJson"/> (UTF-8) as lowercase hex: same settings, same hash.</summary>
    /// <returns>64 hex digits.</returns>
    public string ConfigHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson())));

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        Require(K >= 1 && K <= byte.MaxValue, nameof(K), "must be in [1, 255] (count vectors are stored as bytes)");
        Require(KMin >= 1 && KMin <= K, nameof(KMin), "must be in [1, k]");
        Require(SampledDraws >= 1, nameof(SampledDraws), "must be at least 1");
        Require(GTolerance >= 0 && GMaxSweeps >= 1, nameof(GMaxSweeps), "tolerance must be >= 0 and sweeps >= 1");
        Require(LTolerance >= 0 && LMaxSweeps >= 1, nameof(LMaxSweeps), "tolerance must be >= 0 and sweeps >= 1");
        Require(SoftmaxTemperatureMin > 0 && SoftmaxTemperatureScale > 0, nameof(SoftmaxTemperatureMin), "temperature rule must be positive");
        Require(MeanFieldIterations >= 1, nameof(MeanFieldIterations), "must be at least 1");
        Require(InducedDraws >= 1, nameof(InducedDraws), "must be at least 1");
        Require(MaxRounds >= 1, nameof(MaxRounds), "must be at least 1");
        Require(RelativeTolerance >= 0, nameof(RelativeTolerance), "must be >= 0");
        Require(QuickRollouts >= 1 && QuickHorizon >= 1, nameof(QuickRollouts), "rollouts and horizon must be at least 1");
        Require(Threads >= 0, nameof(Threads), "must be >= 0 (0 = all cores)");
        Require(ExactEntryLimit >= 1, nameof(ExactEntryLimit), "must be at least 1");
        ModelFree?.Validate();
        Require(Lift == LiftRule.None || RobotOutputPortfolio, nameof(Lift), "needs RobotOutputPortfolio (the lifted pair is one candidate of the portfolio)");
        Require(!RobotOutputPortfolio || QuickSeed == QuickSeedRule.Common, nameof(RobotOutputPortfolio), "needs QuickSeed = Common (both candidates measured on the same random numbers)");
    }

    internal ParallelOptions ParallelOptions() => new() { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };

    private static void Require(bool ok, string name, string message)
    {
        if (!ok)
        {
            throw new ArgumentException("training config: " + name + " " + message, name);
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
