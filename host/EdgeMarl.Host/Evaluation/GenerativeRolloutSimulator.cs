// The n-robot system of RobotLevelSimulator, with the environment's moves and rewards asked of an IGameSimulator instead
// of read from the game's tables (docs/evaluation.md "Rollouts through a simulator"). Same generators, same draw order:
// the gateway's sample and every robot's action are drawn exactly as there; the environment stream E gives the
// simulator its uniforms in the order the robot-level simulator uses them (robots 0 … n−1, then s_g').
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;
using EdgeMarl.Shared.Sampling;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// One rollout of the real <c>n</c>-robot system whose dynamics and rewards come from a generative model: per step one
/// batched <c>step_local</c> of the <c>n</c> robots and one <c>step_global</c>. Reset: <c>s_g</c> = u(E) over the hello's
/// initial global distribution; <c>p</c> = the initial local distribution, or <c>p ~ Dirichlet(α)</c> when the hello
/// gives <c>initialLocalDirichlet</c>; <c>s_i</c> = u(E) over <c>p</c>. Step: G samples <c>k</c> ids (Floyd), counts, rank,
/// <c>a_g = π_g</c> (degradation tables as the robot-level simulator); robot <c>i</c>: <c>a_i</c> = u(R_i) over
/// <c>π_l(·|s_i, s_g)</c> and <c>u_i</c> = u(E); then <c>u_g</c> = u(E); the simulator answers <c>s_i', r_l</c> for
/// <c>(s_i, s_g, a_i, u_i)</c> and <c>s_g', r_g</c> for <c>(s_g, a_g, u_g)</c>. Reward <c>r_g + (Σ_i r_l) · (1/n)</c>,
/// summed in robot order. Design timing and 32-bit robot draws only.
/// </summary>
internal sealed class GenerativeRolloutSimulator : IRolloutSimulator
{
    private readonly IGameSimulator _simulator;
    private readonly Pcg32 _environment = new(0);
    private readonly Pcg32 _gateway = new(0);
    private readonly Pcg32[] _robots;
    private readonly Subsampler _subsampler;
    private readonly ReplyReducer _reducer;
    private readonly CountRanker _ranker;
    private readonly int[] _globalTable;
    private readonly int _tableSampleSize, _countVectors, _k, _l, _al;
    private readonly long[] _policyThresholds;
    private readonly long[] _initialGlobalThresholds;
    private readonly long[] _initialLocalThresholds;
    private readonly double[]? _dirichlet;
    private readonly double[] _scratchP;
    private readonly int[] _states, _next, _actions, _globalStates, _sampledIds, _sampledStates, _counts, _tableCounts;
    private readonly uint[] _uniforms;
    private readonly double[] _rewards;
    private readonly int[] _oneState = new int[1], _oneAction = new int[1], _oneNext = new int[1];
    private readonly uint[] _oneUniform = new uint[1];
    private readonly double[] _oneReward = new double[1];
    private readonly double _inverseN;
    private int _globalState;

    /// <summary>Initializes a new instance of the <see cref="GenerativeRolloutSimulator"/> class.</summary>
    /// <param name="simulator">The generative model (its hello gives n and the initial distributions).</param>
    /// <param name="policies">The pair; its shape must match the simulator's.</param>
    /// <param name="k">Sample size (a stored table for <c>k</c>, or a smaller one: degradation).</param>
    /// <param name="agentCount">Robots simulated, <c>n</c> (the simulator steps robots one by one, so any n works).</param>
    public GenerativeRolloutSimulator(IGameSimulator simulator, PolicyPair policies, int k, int agentCount)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(policies);
        SimulatorInfo info = simulator.Info;
        _simulator = simulator;
        int g = info.GlobalStates, l = info.LocalStates, al = info.LocalActions, n = agentCount;
        if (policies.GlobalStates != g || policies.LocalStates != l || policies.GlobalActionCount != info.GlobalActions || policies.LocalActionCount != al)
        {
            throw new ArgumentException($"policy shape (|S_g|={policies.GlobalStates}, |A_g|={policies.GlobalActionCount}, |S_l|={policies.LocalStates}, |A_l|={policies.LocalActionCount}) does not match simulator '{info.Name}'", nameof(policies));
        }

        if (k < 1 || k > n)
        {
            throw new ArgumentException($"k={k} is outside [1, n={n}]", nameof(k));
        }

        int stored = Math.Min(k, policies.KMin + policies.GlobalActions.Length - 1);
        while (stored >= policies.KMin && policies.GlobalActions[stored - policies.KMin] is null)
        {
            stored--;
        }

        if (stored < policies.KMin || stored < 1)
        {
            throw new ArgumentException($"the policy pair has no global table for any k' in [max(1, {policies.KMin}), k={k}]", nameof(k));
        }

        _k = k;
        _l = l;
        _al = al;
        _tableSampleSize = stored;
        _ranker = new CountRanker(l, k);
        _countVectors = _ranker.Count(stored);
        _globalTable = policies.GlobalActions[stored - policies.KMin];
        _policyThresholds = new long[g * l * (al - 1)];
        var row = new double[al];
        for (int r = 0; r < g * l; r++)
        {
            Normalise(policies.LocalPolicy, r * al, row); // as EvaluationTables: normalise, then thresholds
            CumulativeThresholds.Build(row, 0, al, _policyThresholds, r * (al - 1));
        }

        _initialGlobalThresholds = new long[g - 1];
        CumulativeThresholds.Build(info.InitialGlobal, 0, g, _initialGlobalThresholds, 0);
        _initialLocalThresholds = new long[l - 1];
        _dirichlet = info.InitialLocalDirichlet;
        if (_dirichlet is null)
        {
            var p = new double[l];
            Normalise(info.InitialLocal, 0, p);
            CumulativeThresholds.Build(p, 0, l, _initialLocalThresholds, 0);
        }

        _scratchP = new double[l];
        _robots = new Pcg32[n];
        for (int i = 0; i < n; i++)
        {
            _robots[i] = new Pcg32(0);
        }

        _subsampler = new Subsampler(k);
        _reducer = new ReplyReducer(k, l);
        _states = new int[n];
        _next = new int[n];
        _actions = new int[n];
        _globalStates = new int[n];
        _uniforms = new uint[n];
        _rewards = new double[n];
        _sampledIds = new int[k];
        _sampledStates = new int[k];
        _counts = new int[l];
        _tableCounts = new int[l];
        _inverseN = 1.0 / n;
    }

    /// <summary>Gets the current global state.</summary>
    public int GlobalState => _globalState;

    /// <summary>Gets every robot's current local state.</summary>
    public ReadOnlySpan<int> LocalStates => _states;

    /// <inheritdoc/>
    public void Reset(ulong rolloutSeed)
    {
        EvaluationSeeds.Reseed(_environment, rolloutSeed, EvaluationSeeds.EnvironmentStream);
        EvaluationSeeds.Reseed(_gateway, rolloutSeed, EvaluationSeeds.GatewayStream);
        for (int i = 0; i < _robots.Length; i++)
        {
            EvaluationSeeds.Reseed(_robots[i], rolloutSeed, EvaluationSeeds.FirstRobotStream + (ulong)i);
        }

        // As EvaluationTables.DrawInitialState: s_g, then p, then every robot in id order, all from E.
        _globalState = CumulativeThresholds.Sample(_initialGlobalThresholds, 0, _initialGlobalThresholds.Length, _environment.NextUInt32());
        if (_dirichlet is not null)
        {
            ContinuousSampling.Dirichlet(_environment, _dirichlet, _scratchP);
            CumulativeThresholds.Build(_scratchP, 0, _l, _initialLocalThresholds, 0);
        }

        for (int i = 0; i < _states.Length; i++)
        {
            _states[i] = CumulativeThresholds.Sample(_initialLocalThresholds, 0, _l - 1, _environment.NextUInt32());
        }
    }

    /// <inheritdoc/>
    public double Step()
    {
        Prepare(_states, _globalStates, _actions, _uniforms, 0, _oneState, _oneAction, _oneUniform, 0);
        _simulator.StepLocal(_states, _globalStates, _actions, _uniforms, _next, _rewards);
        _simulator.StepGlobal(_oneState, _oneAction, _oneUniform, _oneNext, _oneReward);
        return Finish(_next, _rewards, 0, _oneNext, _oneReward, 0);
    }

    /// <summary>
    /// First half of a step: the gateway's sample and action, every robot's action and environment uniform, written as
    /// requests at <paramref name="at"/> (n local requests) and <paramref name="globalAt"/> (one global request) of a batch
    /// that <see cref="GenerativeModelEvaluator"/> sends for many rollouts at once.
    /// </summary>
    internal void Prepare(int[] localState, int[] globalState, int[] localAction, uint[] uniform, int at, int[] gState, int[] gAction, uint[] gUniform, int globalAt)
    {
        int sg = _globalState, k = _k, l = _l, alm1 = _al - 1, n = _states.Length;
        _subsampler.Sample(_gateway, n, k, _sampledIds, 0);
        for (int j = 0; j < k; j++)
        {
            _sampledStates[j] = _states[_sampledIds[j]];
        }

        CountVector.Count(_sampledStates, 0, k, l, _counts, 0);
        int ag;
        if (_tableSampleSize == k)
        {
            ag = _globalTable[(sg * _countVectors) + _ranker.Rank(_counts, 0, k)];
        }
        else
        {
            _reducer.Reduce(_gateway, _sampledStates, 0, k, _tableSampleSize, _tableCounts, 0);
            ag = _globalTable[(sg * _countVectors) + _ranker.Rank(_tableCounts, 0, _tableSampleSize)];
        }

        int rowBase = sg * l;
        for (int i = 0; i < n; i++)
        {
            localState[at + i] = _states[i];
            localAction[at + i] = CumulativeThresholds.Sample(_policyThresholds, (rowBase + _states[i]) * alm1, alm1, _robots[i].NextUInt32());
            uniform[at + i] = _environment.NextUInt32();
            globalState[at + i] = sg;
        }

        gState[globalAt] = sg;
        gAction[globalAt] = ag;
        gUniform[globalAt] = _environment.NextUInt32();
    }

    /// <summary>Second half of a step: takes the simulator's answers and returns the step's reward <c>r_g + (Σ_i r_l)·(1/n)</c>.</summary>
    internal double Finish(int[] next, double[] reward, int at, int[] gNext, double[] gReward, int globalAt)
    {
        int n = _states.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += reward[at + i];
        }

        Array.Copy(next, at, _states, 0, n);
        _globalState = gNext[globalAt];
        return gReward[globalAt] + (sum * _inverseN);
    }

    private static void Normalise(double[] source, int offset, double[] target)
    {
        double total = 0;
        for (int j = 0; j < target.Length; j++)
        {
            total += source[offset + j];
        }

        if (!(total > 0) || double.IsInfinity(total))
        {
            throw new ArgumentException($"a probability row at offset {offset} sums to {total}", nameof(source));
        }

        for (int j = 0; j < target.Length; j++)
        {
            target[j] = source[offset + j] / total;
        }
    }
}
