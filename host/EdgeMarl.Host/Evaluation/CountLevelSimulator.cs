using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// The <c>n</c>-robot system reduced to its sufficient statistic <c>(s_g, N)</c>, <c>N_j</c> = robots in local state
/// <c>j</c>: exact in distribution (robots are exchangeable and move independently given <c>s_g</c>), at a cost per step
/// that does not grow with <c>n</c>. See docs/evaluation.md "Count-level simulator" for the derivation.
/// </summary>
/// <remarks>
/// One generator E per rollout (environment stream of <see cref="EvaluationSeeds"/>). Reset: <c>s_g</c> = u(E) over the
/// initial global distribution; <c>p</c> (Dirichlet or fixed, as in <see cref="RobotLevelSimulator"/>);
/// <c>N ~ Multinomial(n, p)</c>. Step: gateway counts <c>c ~ MultiHypergeometric(k; N)</c>; <c>a_g = π_g(s_g, c)</c>;
/// for each <c>j</c> with <c>N_j &gt; 0</c>: <c>M_{j,·} ~ Multinomial(N_j, π_l(· | j, s_g))</c>, and for each <c>a</c> with
/// <c>M_{j,a} &gt; 0</c>: <c>Σ r_l += M_{j,a} r_l(j, s_g, a)</c> and <c>N' += Multinomial(M_{j,a}, P_l(· | j, s_g, a))</c>;
/// then <c>s_g'</c> = u(E) over <c>P_g(· | s_g, a_g)</c>. It does not reproduce the robot-level simulator's draws, only
/// its distribution. No allocation after construction; one instance per worker.
/// </remarks>
public sealed class CountLevelSimulator : IRolloutSimulator
{
    private readonly EvaluationTables _tables;
    private readonly Pcg32 _environment = new(0);
    private readonly int[] _population;
    private readonly int[] _next;
    private readonly int[] _counts;
    private readonly int[] _scratch;
    private readonly int[] _actionCounts;
    private readonly double[] _initialLocal;
    private readonly double _inverseN;
    private int _globalState;

    /// <summary>Initializes a new instance of the <see cref="CountLevelSimulator"/> class.</summary>
    /// <param name="tables">Precomputed game and policy tables.</param>
    public CountLevelSimulator(EvaluationTables tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.DeviatorPolicyThresholds != null || tables.GatewayObservesAll)
        {
            throw new ArgumentException("the count-level simulator plays no deviations (one deviating robot, full-observation gateway); use the robot-level simulator", nameof(tables));
        }

        _tables = tables;
        int l = tables.LocalStates;
        _population = new int[l];
        _next = new int[l];
        _counts = new int[l];
        _scratch = new int[l];
        _actionCounts = new int[tables.LocalActions];
        _initialLocal = new double[l];
        _inverseN = 1.0 / tables.AgentCount;
    }

    /// <summary>Gets the current global state.</summary>
    public int GlobalState => _globalState;

    /// <summary>Gets the current robot counts per local state <c>N</c>.</summary>
    public ReadOnlySpan<int> Population => _population;

    /// <summary>Starts a rollout.</summary>
    /// <param name="rolloutSeed">The rollout's seed (<see cref="EvaluationSeeds.Rollout"/>).</param>
    public void Reset(ulong rolloutSeed)
    {
        EvaluationSeeds.Reseed(_environment, rolloutSeed, EvaluationSeeds.EnvironmentStream);
        _globalState = CountSampling.DrawStart(_tables, _environment, _initialLocal, _population);
    }

    /// <summary>Advances one step.</summary>
    /// <returns>The step's system reward <c>r_g(s_g, a_g) + (1/n) Σ_i r_l(s_i, s_g, a_i)</c>.</returns>
    public double Step()
    {
        EvaluationTables t = _tables;
        int sg = _globalState;
        int l = t.LocalStates;
        int al = t.LocalActions;

        // A subsample of a uniform k-sample is a uniform k*-sample: draw k* directly (same distribution as the gateway's reduction).
        CountSampling.Hypergeometric(_environment, _population, t.TableSampleSize, _scratch, _counts);
        int ag = t.GlobalActionTable[(sg * t.CountVectors) + t.Ranker.Rank(_counts, 0, t.TableSampleSize)];

        // Reference-compatible timing draws s_g' first and moves robots with it (LocalTransitionTiming).
        bool moveOnNext = t.Timing == LocalTransitionTiming.NextGlobalState;
        int sgNext = moveOnNext ? _tables.NextGlobalState(sg, ag, _environment.NextUInt32()) : -1;
        int sgMove = moveOnNext ? sgNext : sg;
        Array.Clear(_next);
        double localSum = 0;
        for (int j = 0; j < l; j++)
        {
            int robots = _population[j];
            if (robots == 0)
            {
                continue;
            }

            int row = (sg * l) + j;
            Array.Clear(_actionCounts);
            CountSampling.AddMultinomial(_environment, robots, t.LocalPolicy, row * al, al, _actionCounts, 0);
            for (int a = 0; a < al; a++)
            {
                int movers = _actionCounts[a];
                if (movers == 0)
                {
                    continue;
                }

                int cell = (row * al) + a;
                localSum += movers * t.LocalReward[cell];
                int moveCell = ((((sgMove * l) + j) * al) + a);
                CountSampling.AddMultinomial(_environment, movers, t.LocalTransition, moveCell * l, l, _next, 0);
            }
        }

        _next.CopyTo(_population, 0);
        _globalState = moveOnNext ? sgNext : _tables.NextGlobalState(sg, ag, _environment.NextUInt32());
        return t.GlobalReward[(sg * t.GlobalActions) + ag] + (localSum * _inverseN);
    }

}
