using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;
using EdgeMarl.Shared.Sampling;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// The real <c>n</c>-robot system, one step at a time (docs/design.md §2 "Evaluation"): the gateway samples <c>k</c> robots,
/// ranks their count vector and looks up <c>a_g</c>; every robot draws <c>a_l ~ π_l(· | s_l, s_g)</c>; then robots and
/// the global state move. This is the simulator the firmware is replayed against, so its draw order is a contract.
/// </summary>
/// <remarks>
/// <para>Generators (see <see cref="EvaluationSeeds"/>): environment <c>E</c>, gateway <c>G</c>, robot <c>R_i</c>,
/// all reseeded from the rollout seed by <see cref="Reset"/>. "u(X)" is one <see cref="Pcg32.NextUInt32"/> of X,
/// turned into an outcome by <see cref="CumulativeThresholds"/> (exact to 2^−32).</para>
/// <para><b>Reset</b> (all from E, in this order): <c>s_g</c> = u(E) over the initial global distribution; if the game's
/// initial local kind is Dirichlet, <c>p ~ Dirichlet(α)</c> (<see cref="ContinuousSampling"/>), else <c>p</c> = the fixed
/// distribution; then for <c>i = 0 … n−1</c>: <c>s_i</c> = u(E) over <c>p</c>.</para>
/// <para><b>Step</b> (<c>s_g</c> and all <c>s_i</c> are the values at the start of the step):
/// <list type="number">
/// <item>G: <see cref="Subsampler.Sample"/>(G, n, k) → ids (exactly k <see cref="Pcg32.NextBelow"/> draws, Floyd). With
/// <see cref="EvaluationTables.GatewayObservesAll"/> (a deviation, not the real system): no draw, no ids; <c>c</c> is the
/// largest-remainder rounding of <c>k·N/n</c>.</item>
/// <item>Counts of <c>s_ids</c> (<see cref="CountVector.Count"/>), rank (<see cref="CountRanker.Rank"/>),
/// <c>a_g = π_g[s_g · C + rank]</c>. No draw. When the policy has no table for <c>k</c> (degradation tables,
/// <see cref="EvaluationTables.TableSampleSize"/> <c>k* &lt; k</c>): the sampled states in Floyd order are subsampled to <c>k*</c> by
/// <see cref="ReplyReducer"/> on G (exactly <c>k*</c> NextBelow draws), as the firmware gateway does, and <c>c</c> of those is looked up.</item>
/// <item>For <c>i = 0 … n−1</c> in order: <c>a_i</c> = u(R_i) over <c>π_l(· | s_i, s_g)</c> (robot 0 over
/// <see cref="EvaluationTables.DeviatorPolicyThresholds"/> when set: the same draw, so a deviation changes nothing else); then <c>s_i'</c> = u(E) over
/// <c>P_l(· | s_i, s_g, a_i)</c>. One draw of each per robot, even when the row has a single outcome.</item>
/// <item><c>s_g'</c> = u(E) over <c>P_g(· | s_g, a_g)</c>. With <see cref="LocalTransitionTiming.NextGlobalState"/>
/// (reference-compatible) this draw comes before item 3, and item 3's moves use <c>P_l(· | s_i, s_g', a_i)</c>.</item>
/// <item>Reward <c>r_g(s_g, a_g) + (Σ_i r_l(s_i, s_g, a_i)) · (1/n)</c>, the sum taken over <c>i</c> in order.</item>
/// </list>
/// So per step E makes <c>n + 1</c> draws, G makes <c>k</c> (plus Floyd's rejections inside NextBelow), each R_i one.</para>
/// <para>Device-exact mode (<see cref="RobotActionDraw.DeviceExact"/>): G and R_i are seeded as the firmware nodes seed
/// themselves and "u(R_i)" becomes one <see cref="Pcg32.NextByte"/> against the policy file's 8-bit thresholds
/// (<see cref="EvaluationTables.LocalPolicyByteThresholds"/>); E is unchanged (docs/evaluation.md "Device-exact mode").</para>
/// <para>Trace: after <see cref="Step"/>, <see cref="SampledIds"/>, <see cref="SampleCounts"/>, <see cref="GlobalAction"/>,
/// <see cref="LocalActions"/> (only when constructed with <c>recordLocalActions</c>), <see cref="LocalStates"/> (now the next
/// states) and <see cref="GlobalState"/> (now <c>s_g'</c>) describe it; copy <see cref="LocalStates"/> before the step to keep
/// the previous states. Buffers are owned by this instance and overwritten by the next step. No allocation after
/// construction. Not thread-safe: one instance per worker.</para>
/// </remarks>
public sealed class RobotLevelSimulator : IRolloutSimulator
{
    private readonly EvaluationTables _tables;
    private readonly bool _recordLocalActions;
    private readonly RobotActionDraw _draws;
    private readonly Pcg32 _environment = new(0);
    private readonly Pcg32 _gateway = new(0);
    private readonly Pcg32[] _robots;
    private readonly Subsampler _subsampler;
    private readonly int[] _states;
    private readonly int[] _localActions;
    private readonly int[] _sampledIds;
    private readonly int[] _sampledStates;
    private readonly int[] _counts;
    private readonly ReplyReducer _reducer;
    private readonly int[] _tableCounts;
    private readonly double[] _initialLocal;
    private readonly long[] _initialLocalThresholds;
    private readonly double _inverseN;
    private readonly int[] _allCounts;
    private readonly double[] _scaledCounts;
    private readonly double[] _remainders;
    private int _globalState;
    private int _globalAction = -1;

    /// <summary>Initializes a new instance of the <see cref="RobotLevelSimulator"/> class.</summary>
    /// <param name="tables">Precomputed game and policy tables.</param>
    /// <param name="recordLocalActions">Whether <see cref="Step"/> stores every robot's <c>a_l</c> for tracing.</param>
    /// <param name="draws">Robot draws and node seeding: the default 32-bit draws, or device-exact (byte draws, node seeds).</param>
    public RobotLevelSimulator(EvaluationTables tables, bool recordLocalActions = false, RobotActionDraw draws = RobotActionDraw.Uniform32)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _tables = tables;
        _recordLocalActions = recordLocalActions;
        _draws = draws;
        int n = tables.AgentCount;
        _robots = new Pcg32[n];
        for (int i = 0; i < n; i++)
        {
            _robots[i] = new Pcg32(0);
        }

        _subsampler = new Subsampler(tables.K);
        _states = new int[n];
        _localActions = recordLocalActions ? new int[n] : [];
        _sampledIds = new int[tables.K];
        _sampledStates = new int[tables.K];
        _counts = new int[tables.LocalStates];
        _reducer = new ReplyReducer(tables.K, tables.LocalStates);
        _tableCounts = new int[tables.LocalStates];
        _initialLocal = new double[tables.LocalStates];
        _initialLocalThresholds = new long[tables.LocalStates - 1];
        _inverseN = 1.0 / n;
        bool all = tables.GatewayObservesAll;
        _allCounts = all ? new int[tables.LocalStates] : [];
        _scaledCounts = all ? new double[tables.LocalStates] : [];
        _remainders = all ? new double[tables.LocalStates] : [];
    }

    /// <summary>Gets the current global state <c>s_g</c>.</summary>
    public int GlobalState => _globalState;

    /// <summary>Gets every robot's current local state, indexed by robot id.</summary>
    public ReadOnlySpan<int> LocalStates => _states;

    /// <summary>Gets the robot ids the gateway sampled in the last step, in Floyd's insertion order.</summary>
    public ReadOnlySpan<int> SampledIds => _sampledIds;

    /// <summary>Gets the count vector <c>c</c> of the last step's sample.</summary>
    public ReadOnlySpan<int> SampleCounts => _counts;

    /// <summary>Gets the last step's global action <c>a_g</c> (−1 before the first step).</summary>
    public int GlobalAction => _globalAction;

    /// <summary>Gets every robot's last local action (empty unless constructed with <c>recordLocalActions</c>).</summary>
    public ReadOnlySpan<int> LocalActions => _localActions;

    /// <summary>Starts a rollout (draw order in the class remarks).</summary>
    /// <param name="rolloutSeed">The rollout's seed (<see cref="EvaluationSeeds.Rollout"/>).</param>
    public void Reset(ulong rolloutSeed)
    {
        EvaluationSeeds.Reseed(_environment, rolloutSeed, EvaluationSeeds.EnvironmentStream);
        EvaluationSeeds.ReseedAgents(_gateway, _robots, rolloutSeed, _draws);

        _globalState = _tables.DrawInitialState(_environment, _states, _initialLocal, _initialLocalThresholds);
        _globalAction = -1;
    }

    /// <summary>Advances one step (draw order in the class remarks).</summary>
    /// <returns>The step's system reward <c>r_g(s_g, a_g) + (1/n) Σ_i r_l(s_i, s_g, a_i)</c>.</returns>
    public double Step()
    {
        EvaluationTables t = _tables;
        int sg = _globalState;
        int k = t.K;
        int l = t.LocalStates;

        if (t.GatewayObservesAll)
        {
            ObserveAll(k, l);
        }
        else
        {
            _subsampler.Sample(_gateway, _states.Length, k, _sampledIds, 0);
            for (int j = 0; j < k; j++)
            {
                _sampledStates[j] = _states[_sampledIds[j]];
            }

            CountVector.Count(_sampledStates, 0, k, l, _counts, 0);
        }

        int ag;
        if (t.TableSampleSize == k)
        {
            ag = t.GlobalActionTable[(sg * t.CountVectors) + t.Ranker.Rank(_counts, 0, k)];
        }
        else
        {
            // Degradation as the gateway does it (DegradedLookup): the k replies in slot order, Floyd-subsampled to k* on G.
            if (t.GatewayObservesAll)
            {
                ExpandCounts(l);
            }

            _reducer.Reduce(_gateway, _sampledStates, 0, k, t.TableSampleSize, _tableCounts, 0);
            ag = t.GlobalActionTable[(sg * t.CountVectors) + t.Ranker.Rank(_tableCounts, 0, t.TableSampleSize)];
        }

        _globalAction = ag;

        double localSum;
        if (t.Timing == LocalTransitionTiming.NextGlobalState)
        {
            int next = _tables.NextGlobalState(sg, ag, _environment.NextUInt32());
            localSum = RobotsAct(sg, next);
            _globalState = next;
        }
        else
        {
            localSum = RobotsAct(sg, sg);
            _globalState = _tables.NextGlobalState(sg, ag, _environment.NextUInt32());
        }

        return t.GlobalReward[(sg * t.GlobalActions) + ag] + (localSum * _inverseN);
    }

    /// <summary>The rounded full-observation counts as k states in state order (for a reduction to k*).</summary>
    private void ExpandCounts(int l)
    {
        int i = 0;
        for (int j = 0; j < l; j++)
        {
            for (int c = 0; c < _counts[j]; c++)
            {
                _sampledStates[i++] = j;
            }
        }
    }

    /// <summary>Full-observation gateway (<see cref="EvaluationTables.GatewayObservesAll"/>): <c>c</c> = largest-remainder rounding of <c>k·N/n</c>; no draw.</summary>
    private void ObserveAll(int k, int l)
    {
        CountVector.Count(_states, 0, _states.Length, l, _allCounts, 0);
        for (int j = 0; j < l; j++)
        {
            _scaledCounts[j] = (double)k * _allCounts[j] * _inverseN;
        }

        Training.LargestRemainder.Round(_scaledCounts, k, _counts, _remainders);
    }

    /// <summary>
    /// Every robot draws <c>a_i ~ π_l(· | s_i, s_g)</c> (own generator) and moves by <c>P_l(· | s_i, sgMove, a_i)</c>
    /// (environment); returns <c>Σ_i r_l(s_i, s_g, a_i)</c>.
    /// </summary>
    private double RobotsAct(int sg, int sgMove) =>
        _draws == RobotActionDraw.DeviceExact
            ? RobotsAct(sg, sgMove, new ByteDraw(_tables.LocalPolicyByteThresholds))
            : RobotsAct(sg, sgMove, new Uniform32Draw(_tables.LocalPolicyThresholds));

    /// <summary>The loop, specialised by the JIT per draw (a struct type argument), so the default path has no extra branch.</summary>
    private double RobotsAct<TDraw>(int sg, int sgMove, TDraw draw)
        where TDraw : struct, ILocalDraw
    {
        EvaluationTables t = _tables;
        int l = t.LocalStates;
        int al = t.LocalActions;
        int lm1 = l - 1;
        int alm1 = al - 1;
        long[] transition = t.LocalTransitionThresholds;
        double[] reward = t.LocalReward;
        Pcg32[] robots = _robots;
        int[] states = _states;
        Pcg32 environment = _environment;
        int rowBase = sg * l;
        int moveRowBase = sgMove * l;
        long[]? deviator = t.DeviatorPolicyThresholds; // robot 0's deviation (docs/nash-gap.md §6): a 32-bit draw over other rows
        double sum = 0;
        for (int i = 0; i < states.Length; i++)
        {
            int row = rowBase + states[i];
            int a = i == 0 && deviator is not null
                ? CumulativeThresholds.Sample(deviator, row * alm1, alm1, robots[0].NextUInt32())
                : draw.Draw(robots[i], row * alm1, alm1);
            int cell = (row * al) + a;
            sum += reward[cell];
            int moveCell = ((moveRowBase + states[i]) * al) + a;
            states[i] = CumulativeThresholds.Sample(transition, moveCell * lm1, lm1, environment.NextUInt32());
            if (_recordLocalActions)
            {
                _localActions[i] = a;
            }
        }

        return sum;
    }

    /// <summary>One robot's action draw from its generator over the row of thresholds at <c>offset</c>.</summary>
    private interface ILocalDraw
    {
        int Draw(Pcg32 robot, int offset, int countMinusOne);
    }

    /// <summary>The default: one <see cref="Pcg32.NextUInt32"/> against the 32-bit thresholds of the exact <c>π_l</c>.</summary>
    private readonly struct Uniform32Draw(long[] thresholds) : ILocalDraw
    {
        public int Draw(Pcg32 robot, int offset, int countMinusOne) =>
            CumulativeThresholds.Sample(thresholds, offset, countMinusOne, robot.NextUInt32());
    }

    /// <summary>
    /// The firmware's draw: one <see cref="Pcg32.NextByte"/> <c>b</c>; the first <c>a</c> whose 8-bit cumulative weight exceeds
    /// <c>b</c>, i.e. <c>#{j : T_j ≤ b}</c>.
    /// </summary>
    private readonly struct ByteDraw(int[] thresholds) : ILocalDraw
    {
        public int Draw(Pcg32 robot, int offset, int countMinusOne)
        {
            byte b = robot.NextByte();
            int j = 0;
            for (int i = 0; i < countMinusOne; i++)
            {
                j += thresholds[offset + i] <= b ? 1 : 0;
            }

            return j;
        }
    }
}
