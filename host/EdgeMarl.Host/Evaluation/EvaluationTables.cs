using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Everything a simulator reads in its step loop, precomputed once per evaluation and laid out for the loop
/// (rows indexed with <c>s_g</c> outermost, since <c>s_g</c> is fixed during a step). Immutable; shared by all workers.
/// </summary>
/// <remarks>
/// Threshold rows (<see cref="CumulativeThresholds"/>) hold <c>m − 1</c> entries:
/// <list type="bullet">
/// <item><see cref="LocalPolicyThresholds"/>: <c>π_l(· | s_l, s_g)</c> at <c>(s_g·L + s_l)·(|A_l|−1)</c>.</item>
/// <item><see cref="LocalTransitionThresholds"/>: <c>P_l(· | s_l, s_g, a_l)</c> at <c>((s_g·L + s_l)·|A_l| + a_l)·(L−1)</c>.</item>
/// <item><see cref="GlobalTransitionThresholds"/>: <c>P_g(· | s_g, a_g)</c> at <c>(s_g·|A_g| + a_g)·(|S_g|−1)</c>.</item>
/// </list>
/// <see cref="LocalReward"/> is <c>r_l</c> at <c>(s_g·L + s_l)·|A_l| + a_l</c>. The count-level simulator reads the
/// normalised probabilities <see cref="LocalPolicy"/> and <see cref="LocalTransition"/> in the same layouts (full rows).
/// </remarks>
public sealed class EvaluationTables
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationTables"/> class.</summary>
    /// <param name="game">The game (validated).</param>
    /// <param name="policies">The policy pair; its shape must match the game.</param>
    /// <param name="k">Sample size; needs a global table for <c>k</c> and <c>1 ≤ k ≤ n</c>.</param>
    /// <param name="timing">Which global state conditions the robots' move.</param>
    /// <param name="deviatorLocalPolicy">
    /// Optional <c>σ(a_l | s_l, s_g)</c>, flat <c>[s_g, s_l, a_l]</c>, played by robot 0 alone while robots 1 … n−1 keep
    /// <c>π_l</c> (the robot deviation of docs/nash-gap.md §6); null (default) for every robot on <c>π_l</c>.
    /// Only the robot-level simulator honours it.
    /// </param>
    /// <exception cref="ArgumentException">Shapes disagree, or there is no table for <paramref name="k"/>.</exception>
    public EvaluationTables(
        Game game, PolicyPair policies, int k, LocalTransitionTiming timing = LocalTransitionTiming.CurrentGlobalState, double[]? deviatorLocalPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(policies);
        if (policies.GlobalStates != game.GlobalStates || policies.LocalStates != game.LocalStates ||
            policies.GlobalActionCount != game.GlobalActions || policies.LocalActionCount != game.LocalActions)
        {
            throw new ArgumentException($"policy shape (|S_g|={policies.GlobalStates}, |A_g|={policies.GlobalActionCount}, |S_l|={policies.LocalStates}, |A_l|={policies.LocalActionCount}) does not match game '{game.Name}'", nameof(policies));
        }

        if (k < 1 || k > game.AgentCount)
        {
            throw new ArgumentException($"k={k} is outside [1, n={game.AgentCount}]", nameof(k));
        }

        // Degradation (docs/policy-format.md): without a table for k, the gateway uses the largest stored k* ≤ k.
        int stored = Math.Min(k, policies.KMin + policies.GlobalActions.Length - 1);
        while (stored >= policies.KMin && policies.GlobalActions[stored - policies.KMin] is null)
        {
            stored--;
        }

        if (stored < policies.KMin || stored < 1)
        {
            throw new ArgumentException($"the policy pair has no global table for any k' in [max(1, {policies.KMin}), k={k}]", nameof(k));
        }

        GlobalStates = game.GlobalStates;
        GlobalActions = game.GlobalActions;
        LocalStates = game.LocalStates;
        LocalActions = game.LocalActions;
        AgentCount = game.AgentCount;
        K = k;
        Timing = timing;
        Gamma = game.Gamma;
        TableSampleSize = stored;
        Ranker = new CountRanker(LocalStates, k);
        CountVectors = Ranker.Count(stored);
        GlobalActionTable = policies.GlobalActions[stored - policies.KMin];
        if (GlobalActionTable.Length != GlobalStates * CountVectors)
        {
            throw new ArgumentException($"global table for k={stored} has {GlobalActionTable.Length} entries, expected |S_g|·C(k+L−1, L−1) = {GlobalStates * CountVectors}", nameof(policies));
        }

        // Vectorised: at k = 50 on zones the table has 1.6 M entries and every quick value builds these tables.
        int outside = GlobalActionTable.AsSpan().IndexOfAnyExceptInRange(0, GlobalActions - 1);
        if (outside >= 0)
        {
            throw new ArgumentException($"global table for k={stored} holds action {GlobalActionTable[outside]}, outside [0, {GlobalActions})", nameof(policies));
        }

        int sg = GlobalStates;
        int l = LocalStates;
        int al = LocalActions;
        LocalPolicy = new double[sg * l * al];
        LocalTransition = new double[sg * l * al * l];
        LocalReward = new double[sg * l * al];
        LocalPolicyThresholds = new long[sg * l * (al - 1)];
        LocalPolicyByteThresholds = new int[sg * l * (al - 1)];
        Span<int> weights = stackalloc int[al];
        LocalTransitionThresholds = new long[sg * l * al * (l - 1)];
        for (int g = 0; g < sg; g++)
        {
            for (int s = 0; s < l; s++)
            {
                int row = (g * l) + s;
                NormaliseInto(policies.LocalPolicy, row * al, al, LocalPolicy, row * al);
                CumulativeThresholds.Build(LocalPolicy, row * al, al, LocalPolicyThresholds, row * (al - 1));
                LocalPolicyQuantizer.QuantizeRow(LocalPolicy.AsSpan(row * al, al), weights);
                int cumulative = 0;
                for (int a = 0; a < al - 1; a++)
                {
                    cumulative += weights[a];
                    LocalPolicyByteThresholds[(row * (al - 1)) + a] = cumulative;
                }
                for (int a = 0; a < al; a++)
                {
                    int cell = (row * al) + a;
                    LocalReward[cell] = game.LocalReward[game.LocalRewardIndex(s, g, a)];
                    NormaliseInto(game.LocalTransition, game.LocalTransitionIndex(s, g, a, 0), l, LocalTransition, cell * l);
                    CumulativeThresholds.Build(LocalTransition, cell * l, l, LocalTransitionThresholds, cell * (l - 1));
                }
            }
        }

        if (deviatorLocalPolicy != null)
        {
            if (deviatorLocalPolicy.Length != sg * l * al)
            {
                throw new ArgumentException($"deviating robot's policy has {deviatorLocalPolicy.Length} entries, expected |S_g|·|S_l|·|A_l| = {sg * l * al}", nameof(deviatorLocalPolicy));
            }

            var normalised = new double[sg * l * al];
            DeviatorPolicyThresholds = new long[sg * l * (al - 1)];
            for (int row = 0; row < sg * l; row++)
            {
                NormaliseInto(deviatorLocalPolicy, row * al, al, normalised, row * al);
                CumulativeThresholds.Build(normalised, row * al, al, DeviatorPolicyThresholds, row * (al - 1));
            }
        }

        GlobalReward = game.GlobalReward;
        GlobalTransitionThresholds = new long[sg * GlobalActions * (sg - 1)];
        for (int cell = 0; cell < sg * GlobalActions; cell++)
        {
            CumulativeThresholds.Build(game.GlobalTransition, cell * sg, sg, GlobalTransitionThresholds, cell * (sg - 1));
        }

        InitialGlobalThresholds = new long[sg - 1];
        CumulativeThresholds.Build(game.InitialGlobal, 0, sg, InitialGlobalThresholds, 0);
        InitialLocalKind = game.InitialLocalKind;
        InitialLocal = game.InitialLocal;
        if (InitialLocalKind == InitialLocalKind.Fixed)
        {
            InitialLocalProbabilities = new double[l];
            NormaliseInto(game.InitialLocal, 0, l, InitialLocalProbabilities, 0);
        }
        else
        {
            foreach (double alpha in InitialLocal)
            {
                if (!(alpha > 0) || double.IsInfinity(alpha))
                {
                    throw new ArgumentException($"Dirichlet concentration {alpha} is not positive and finite", nameof(game));
                }
            }

            InitialLocalProbabilities = [];
        }
    }

    /// <summary>
    /// Draws a rollout's initial state from the environment generator <paramref name="environment"/>, in the order
    /// <see cref="RobotLevelSimulator"/> documents: <c>s_g</c>; then <c>p</c> (Dirichlet or fixed); then every robot's
    /// <c>s_i ~ p</c> in id order. Shared by the evaluator and the fleet's plant, whose traces must agree bit for bit.
    /// </summary>
    /// <param name="environment">The rollout's environment generator, freshly seeded.</param>
    /// <param name="localStates">Receives every robot's initial local state.</param>
    /// <param name="scratchProbabilities">Scratch of length <c>|S_l|</c> (the drawn <c>p</c>).</param>
    /// <param name="scratchThresholds">Scratch of length <c>|S_l| − 1</c>.</param>
    /// <returns>The initial global state.</returns>
    public int DrawInitialState(Pcg32 environment, int[] localStates, double[] scratchProbabilities, long[] scratchThresholds) =>
        DrawInitialState(environment, InitialGlobalThresholds, GlobalStates, LocalStates, InitialLocalKind, InitialLocal, InitialLocalProbabilities, localStates, scratchProbabilities, scratchThresholds);

    /// <summary>
    /// The draw of <see cref="DrawInitialState(Pcg32, int[], double[], long[])"/> on any game's initial laws (the typed fleet's
    /// tables use it too, so typed and untyped rollouts start the same way).
    /// </summary>
    internal static int DrawInitialState(Pcg32 environment, long[] initialGlobalThresholds, int globalStates, int l, InitialLocalKind kind, double[] initialLocal, double[] initialLocalProbabilities, int[] localStates, double[] scratchProbabilities, long[] scratchThresholds)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(localStates);
        int globalState = CumulativeThresholds.Sample(initialGlobalThresholds, 0, globalStates - 1, environment.NextUInt32());
        if (kind == InitialLocalKind.Dirichlet)
        {
            ContinuousSampling.Dirichlet(environment, initialLocal, scratchProbabilities);
            CumulativeThresholds.Build(scratchProbabilities, 0, l, scratchThresholds, 0);
        }
        else
        {
            CumulativeThresholds.Build(initialLocalProbabilities, 0, l, scratchThresholds, 0);
        }

        for (int i = 0; i < localStates.Length; i++)
        {
            localStates[i] = CumulativeThresholds.Sample(scratchThresholds, 0, l - 1, environment.NextUInt32());
        }

        return globalState;
    }

    /// <summary>Returns <c>s_g' ~ P_g(· | s_g, a_g)</c> for one uniform 32-bit draw <paramref name="u"/>.</summary>
    public int NextGlobalState(int globalState, int globalAction, uint u) =>
        CumulativeThresholds.Sample(GlobalTransitionThresholds, ((globalState * GlobalActions) + globalAction) * (GlobalStates - 1), GlobalStates - 1, u);

    /// <summary>
    /// Gets <c>k*</c>, the sample size of the table the gateway looks up: <see cref="K"/> when the policy stores it, else the largest
    /// stored <c>k' &lt; K</c>, to which the <c>K</c> replies are subsampled (<see cref="EdgeMarl.Shared.Sampling.ReplyReducer"/>).
    /// <see cref="CountVectors"/> and <see cref="GlobalActionTable"/> are that table's.
    /// </summary>
    public int TableSampleSize { get; }

    /// <summary>Gets which global state conditions the robots' move.</summary>
    public LocalTransitionTiming Timing { get; }

    /// <summary>Gets <c>|S_g|</c>.</summary>
    public int GlobalStates { get; }

    /// <summary>Gets <c>|A_g|</c>.</summary>
    public int GlobalActions { get; }

    /// <summary>Gets <c>L = |S_l|</c>.</summary>
    public int LocalStates { get; }

    /// <summary>Gets <c>|A_l|</c>.</summary>
    public int LocalActions { get; }

    /// <summary>Gets <c>n</c>.</summary>
    public int AgentCount { get; }

    /// <summary>Gets the sample size <c>k</c>.</summary>
    public int K { get; }

    /// <summary>Gets <c>γ</c>.</summary>
    public double Gamma { get; }

    /// <summary>Gets the ranker of count vectors of sum <c>k</c> (read-only use; thread-safe).</summary>
    public CountRanker Ranker { get; }

    /// <summary>Gets <c>C(k+L−1, L−1)</c>.</summary>
    public int CountVectors { get; }

    /// <summary>Gets <c>π_g</c> for <c>k</c>: <c>a_g = table[s_g · CountVectors + rank(c)]</c>.</summary>
    public int[] GlobalActionTable { get; }

    /// <summary>Gets normalised <c>π_l(a_l | s_l, s_g)</c> at <c>(s_g·L + s_l)·|A_l| + a_l</c>.</summary>
    public double[] LocalPolicy { get; }

    /// <summary>Gets normalised <c>P_l(s_l' | s_l, s_g, a_l)</c> at <c>((s_g·L + s_l)·|A_l| + a_l)·L + s_l'</c>.</summary>
    public double[] LocalTransition { get; }

    /// <summary>Gets <c>r_l</c> at <c>(s_g·L + s_l)·|A_l| + a_l</c>.</summary>
    public double[] LocalReward { get; }

    /// <summary>Gets <c>r_g</c> at <c>s_g·|A_g| + a_g</c>.</summary>
    public double[] GlobalReward { get; }

    /// <summary>Gets the thresholds of <c>π_l</c> (layout in the class remarks).</summary>
    public long[] LocalPolicyThresholds { get; }

    /// <summary>
    /// Gets the 8-bit cumulative thresholds of <c>π_l</c> as the policy file stores them (<see cref="LocalPolicyQuantizer"/>
    /// weights <c>w</c> in 1/256, <c>T_j = Σ_{i≤j} w_i</c>, <c>|A_l| − 1</c> per row, same layout as
    /// <see cref="LocalPolicyThresholds"/>): a byte <c>b</c> draws <c>#{j : T_j ≤ b}</c>, the device's draw.
    /// </summary>
    public int[] LocalPolicyByteThresholds { get; }

    /// <summary>Gets the thresholds of robot 0's deviating policy <c>σ</c> (layout of <see cref="LocalPolicyThresholds"/>), or null when robot 0 plays <c>π_l</c>.</summary>
    public long[]? DeviatorPolicyThresholds { get; }

    /// <summary>
    /// Gets a value indicating whether the gateway observes all <c>n</c> robots instead of a <c>k</c>-sample: it applies its
    /// table for <c>k</c> to the largest-remainder rounding of <c>k·N/n</c> (<c>N</c> = counts of all robots; a
    /// full-observation deviation, docs/nash-gap.md §6). Default false. Only the robot-level simulator honours it.
    /// </summary>
    public bool GatewayObservesAll { get; init; }

    /// <summary>Gets the thresholds of <c>P_l</c> (layout in the class remarks).</summary>
    public long[] LocalTransitionThresholds { get; }

    /// <summary>Gets the thresholds of <c>P_g</c> (layout in the class remarks).</summary>
    public long[] GlobalTransitionThresholds { get; }

    /// <summary>Gets the thresholds of the initial global distribution.</summary>
    public long[] InitialGlobalThresholds { get; }

    /// <summary>Gets how robots' initial states are drawn.</summary>
    public InitialLocalKind InitialLocalKind { get; }

    /// <summary>Gets the game's initial local distribution or Dirichlet <c>α</c>.</summary>
    public double[] InitialLocal { get; }

    /// <summary>Gets the normalised initial local distribution (<see cref="InitialLocalKind.Fixed"/> only; empty otherwise).</summary>
    public double[] InitialLocalProbabilities { get; }

    private static void NormaliseInto(double[] source, int offset, int count, double[] target, int targetOffset)
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
            target[targetOffset + j] = source[offset + j] / total;
        }
    }
}
