namespace EdgeMarl.Host.Games;

/// <summary>How each robot's initial local state is drawn at the start of an evaluation rollout.</summary>
public enum InitialLocalKind
{
    /// <summary>Every robot draws its state i.i.d. from the fixed distribution <see cref="Game.InitialLocal"/>.</summary>
    Fixed = 0,

    /// <summary>
    /// Per rollout, <c>p ~ Dirichlet(α)</c> with <c>α = </c><see cref="Game.InitialLocal"/>; then every robot
    /// draws its state i.i.d. from <c>p</c> (the zones benchmark, docs/reference-benchmark.md).
    /// </summary>
    Dirichlet = 1,
}

/// <summary>
/// One global agent and <c>n</c> homogeneous local agents (docs/design.md §1), as dense row-major tables.
/// </summary>
/// <remarks>
/// Index layout (flat arrays, last index fastest):
/// <list type="bullet">
/// <item><c>P_g[s_g, a_g, s_g']</c> → <see cref="GlobalTransitionIndex"/>.</item>
/// <item><c>P_l[s_l, s_g, a_l, s_l']</c> → <see cref="LocalTransitionIndex"/>.</item>
/// <item><c>r_g[s_g, a_g]</c> → <c>s_g·|A_g| + a_g</c>.</item>
/// <item><c>r_l[s_l, s_g, a_l]</c> → <see cref="LocalRewardIndex"/>.</item>
/// </list>
/// Instances are immutable after validation (GameValidator) accepted them; learners read the arrays directly.
/// </remarks>
public sealed class Game
{
    public Game(
        string name,
        int globalStates,
        int globalActions,
        int localStates,
        int localActions,
        double[] globalTransition,
        double[] localTransition,
        double[] globalReward,
        double[] localReward,
        double gamma,
        int agentCount,
        double[] initialGlobal,
        InitialLocalKind initialLocalKind,
        double[] initialLocal)
    {
        Name = name;
        GlobalStates = globalStates;
        GlobalActions = globalActions;
        LocalStates = localStates;
        LocalActions = localActions;
        GlobalTransition = globalTransition;
        LocalTransition = localTransition;
        GlobalReward = globalReward;
        LocalReward = localReward;
        Gamma = gamma;
        AgentCount = agentCount;
        InitialGlobal = initialGlobal;
        InitialLocalKind = initialLocalKind;
        InitialLocal = initialLocal;
    }

    /// <summary>Gets the game's name (built-in name or the JSON file's <c>name</c>).</summary>
    public string Name { get; }

    /// <summary>Gets <c>|S_g|</c>.</summary>
    public int GlobalStates { get; }

    /// <summary>Gets <c>|A_g|</c>.</summary>
    public int GlobalActions { get; }

    /// <summary>Gets <c>|S_l|</c>.</summary>
    public int LocalStates { get; }

    /// <summary>Gets <c>|A_l|</c>.</summary>
    public int LocalActions { get; }

    /// <summary>Gets <c>P_g(s_g' | s_g, a_g)</c>, flat <c>[s_g, a_g, s_g']</c>.</summary>
    public double[] GlobalTransition { get; }

    /// <summary>Gets <c>P_l(s_l' | s_l, s_g, a_l)</c>, flat <c>[s_l, s_g, a_l, s_l']</c>.</summary>
    public double[] LocalTransition { get; }

    /// <summary>Gets <c>r_g(s_g, a_g)</c>, flat <c>[s_g, a_g]</c>.</summary>
    public double[] GlobalReward { get; }

    /// <summary>Gets <c>r_l(s_l, s_g, a_l)</c>, flat <c>[s_l, s_g, a_l]</c>.</summary>
    public double[] LocalReward { get; }

    /// <summary>Gets the discount <c>γ ∈ (0, 1)</c>.</summary>
    public double Gamma { get; }

    /// <summary>Gets the fleet size <c>n</c>.</summary>
    public int AgentCount { get; }

    /// <summary>Gets the distribution of the initial global state, length <c>|S_g|</c>.</summary>
    public double[] InitialGlobal { get; }

    /// <summary>Gets how robots' initial states are drawn.</summary>
    public InitialLocalKind InitialLocalKind { get; }

    /// <summary>Gets the initial local distribution (<see cref="InitialLocalKind.Fixed"/>) or Dirichlet <c>α</c>, length <c>|S_l|</c>.</summary>
    public double[] InitialLocal { get; }

    /// <summary>Gets optional names of states and actions (summaries only; learners ignore them).</summary>
    public GameLabels? Labels { get; init; }

    /// <summary>Gets an optional one-paragraph description of the game.</summary>
    public string? Description { get; init; }

    /// <summary>Returns the flat index of <c>P_g[s_g, a_g, s_g']</c>.</summary>
    public int GlobalTransitionIndex(int globalState, int globalAction, int nextGlobalState) =>
        (((globalState * GlobalActions) + globalAction) * GlobalStates) + nextGlobalState;

    /// <summary>Returns the flat index of <c>P_l[s_l, s_g, a_l, s_l']</c>.</summary>
    public int LocalTransitionIndex(int localState, int globalState, int localAction, int nextLocalState) =>
        (((((localState * GlobalStates) + globalState) * LocalActions) + localAction) * LocalStates) + nextLocalState;

    /// <summary>Returns the flat index of <c>r_l[s_l, s_g, a_l]</c>.</summary>
    public int LocalRewardIndex(int localState, int globalState, int localAction) =>
        (((localState * GlobalStates) + globalState) * LocalActions) + localAction;

    /// <summary>Returns <c>r_g(s_g, a_g)</c>.</summary>
    public double GlobalRewardAt(int globalState, int globalAction) => GlobalReward[(globalState * GlobalActions) + globalAction];
}
