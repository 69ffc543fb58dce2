using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Heterogeneity;

/// <summary>What the gateway of a policy pair counts on a typed fleet (docs/heterogeneity.md).</summary>
public enum TypedObservation
{
    /// <summary>Counts of local states only (a type-blind pair: its tables have <c>|S_l|</c> local states).</summary>
    Blind = 0,

    /// <summary>Counts per (type, state) (a typed pair, trained on <see cref="TypedGame.Expanded"/>: <c>T·|S_l|</c> local states).</summary>
    Typed = 1,
}

/// <summary>A gateway table played instead of the pair's (a gateway deviation, docs/heterogeneity.md "Nash gap").</summary>
/// <param name="Observation">What it counts.</param>
/// <param name="K">Its sample size.</param>
/// <param name="Table"><c>π_g</c> at <c>[s_g · C + rank(c)]</c>, <c>C</c> the count vectors of <paramref name="K"/> over the observed classes.</param>
public sealed record GatewayTable(TypedObservation Observation, int K, int[] Table);

/// <summary>
/// Everything <see cref="TypedFleetSimulator"/> reads, precomputed once per evaluation: per-type local tables, the pair's
/// gateway table and its per-type robot policy, in the threshold layouts of <see cref="EvaluationTables"/> with the type
/// outermost. Immutable; shared by all workers.
/// </summary>
/// <remarks>
/// A pair over <c>|S_l|</c> local states is type-blind: every type draws from the same <c>π_l(· | s_l, s_g)</c> and the gateway
/// counts states. A pair over <c>T·|S_l|</c> local states is typed (<see cref="TypedGame.Expanded"/> layout, <c>x = τ·|S_l| + s_l</c>):
/// type <c>τ</c> draws from rows <c>x</c> and the gateway counts <c>x</c>. The robot-0 deviation <c>σ</c> is always in the typed
/// layout <c>[s_g, τ·|S_l| + s_l, a_l]</c> (robot 0 plays the row of its own type).
/// </remarks>
public sealed class TypedFleetTables
{
    /// <summary>Initializes a new instance of the <see cref="TypedFleetTables"/> class.</summary>
    /// <param name="game">The typed fleet.</param>
    /// <param name="policies">A blind or typed pair (class remarks); needs a gateway table for exactly <paramref name="k"/>.</param>
    /// <param name="k">Robots sampled per step.</param>
    /// <param name="deviatorLocalPolicy">Robot 0's <c>σ</c>, typed layout, or null.</param>
    /// <param name="gatewayObservesAll">The gateway counts all <c>n</c> robots and looks up the rounding of <c>k·N/n</c> (a deviation).</param>
    /// <param name="gateway">A gateway table to play instead of the pair's (then <paramref name="k"/> is ignored), or null.</param>
    /// <exception cref="ArgumentException">Shapes disagree or the pair has no table for <paramref name="k"/>.</exception>
    public TypedFleetTables(TypedGame game, PolicyPair policies, int k, double[]? deviatorLocalPolicy = null, bool gatewayObservesAll = false, GatewayTable? gateway = null)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(policies);
        Game b = game.Template;
        Types = game.TypeCount;
        GlobalStates = b.GlobalStates;
        GlobalActions = b.GlobalActions;
        LocalStates = b.LocalStates;
        LocalActions = b.LocalActions;
        AgentCount = b.AgentCount;
        Gamma = b.Gamma;
        k = gateway?.K ?? k;
        K = k;
        GatewayObservesAll = gatewayObservesAll;
        int t = Types, g = GlobalStates, l = LocalStates, a = LocalActions;
        LocalPolicyLayout = policies.LocalStates == l ? TypedObservation.Blind
            : policies.LocalStates == t * l ? TypedObservation.Typed
            : throw new ArgumentException($"the pair has |S_l| = {policies.LocalStates}: a pair for game '{game.Name}' has |S_l| = {l} (type-blind) or T·|S_l| = {t * l} (typed)", nameof(policies));
        if (policies.GlobalStates != g || policies.GlobalActionCount != GlobalActions || policies.LocalActionCount != a)
        {
            throw new ArgumentException($"policy shape (|S_g|={policies.GlobalStates}, |A_g|={policies.GlobalActionCount}, |A_l|={policies.LocalActionCount}) does not match game '{game.Name}'", nameof(policies));
        }

        if (k < 1 || k > AgentCount)
        {
            throw new ArgumentException($"k={k} is outside [1, n={AgentCount}]", nameof(k));
        }

        Observation = gateway?.Observation ?? LocalPolicyLayout;
        int[]? table = gateway?.Table ?? (k >= policies.KMin && k <= policies.K ? policies.GlobalActions[k - policies.KMin] : null);
        if (table is null)
        {
            throw new ArgumentException($"the pair has no gateway table for k = {k} (the typed fleet simulator does not degrade to smaller tables)", nameof(policies));
        }

        ObservedStates = Observation == TypedObservation.Typed ? t * l : l;
        Ranker = new CountRanker(ObservedStates, k);
        CountVectors = Ranker.Count(k);
        if (table.Length != g * CountVectors)
        {
            throw new ArgumentException($"gateway table for k={k} has {table.Length} entries, expected |S_g|·{CountVectors}", nameof(policies));
        }

        GlobalActionTable = table;
        LocalPolicyThresholds = PolicyThresholds(policies.LocalPolicy, LocalPolicyLayout == TypedObservation.Typed, "π_l");
        LocalPolicyByteThresholds = ByteThresholds(policies.LocalPolicy, LocalPolicyLayout == TypedObservation.Typed);
        DeviatorPolicyThresholds = deviatorLocalPolicy is null ? null : PolicyThresholds(deviatorLocalPolicy, typedLayout: true, "σ");

        LocalTransitionThresholds = new long[t * g * l * a * (l - 1)];
        LocalReward = new double[t * g * l * a];
        var row = new double[l];
        for (int type = 0; type < t; type++)
        {
            RobotType rt = game.Types[type];
            for (int sg = 0; sg < g; sg++)
            {
                for (int s = 0; s < l; s++)
                {
                    for (int act = 0; act < a; act++)
                    {
                        int cell = (((((type * g) + sg) * l) + s) * a) + act;
                        LocalReward[cell] = rt.LocalReward[b.LocalRewardIndex(s, sg, act)];
                        Normalise(rt.LocalTransition, b.LocalTransitionIndex(s, sg, act, 0), l, row);
                        CumulativeThresholds.Build(row, 0, l, LocalTransitionThresholds, cell * (l - 1));
                    }
                }
            }
        }

        GlobalReward = b.GlobalReward;
        GlobalTransitionThresholds = new long[g * GlobalActions * (g - 1)];
        for (int cell = 0; cell < g * GlobalActions; cell++)
        {
            CumulativeThresholds.Build(b.GlobalTransition, cell * g, g, GlobalTransitionThresholds, cell * (g - 1));
        }

        InitialGlobalThresholds = new long[g - 1];
        CumulativeThresholds.Build(b.InitialGlobal, 0, g, InitialGlobalThresholds, 0);
        InitialLocalKind = b.InitialLocalKind;
        InitialLocal = b.InitialLocal;
        InitialLocalProbabilities = new double[l];
        if (InitialLocalKind == InitialLocalKind.Fixed)
        {
            Normalise(b.InitialLocal, 0, l, InitialLocalProbabilities);
        }

        TypeThresholds = new long[Math.Max(0, t - 1)];
        CumulativeThresholds.Build(game.Shares, 0, t, TypeThresholds, 0);
    }

    /// <summary>Gets <c>T</c>.</summary>
    public int Types { get; }

    /// <summary>Gets <c>|S_g|</c>.</summary>
    public int GlobalStates { get; }

    /// <summary>Gets <c>|A_g|</c>.</summary>
    public int GlobalActions { get; }

    /// <summary>Gets <c>|S_l|</c> (a type's own states).</summary>
    public int LocalStates { get; }

    /// <summary>Gets <c>|A_l|</c>.</summary>
    public int LocalActions { get; }

    /// <summary>Gets <c>n</c>.</summary>
    public int AgentCount { get; }

    /// <summary>Gets <c>γ</c>.</summary>
    public double Gamma { get; }

    /// <summary>Gets <c>k</c>.</summary>
    public int K { get; }

    /// <summary>Gets what the gateway counts.</summary>
    public TypedObservation Observation { get; }

    /// <summary>Gets whether <c>π_l</c> is one policy for all types (<see cref="TypedObservation.Blind"/>) or one per type.</summary>
    public TypedObservation LocalPolicyLayout { get; }

    /// <summary>Gets the number of counted classes: <c>|S_l|</c> (blind) or <c>T·|S_l|</c> (typed).</summary>
    public int ObservedStates { get; }

    /// <summary>Gets a value indicating whether the gateway observes all robots (a deviation).</summary>
    public bool GatewayObservesAll { get; }

    /// <summary>Gets the ranker of count vectors over <see cref="ObservedStates"/> classes.</summary>
    public CountRanker Ranker { get; }

    /// <summary>Gets <c>C(k + O − 1, O − 1)</c>.</summary>
    public int CountVectors { get; }

    /// <summary>Gets <c>π_g</c> at <c>[s_g · C + rank(c)]</c>.</summary>
    public int[] GlobalActionTable { get; }

    /// <summary>Gets <c>π_l</c> thresholds at <c>((τ·|S_g| + s_g)·|S_l| + s_l)·(|A_l| − 1)</c>.</summary>
    public long[] LocalPolicyThresholds { get; }

    /// <summary>
    /// Gets the firmware's 8-bit cumulative weights of <c>π_l</c> (the policy file's quantisation, <see cref="LocalPolicyQuantizer"/>),
    /// same row layout as <see cref="LocalPolicyThresholds"/>: what device-exact runs draw from (one byte per robot and step).
    /// </summary>
    public int[] LocalPolicyByteThresholds { get; }

    /// <summary>Gets robot 0's <c>σ</c> thresholds (same layout), or null.</summary>
    public long[]? DeviatorPolicyThresholds { get; }

    /// <summary>Gets <c>P_l^τ</c> thresholds at <c>(((τ·|S_g| + s_g)·|S_l| + s_l)·|A_l| + a_l)·(|S_l| − 1)</c>.</summary>
    public long[] LocalTransitionThresholds { get; }

    /// <summary>Gets <c>r_l^τ</c> at <c>((τ·|S_g| + s_g)·|S_l| + s_l)·|A_l| + a_l</c>.</summary>
    public double[] LocalReward { get; }

    /// <summary>Gets <c>r_g</c>, flat <c>[s_g, a_g]</c>.</summary>
    public double[] GlobalReward { get; }

    /// <summary>Gets <c>P_g</c> thresholds at <c>(s_g·|A_g| + a_g)·(|S_g| − 1)</c>.</summary>
    public long[] GlobalTransitionThresholds { get; }

    /// <summary>Gets the initial global thresholds.</summary>
    public long[] InitialGlobalThresholds { get; }

    /// <summary>Gets how initial local states are drawn.</summary>
    public InitialLocalKind InitialLocalKind { get; }

    /// <summary>Gets the fixed distribution or Dirichlet <c>α</c> over <c>|S_l|</c>.</summary>
    public double[] InitialLocal { get; }

    /// <summary>Gets the normalised fixed initial distribution (unused for Dirichlet).</summary>
    public double[] InitialLocalProbabilities { get; }

    /// <summary>Draws a rollout's initial state as <see cref="EvaluationTables.DrawInitialState(EdgeMarl.Shared.Random.Pcg32, int[], double[], long[])"/> does.</summary>
    /// <param name="environment">The rollout's environment generator, freshly seeded.</param>
    /// <param name="localStates">Receives every robot's initial local state.</param>
    /// <param name="scratchProbabilities">Scratch of length <c>|S_l|</c> (the drawn <c>p</c>).</param>
    /// <param name="scratchThresholds">Scratch of length <c>|S_l| − 1</c>.</param>
    /// <returns>The initial global state.</returns>
    public int DrawInitialState(EdgeMarl.Shared.Random.Pcg32 environment, int[] localStates, double[] scratchProbabilities, long[] scratchThresholds) =>
        EvaluationTables.DrawInitialState(environment, InitialGlobalThresholds, GlobalStates, LocalStates, InitialLocalKind, InitialLocal, InitialLocalProbabilities, localStates, scratchProbabilities, scratchThresholds);

    /// <summary>Gets the thresholds of the type shares (<c>T − 1</c> entries).</summary>
    public long[] TypeThresholds { get; }

    private long[] PolicyThresholds(double[] policy, bool typedLayout, string what)
    {
        int t = Types, g = GlobalStates, l = LocalStates, a = LocalActions;
        int rowsPerGlobal = typedLayout ? t * l : l;
        if (policy.Length != g * rowsPerGlobal * a)
        {
            throw new ArgumentException($"{what} has {policy.Length} entries, expected |S_g|·{rowsPerGlobal}·|A_l| = {g * rowsPerGlobal * a}", nameof(policy));
        }

        var thresholds = new long[t * g * l * (a - 1)];
        var row = new double[a];
        for (int type = 0; type < t; type++)
        {
            for (int sg = 0; sg < g; sg++)
            {
                for (int s = 0; s < l; s++)
                {
                    int source = (sg * rowsPerGlobal) + (typedLayout ? (type * l) + s : s);
                    Normalise(policy, source * a, a, row);
                    CumulativeThresholds.Build(row, 0, a, thresholds, ((((type * g) + sg) * l) + s) * (a - 1));
                }
            }
        }

        return thresholds;
    }

    /// <summary>The 8-bit cumulative weights per row, as <see cref="EvaluationTables.LocalPolicyByteThresholds"/> builds them.</summary>
    private int[] ByteThresholds(double[] policy, bool typedLayout)
    {
        int t = Types, g = GlobalStates, l = LocalStates, a = LocalActions;
        int rowsPerGlobal = typedLayout ? t * l : l;
        var thresholds = new int[t * g * l * (a - 1)];
        var row = new double[a];
        var weights = new int[a];
        for (int type = 0; type < t; type++)
        {
            for (int sg = 0; sg < g; sg++)
            {
                for (int s = 0; s < l; s++)
                {
                    int source = (sg * rowsPerGlobal) + (typedLayout ? (type * l) + s : s);
                    Normalise(policy, source * a, a, row);
                    LocalPolicyQuantizer.QuantizeRow(row, weights);
                    int cumulative = 0;
                    for (int act = 0; act < a - 1; act++)
                    {
                        cumulative += weights[act];
                        thresholds[(((((type * g) + sg) * l) + s) * (a - 1)) + act] = cumulative;
                    }
                }
            }
        }

        return thresholds;
    }

    /// <summary>As <see cref="EvaluationTables"/>: divide by the row's sum (so a blind pair's rows give the same thresholds).</summary>
    private static void Normalise(double[] source, int offset, int count, double[] target)
    {
        double total = 0;
        for (int j = 0; j < count; j++)
        {
            total += source[offset + j];
        }

        if (!(total > 0) || double.IsInfinity(total))
        {
            throw new ArgumentException($"a probability row at offset {offset} sums to {total}", nameof(source));
        }

        for (int j = 0; j < count; j++)
        {
            target[j] = source[offset + j] / total;
        }
    }
}
