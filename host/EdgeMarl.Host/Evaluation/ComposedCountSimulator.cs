using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// The count process <c>(s_g, N)</c> of the <c>n</c>-robot system with the robots' actions summed out: each robot in local
/// state <c>j</c> moves to <c>j'</c> with the composed law <c>Q(j' | j) = Σ_a π_l(a | j, s_g) P_l(j' | j, s_m, a)</c>
/// (<c>s_m</c> = <c>s_g</c> or <c>s_g'</c> by <see cref="LocalTransitionTiming"/>), so one multinomial per occupied state is
/// one step, and the robots' reward is its expectation given <c>(s_g, N)</c>, <c>Σ_j N_j r̄_l(j, s_g)</c>. The same expected
/// return as <see cref="RobotLevelSimulator"/> (not the same distribution of returns); cost per step <c>k* + L²</c> draws below <see cref="SequentialSampleSize"/> and <c>L + L²</c> from it (the gateway sample robot by robot, then state by state; each binomial <c>O(1 + σ)</c> from the mode),
/// independent of <c>n</c>. Derivation and the unbiasedness argument: docs/evaluation.md "Composed count simulator".
/// </summary>
/// <remarks>
/// One generator E per rollout (environment stream of <see cref="EvaluationSeeds"/>). Reset (as
/// <see cref="CountLevelSimulator"/>): <c>s_g</c> = u(E) over the initial global distribution; <c>p</c> (Dirichlet or fixed);
/// <c>N ~ Multinomial(n, p)</c>. Step: gateway counts <c>c ~ MultiHypergeometric(k*; N)</c>; <c>a_g = π_g(s_g, c)</c>;
/// <c>s_g'</c> = u(E) over <c>P_g(· | s_g, a_g)</c> (drawn first whatever the timing: with the design timing it is
/// independent of the robots' moves given <c>(s_g, N, a_g)</c>); then for <c>j = 0 … L−1</c> with <c>N_j &gt; 0</c>:
/// <c>N' += Multinomial(N_j, Q(· | j))</c>. Reward <c>r_g(s_g, a_g) + (1/n) Σ_j N_j r̄_l(j, s_g)</c>. No allocation after
/// construction; one instance per worker.
/// </remarks>
public sealed class ComposedCountSimulator : IRolloutSimulator
{
    /// <summary>From this table size <c>k*</c> on, the gateway sample is drawn state by state (<see cref="ModeSearchHypergeometric"/>).</summary>
    internal const int SequentialSampleSize = 16;

    private readonly EvaluationTables _tables;
    private readonly Pcg32 _environment = new(0);
    private readonly double[] _composed;
    private readonly int[] _support;
    private readonly int[] _outcome;
    private readonly double[] _p;
    private readonly double[] _logP;
    private readonly double[] _logQ;
    private readonly double[] _ratio;
    private readonly double[] _logFactorial;
    private readonly double[] _meanLocalReward;
    private readonly int[] _population;
    private readonly int[] _next;
    private readonly int[] _counts;
    private readonly int[] _scratch;
    private readonly double[] _initialLocal;
    private readonly double _inverseN;
    private readonly bool _moveOnNext;
    private int _globalState;

    /// <summary>Initializes a new instance of the <see cref="ComposedCountSimulator"/> class.</summary>
    /// <param name="tables">Precomputed game and policy tables (no deviations).</param>
    public ComposedCountSimulator(EvaluationTables tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.DeviatorPolicyThresholds != null || tables.GatewayObservesAll)
        {
            throw new ArgumentException("the composed count simulator plays no deviations (one deviating robot, full-observation gateway); use the robot-level simulator", nameof(tables));
        }

        _tables = tables;
        int l = tables.LocalStates;
        _moveOnNext = tables.Timing == LocalTransitionTiming.NextGlobalState;
        _composed = Compose(tables);
        int slots = _composed.Length;
        _support = new int[slots / l];
        _outcome = new int[slots];
        _p = new double[slots];
        _logP = new double[slots];
        _logQ = new double[slots];
        _ratio = new double[slots];
        SequentialLaws(l);
        _logFactorial = ModeSearchBinomial.LogFactorials(tables.AgentCount);
        _meanLocalReward = MeanLocalReward(tables);
        _population = new int[l];
        _next = new int[l];
        _counts = new int[l];
        _scratch = new int[l];
        _initialLocal = new double[l];
        _inverseN = 1.0 / tables.AgentCount;
    }

    /// <summary>Gets the current global state.</summary>
    public int GlobalState => _globalState;

    /// <summary>Gets the current robot counts per local state <c>N</c>.</summary>
    public ReadOnlySpan<int> Population => _population;

    /// <summary>Gets the last step's gateway sample counts <c>c</c> (of the table's size <c>k*</c>).</summary>
    public ReadOnlySpan<int> SampleCounts => _counts;

    /// <summary>
    /// Returns the composed law <c>Q(j' | j)</c> of a robot in <paramref name="localState"/> when the step's global state is
    /// <paramref name="globalState"/> and robots move by <paramref name="moveGlobalState"/> (for tests and documentation).
    /// </summary>
    /// <param name="globalState"><c>s_g</c>, which conditions <c>π_l</c>.</param>
    /// <param name="moveGlobalState"><c>s_m</c>, which conditions <c>P_l</c>.</param>
    /// <param name="localState"><c>j</c>.</param>
    /// <returns>A copy of the row, <c>L</c> probabilities.</returns>
    public double[] ComposedRow(int globalState, int moveGlobalState, int localState)
    {
        int l = _tables.LocalStates;
        return _composed.AsSpan(Row(globalState, moveGlobalState, localState) * l, l).ToArray();
    }

    /// <summary>Starts a rollout.</summary>
    /// <param name="rolloutSeed">The rollout's seed (<see cref="EvaluationSeeds.Rollout"/>).</param>
    public void Reset(ulong rolloutSeed)
    {
        EvaluationSeeds.Reseed(_environment, rolloutSeed, EvaluationSeeds.EnvironmentStream);
        _globalState = CountSampling.DrawStart(_tables, _environment, _initialLocal, _population);
    }

    /// <summary>Advances one step.</summary>
    /// <returns><c>r_g(s_g, a_g) + (1/n) Σ_j N_j r̄_l(j, s_g)</c>: the step's system reward in expectation over the robots' actions.</returns>
    public double Step()
    {
        EvaluationTables t = _tables;
        int sg = _globalState;
        int l = t.LocalStates;

        // A subsample of a uniform k-sample is a uniform k*-sample: draw k* directly (the gateway's reduction, in distribution).
        Hypergeometric(t.TableSampleSize, l);
        int ag = t.GlobalActionTable[(sg * t.CountVectors) + t.Ranker.Rank(_counts, 0, t.TableSampleSize)];
        int sgNext = t.NextGlobalState(sg, ag, _environment.NextUInt32());
        int sgMove = _moveOnNext ? sgNext : sg;

        double localSum = 0;
        int rewardRow = sg * l;
        int[] population = _population;
        int[] next = _next;
        Array.Clear(next);
        for (int j = 0; j < l; j++)
        {
            int robots = population[j];
            if (robots == 0)
            {
                continue;
            }

            localSum += robots * _meanLocalReward[rewardRow + j];
            AddMultinomial(robots, Row(sg, sgMove, j), next);
        }

        next.CopyTo(population, 0);
        _globalState = sgNext;
        return t.GlobalReward[(sg * t.GlobalActions) + ag] + (localSum * _inverseN);
    }

    /// <summary>
    /// <c>c ~ MultivariateHypergeometric(k; N)</c>: from <see cref="SequentialSampleSize"/> on one univariate draw per state
    /// (<see cref="ModeSearchHypergeometric.SampleCounts"/>); below it <paramref name="k"/> draws without replacement, each a
    /// uniform robot among those left (<see cref="Below"/>), whose state is the one whose cumulative remaining count first
    /// exceeds it (cheaper for a small <c>k</c>, measured in docs/evaluation.md).
    /// </summary>
    private void Hypergeometric(int k, int l)
    {
        int[] left = _scratch, counts = _counts;
        if (k >= SequentialSampleSize)
        {
            ModeSearchHypergeometric.SampleCounts(_environment, _population, l, k, _logFactorial, counts);
            return;
        }

        int total = 0;
        for (int j = 0; j < l; j++)
        {
            left[j] = _population[j];
            counts[j] = 0;
            total += left[j];
        }

        for (int draw = 0; draw < k; draw++)
        {
            int u = (int)Below((uint)(total - draw));
            int j = 0;
            while (u >= left[j])
            {
                u -= left[j];
                j++;
            }

            left[j]--;
            counts[j]++;
        }
    }

    /// <summary>
    /// A uniform integer in <c>[0, bound)</c>, exactly: Lemire's multiply-and-reject ("Fast random integer generation in an
    /// interval", ACM TOMACS 2019), which needs a division only in the rare rejection zone (<see cref="Pcg32.NextBelow"/> divides twice).
    /// </summary>
    private uint Below(uint bound)
    {
        ulong m = (ulong)_environment.NextUInt32() * bound;
        uint low = (uint)m;
        if (low < bound)
        {
            uint threshold = unchecked(0u - bound) % bound;
            while (low < threshold)
            {
                m = (ulong)_environment.NextUInt32() * bound;
                low = (uint)m;
            }
        }

        return (uint)(m >> 32);
    }

    /// <summary>
    /// <c>next += Multinomial(trials, Q(· | row))</c> by sequential binomials over the row's positive outcomes in increasing
    /// order of <c>Q</c>: <c>X_i ~ Bin(left, q_i)</c> with <c>q_i = Q_i / Σ_{i' ≥ i} Q_{i'}</c> (<see cref="SequentialLaws"/>), the
    /// most probable outcome taking what is left (no draw for it, and every <c>q_i ≤ 1/2</c>); outcomes with <c>Q_i = 0</c> are
    /// never visited, so no robot lands on one by round-off.
    /// </summary>
    private void AddMultinomial(int trials, int row, int[] next)
    {
        int left = trials;
        int slot = row * _tables.LocalStates;
        int last = slot + _support[row] - 1;
        for (; slot < last && left > 0; slot++)
        {
            int x = ModeSearchBinomial.Sample(_environment, left, _p[slot], _logP[slot], _logQ[slot], _ratio[slot], _logFactorial);
            next[_outcome[slot]] += x;
            left -= x;
        }

        next[_outcome[last]] += left;
    }

    private int Row(int globalState, int moveGlobalState, int localState) =>
        (((globalState * _tables.GlobalStates) + moveGlobalState) * _tables.LocalStates) + localState;

    /// <summary><c>Q[(s_g, s_m, j), j'] = Σ_a π_l(a | j, s_g) P_l(j' | j, s_m, a)</c>, for every pair <c>(s_g, s_m)</c>.</summary>
    private static double[] Compose(EvaluationTables t)
    {
        int g = t.GlobalStates, l = t.LocalStates, al = t.LocalActions;
        var composed = new double[g * g * l * l];
        for (int sg = 0; sg < g; sg++)
        {
            for (int sm = 0; sm < g; sm++)
            {
                for (int j = 0; j < l; j++)
                {
                    int target = ((((sg * g) + sm) * l) + j) * l;
                    for (int a = 0; a < al; a++)
                    {
                        double pa = t.LocalPolicy[(((sg * l) + j) * al) + a];
                        if (pa == 0)
                        {
                            continue;
                        }

                        int source = ((((sm * l) + j) * al) + a) * l;
                        for (int j2 = 0; j2 < l; j2++)
                        {
                            composed[target + j2] += pa * t.LocalTransition[source + j2];
                        }
                    }
                }
            }
        }

        return composed;
    }

    /// <summary>
    /// Per row, its positive outcomes sorted by increasing <c>Q</c> (ties by index), and for each but the last the conditional
    /// <c>q_i = Q_i / Σ_{i' ≥ i} Q_{i'}</c> (suffix sums in that order) with <c>ln q_i</c>, <c>ln(1 − q_i)</c> and
    /// <c>q_i / (1 − q_i)</c> for <see cref="ModeSearchBinomial"/>. A row without mass (invalid tables) sends every robot to
    /// the last state, as the sequential binomials did before.
    /// </summary>
    private void SequentialLaws(int l)
    {
        for (int row = 0; row < _support.Length; row++)
        {
            int offset = row * l, support = 0;
            for (int j = 0; j < l; j++)
            {
                double q = _composed[offset + j];
                if (!(q > 0))
                {
                    continue;
                }

                // Insertion sort by (Q, index): the new outcome has the largest index, so it goes after equal ones.
                int at = support++;
                while (at > 0 && _composed[offset + _outcome[offset + at - 1]] > q)
                {
                    _outcome[offset + at] = _outcome[offset + at - 1];
                    at--;
                }

                _outcome[offset + at] = j;
            }

            if (support == 0)
            {
                _outcome[offset] = l - 1;
                support = 1;
            }

            _support[row] = support;
            double suffix = 0;
            for (int i = support - 1; i >= 0; i--)
            {
                double q = _composed[offset + _outcome[offset + i]];
                suffix += q;
                if (i == support - 1)
                {
                    continue;
                }

                double p = q / suffix;
                _p[offset + i] = p;
                _logP[offset + i] = Math.Log(p);
                _logQ[offset + i] = Math.Log(1.0 - p);
                _ratio[offset + i] = p / (1.0 - p);
            }
        }
    }

    /// <summary><c>r̄_l[(s_g, j)] = Σ_a π_l(a | j, s_g) r_l(j, s_g, a)</c>.</summary>
    private static double[] MeanLocalReward(EvaluationTables t)
    {
        int rows = t.GlobalStates * t.LocalStates, al = t.LocalActions;
        var mean = new double[rows];
        for (int row = 0; row < rows; row++)
        {
            double sum = 0;
            for (int a = 0; a < al; a++)
            {
                sum += t.LocalPolicy[(row * al) + a] * t.LocalReward[(row * al) + a];
            }

            mean[row] = sum;
        }

        return mean;
    }
}
