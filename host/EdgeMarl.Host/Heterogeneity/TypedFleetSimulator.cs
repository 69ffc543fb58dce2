using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;
using EdgeMarl.Shared.Sampling;

namespace EdgeMarl.Host.Heterogeneity;

/// <summary>
/// The real typed fleet, one step at a time (docs/heterogeneity.md "Evaluation"): every robot moves by its own type's
/// <c>P_l^τ</c> and earns <c>r_l^τ</c>, whatever the pair believes. Same generators and draw order as
/// <see cref="RobotLevelSimulator"/> (its default 32-bit draws, the game's own move timing), plus one more generator
/// <c>T</c> (stream <see cref="TypeStream"/> of the rollout seed) from which, after the initial states, robot <c>i</c>'s
/// type is drawn over the shares for <c>i = 0 … n − 1</c> (no draw when <c>T = 1</c>). So a game whose types are all equal
/// gives, rollout by rollout, the returns of <see cref="RobotLevelSimulator"/> on the pooled game (tested at h = 0).
/// </summary>
internal sealed class TypedFleetSimulator : IRolloutSimulator
{
    /// <summary>The PCG32 stream of the type generator (robot streams are <c>2 + i</c>, so this one is never a robot's).</summary>
    public const ulong TypeStream = ulong.MaxValue;

    private readonly TypedFleetTables _t;
    private readonly Pcg32 _environment = new(0);
    private readonly Pcg32 _gateway = new(0);
    private readonly Pcg32 _typeDraws = new(0);
    private readonly Pcg32[] _robots;
    private readonly Subsampler _subsampler;
    private readonly int[] _states;
    private readonly int[] _types;
    private readonly int[] _sampledIds;
    private readonly int[] _observed;
    private readonly int[] _counts;
    private readonly double[] _initialLocal;
    private readonly long[] _initialLocalThresholds;
    private readonly double _inverseN;
    private readonly int[] _allCounts;
    private readonly double[] _scaled;
    private readonly double[] _remainders;
    private int _globalState;

    public TypedFleetSimulator(TypedFleetTables tables)
    {
        _t = tables;
        int n = tables.AgentCount;
        _robots = new Pcg32[n];
        for (int i = 0; i < n; i++)
        {
            _robots[i] = new Pcg32(0);
        }

        _subsampler = new Subsampler(tables.K);
        _states = new int[n];
        _types = new int[n];
        _sampledIds = new int[tables.K];
        _observed = new int[Math.Max(n, tables.K)];
        _counts = new int[tables.ObservedStates];
        _initialLocal = new double[tables.LocalStates];
        _initialLocalThresholds = new long[tables.LocalStates - 1];
        _inverseN = 1.0 / n;
        _allCounts = new int[tables.ObservedStates];
        _scaled = new double[tables.ObservedStates];
        _remainders = new double[tables.ObservedStates];
    }

    /// <summary>Gets every robot's type (after <see cref="Reset"/>).</summary>
    public ReadOnlySpan<int> RobotTypes => _types;

    /// <summary>Gets every robot's local state.</summary>
    public ReadOnlySpan<int> LocalStates => _states;

    public void Reset(ulong rolloutSeed)
    {
        EvaluationSeeds.Reseed(_environment, rolloutSeed, EvaluationSeeds.EnvironmentStream);
        EvaluationSeeds.Reseed(_gateway, rolloutSeed, EvaluationSeeds.GatewayStream);
        for (int i = 0; i < _robots.Length; i++)
        {
            EvaluationSeeds.Reseed(_robots[i], rolloutSeed, EvaluationSeeds.FirstRobotStream + (ulong)i);
        }

        TypedFleetTables t = _t;
        int l = t.LocalStates;
        _globalState = CumulativeThresholds.Sample(t.InitialGlobalThresholds, 0, t.GlobalStates - 1, _environment.NextUInt32());
        if (t.InitialLocalKind == InitialLocalKind.Dirichlet)
        {
            ContinuousSampling.Dirichlet(_environment, t.InitialLocal, _initialLocal);
            CumulativeThresholds.Build(_initialLocal, 0, l, _initialLocalThresholds, 0);
        }
        else
        {
            CumulativeThresholds.Build(t.InitialLocalProbabilities, 0, l, _initialLocalThresholds, 0);
        }

        for (int i = 0; i < _states.Length; i++)
        {
            _states[i] = CumulativeThresholds.Sample(_initialLocalThresholds, 0, l - 1, _environment.NextUInt32());
        }

        EvaluationSeeds.Reseed(_typeDraws, rolloutSeed, TypeStream);
        for (int i = 0; i < _types.Length; i++)
        {
            _types[i] = t.Types == 1 ? 0 : CumulativeThresholds.Sample(t.TypeThresholds, 0, t.Types - 1, _typeDraws.NextUInt32());
        }
    }

    public double Step()
    {
        TypedFleetTables t = _t;
        int sg = _globalState, k = t.K, l = t.LocalStates, al = t.LocalActions, g = t.GlobalStates;
        bool typed = t.Observation == TypedObservation.Typed;
        if (t.GatewayObservesAll)
        {
            for (int i = 0; i < _states.Length; i++)
            {
                _observed[i] = typed ? (_types[i] * l) + _states[i] : _states[i];
            }

            CountVector.Count(_observed, 0, _states.Length, t.ObservedStates, _allCounts, 0);
            for (int j = 0; j < t.ObservedStates; j++)
            {
                _scaled[j] = (double)k * _allCounts[j] * _inverseN;
            }

            Training.LargestRemainder.Round(_scaled, k, _counts, _remainders);
        }
        else
        {
            _subsampler.Sample(_gateway, _states.Length, k, _sampledIds, 0);
            for (int j = 0; j < k; j++)
            {
                int id = _sampledIds[j];
                _observed[j] = typed ? (_types[id] * l) + _states[id] : _states[id];
            }

            CountVector.Count(_observed, 0, k, t.ObservedStates, _counts, 0);
        }

        int ag = t.GlobalActionTable[(sg * t.CountVectors) + t.Ranker.Rank(_counts, 0, k)];
        long[] policy = t.LocalPolicyThresholds;
        long[]? deviator = t.DeviatorPolicyThresholds;
        long[] transition = t.LocalTransitionThresholds;
        double[] reward = t.LocalReward;
        double sum = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            int row = (((_types[i] * g) + sg) * l) + _states[i];
            int a = CumulativeThresholds.Sample(i == 0 && deviator is not null ? deviator : policy, row * (al - 1), al - 1, _robots[i].NextUInt32());
            int cell = (row * al) + a;
            sum += reward[cell];
            _states[i] = CumulativeThresholds.Sample(transition, cell * (l - 1), l - 1, _environment.NextUInt32());
        }

        _globalState = CumulativeThresholds.Sample(t.GlobalTransitionThresholds, ((sg * t.GlobalActions) + ag) * (g - 1), g - 1, _environment.NextUInt32());
        return t.GlobalReward[(sg * t.GlobalActions) + ag] + (sum * _inverseN);
    }
}
