using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// The physical world of a fleet run: the game's dynamics applied to what the nodes' actuators command. Sensors read
/// <see cref="GlobalState"/> and <see cref="LocalStates"/>; actuators write <see cref="GlobalAction"/> and
/// <see cref="LocalActions"/>, which hold until overwritten (a motor keeps its last command).
/// </summary>
/// <remarks>
/// <para>The environment generator <c>E</c> is the evaluator's (<see cref="EvaluationSeeds.EnvironmentStream"/>) and is used
/// in the evaluator's order (docs/evaluation.md "exact draw order"): <see cref="Reset"/> draws <c>s_g</c>, then the
/// Dirichlet <c>p</c> (if any), then <c>s_i</c> for <c>i = 0 … n−1</c>; <see cref="Step"/> draws <c>s_i'</c> for
/// <c>i = 0 … n−1</c>, then <c>s_g'</c> (or <c>s_g'</c> first under <see cref="LocalTransitionTiming.NextGlobalState"/>).
/// The robots' action draws come from the robot nodes' own generators, so interleaving them differently from the
/// evaluator changes nothing: with the same actions, the plant's states and rewards equal the evaluator's bit for bit.</para>
/// <para>Typed fleets (docs/heterogeneity.md §8): constructed from <see cref="TypedFleetTables"/> and every robot's type, robot
/// <c>i</c> moves by <c>P_l^τᵢ</c> and earns <c>r_l^τᵢ</c>; its sensor still reads its own <c>s_l</c> (the type is provisioned on the
/// robot, not sensed). The draws are <see cref="TypedFleetSimulator"/>'s (the same order as above; the robots' own move timing).</para>
/// <para>Buffers are owned here and overwritten by every step; no allocation after construction.</para>
/// </remarks>
public sealed class FleetPlant
{
    private readonly EvaluationTables? _tables;
    private readonly TypedFleetTables? _typed;
    private readonly int[] _typeRowBase;
    private readonly long[] _transition;
    private readonly double[] _reward;
    private readonly int _globalStates;
    private readonly int _localStates;
    private readonly Pcg32 _environment = new(0);
    private readonly int[] _states;
    private readonly int[] _localActions;
    private readonly double[] _initialLocal;
    private readonly long[] _initialLocalThresholds;
    private readonly double _inverseN;
    private readonly int _safeAction;

    /// <summary>Initializes a new instance of the <see cref="FleetPlant"/> class.</summary>
    /// <param name="tables">Game tables (the policy part is not used: the nodes decide).</param>
    /// <param name="safeAction">The local action robots hold before their first command and while crashed.</param>
    public FleetPlant(EvaluationTables tables, int safeAction)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _tables = tables;
        _safeAction = safeAction;
        _states = new int[tables.AgentCount];
        _localActions = new int[tables.AgentCount];
        _initialLocal = new double[tables.LocalStates];
        _initialLocalThresholds = new long[tables.LocalStates - 1];
        _inverseN = 1.0 / tables.AgentCount;
        _typeRowBase = new int[tables.AgentCount];
        _transition = tables.LocalTransitionThresholds;
        _reward = tables.LocalReward;
        _globalStates = tables.GlobalStates;
        _localStates = tables.LocalStates;
        GlobalActionCount = tables.GlobalActions;
        LocalActionCount = tables.LocalActions;
    }

    /// <summary>Initializes a new instance of the <see cref="FleetPlant"/> class for a typed fleet whose robots have fixed types.</summary>
    /// <param name="tables">The typed fleet's tables (the policy part is not used: the nodes decide).</param>
    /// <param name="robotTypes">Robot <c>i</c>'s true type (what its motors and battery are), one per robot.</param>
    /// <param name="safeAction">The local action robots hold before their first command and while crashed.</param>
    public FleetPlant(TypedFleetTables tables, int[] robotTypes, int safeAction)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(robotTypes);
        if (robotTypes.Length != tables.AgentCount || robotTypes.Any(type => type < 0 || type >= tables.Types))
        {
            throw new ArgumentException($"robot types: need {tables.AgentCount} types, each in [0, T = {tables.Types})", nameof(robotTypes));
        }

        _typed = tables;
        _safeAction = safeAction;
        int n = tables.AgentCount;
        _states = new int[n];
        _localActions = new int[n];
        _initialLocal = new double[tables.LocalStates];
        _initialLocalThresholds = new long[tables.LocalStates - 1];
        _inverseN = 1.0 / n;
        _globalStates = tables.GlobalStates;
        _localStates = tables.LocalStates;
        _typeRowBase = new int[n];
        for (int i = 0; i < n; i++)
        {
            _typeRowBase[i] = robotTypes[i] * tables.GlobalStates * tables.LocalStates; // row (τ·|S_g| + s_g)·|S_l| + s_l
        }

        _transition = tables.LocalTransitionThresholds;
        _reward = tables.LocalReward;
        GlobalActionCount = tables.GlobalActions;
        LocalActionCount = tables.LocalActions;
    }

    /// <summary>Gets <c>|A_g|</c>.</summary>
    public int GlobalActionCount { get; }

    /// <summary>Gets <c>|A_l|</c>.</summary>
    public int LocalActionCount { get; }

    /// <summary>Gets the current global state <c>s_g</c>.</summary>
    public int GlobalState { get; private set; }

    /// <summary>Gets or sets the global action the gateway's actuator last commanded.</summary>
    public int GlobalAction { get; set; }

    /// <summary>Gets each robot's current local state (index = robot id).</summary>
    public int[] LocalStates => _states;

    /// <summary>Gets each robot's held local action (index = robot id); written by the robots' actuators.</summary>
    public int[] LocalActions => _localActions;

    /// <summary>Gets the safe local action.</summary>
    public int SafeAction => _safeAction;

    /// <summary>Starts an episode: the evaluator's reset draws from <c>E</c> of rollout <paramref name="rolloutSeed"/>.</summary>
    /// <param name="rolloutSeed">The rollout seed <c>ρ</c>.</param>
    public void Reset(ulong rolloutSeed)
    {
        EvaluationSeeds.Reseed(_environment, rolloutSeed, EvaluationSeeds.EnvironmentStream);
        GlobalState = _tables is not null ? _tables.DrawInitialState(_environment, _states, _initialLocal, _initialLocalThresholds) : _typed!.DrawInitialState(_environment, _states, _initialLocal, _initialLocalThresholds);
        Array.Fill(_localActions, _safeAction);
        GlobalAction = 0;
    }

    /// <summary>
    /// Applies one step of the dynamics to the commanded actions: reward <c>r_g(s_g, a_g) + (1/n) Σ_i r_l(s_i, s_g, a_i)</c>
    /// at the states before the move, then <c>s_i' ~ P_l</c>, <c>s_g' ~ P_g</c> from <c>E</c>.
    /// </summary>
    /// <returns>The step's system reward.</returns>
    public double Step()
    {
        int sg = GlobalState;
        int ag = GlobalAction;
        int next = -1;
        if (_tables is not null && _tables.Timing == LocalTransitionTiming.NextGlobalState)
        {
            next = NextGlobalState(sg, ag, _environment.NextUInt32());
        }

        int l = _localStates;
        int al = LocalActionCount;
        int lm1 = l - 1;
        int rowBase = sg * l;
        int moveRowBase = (next >= 0 ? next : sg) * l;
        long[] transition = _transition;
        double[] reward = _reward;
        double sum = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            int s = _states[i];
            int a = _localActions[i];
            int typeBase = _typeRowBase[i];
            sum += reward[((typeBase + rowBase + s) * al) + a];
            int moveCell = ((typeBase + moveRowBase + s) * al) + a;
            _states[i] = CumulativeThresholds.Sample(transition, moveCell * lm1, lm1, _environment.NextUInt32());
        }

        GlobalState = next >= 0 ? next : NextGlobalState(sg, ag, _environment.NextUInt32());
        double[] globalReward = _tables is not null ? _tables.GlobalReward : _typed!.GlobalReward;
        return globalReward[(sg * GlobalActionCount) + ag] + (sum * _inverseN);
    }

    private int NextGlobalState(int sg, int ag, uint u)
    {
        long[] thresholds = _tables is not null ? _tables.GlobalTransitionThresholds : _typed!.GlobalTransitionThresholds;
        int gm1 = _globalStates - 1;
        return CumulativeThresholds.Sample(thresholds, ((sg * GlobalActionCount) + ag) * gm1, gm1, u);
    }
}
