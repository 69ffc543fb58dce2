// docs/design.md §2 G-step: global best response to a fixed π_l by value iteration on states (s_g, c), Σ c_j = k.
//   Q(s_g,c,a_g) = r_g(s_g,a_g) + (1/k) Σ_j c_j r̄_l(j,s_g) + γ Σ_{s_g'} P_g(s_g'|s_g,a_g) E[V(s_g', c')]
//   V ← max_{a_g} Q   (Jacobi sweeps from V = 0 or a warm start, until max |ΔV| < tol or the sweep cap;
//   or, GStepSolver.Topological, the same backup applied component by component: GStep.Topological.cs)
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Training;

/// <summary>The G-step's value function and greedy policy for one <c>k</c>.</summary>
/// <param name="K">Sample size.</param>
/// <param name="Value">V, flat <c>[rank(c)·|S_g| + s_g]</c> (after the last sweep).</param>
/// <param name="Actions">Greedy <c>a_g</c> of the last sweep's Q (i.e. w.r.t. the V before it, as the reference), flat like <paramref name="Value"/>.</param>
/// <param name="Sweeps">Sweeps run.</param>
/// <param name="LastChange">max |ΔV| of the last sweep (the Bellman residual of the V before it).</param>
public sealed record GStepResult(int K, double[] Value, byte[] Actions, int Sweeps, double LastChange)
{
    /// <summary>Returns the table in <see cref="Policies.PolicyPair"/> layout: <c>[s_g·|C_k| + rank(c)]</c>.</summary>
    /// <param name="globalStates"><c>|S_g|</c>.</param>
    /// <returns>A new array.</returns>
    public int[] ToPolicyTable(int globalStates)
    {
        int size = Actions.Length / globalStates;
        int[] table = GC.AllocateUninitializedArray<int>(Actions.Length); // every entry is written below (a round's table is 6.3 MB at k = 50)
        ref byte actions = ref MemoryMarshal.GetArrayDataReference(Actions);
        ref int to = ref MemoryMarshal.GetArrayDataReference(table);
        for (int sg = 0; sg < globalStates; sg++)
        {
            ref byte from = ref Unsafe.Add(ref actions, sg);
            ref int column = ref Unsafe.Add(ref to, sg * size);
            for (int c = 0; c < size; c++)
            {
                Unsafe.Add(ref column, c) = Unsafe.Add(ref from, c * globalStates);
            }
        }

        return table;
    }
}

/// <summary>
/// G-step solver. Jacobi sweeps over blocks of count vectors run in parallel; each state reads only the previous
/// sweep's V, so results are bit-identical whatever the thread count. Rows are laid out <c>rank(c)·|S_g| + s_g</c>
/// so the <c>|S_g|</c> values <c>V(·, c')</c> a row needs are contiguous. Sweeps allocate nothing.
/// </summary>
public sealed partial class GStep
{
    private const int Lanes = 4; // Vector256<double>

    private readonly Game _game;
    private readonly CountRanker _ranker;
    private readonly TrainingConfig _config;
    private CountSpace? _space;
    private int[]? _nextRanks;
    private int[]? _spareRanks;

    /// <summary>The sweep implementations; all give bit-identical results (same operation order per row).</summary>
    internal enum SweepKernelKind
    {
        /// <summary>Any model: all actions of one row in 256-bit vectors.</summary>
        General,

        /// <summary>One next count vector per row, |S_g|, |A_g| ≤ 8: all actions of one row in a 512-bit vector (used when the CPU has AVX-512).</summary>
        Actions512,
    }

    /// <summary>Gets where the last <see cref="Solve(double[], int, ulong, double[])"/> spent its time (benchmarks read it).</summary>
    internal GStepPhases Phases { get; private set; }

    /// <summary>Gets or sets a kernel to use instead of the automatic choice (tests compare them).</summary>
    internal SweepKernelKind? ForcedKernel { get; set; }

    /// <summary>Initializes a new instance of the <see cref="GStep"/> class for sample sizes up to <c>config.K</c>.</summary>
    /// <param name="game">The game.</param>
    /// <param name="config">Mode, m, tolerance, sweeps, threads, seed.</param>
    public GStep(Game game, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        if (game.GlobalActions > byte.MaxValue)
        {
            throw new NotSupportedException("G-step stores actions as bytes: |A_g| must be <= 255");
        }

        _game = game;
        _config = config;
        _ranker = new CountRanker(game.LocalStates, config.K);
    }

    /// <summary>Solves the G-step for sample size <paramref name="k"/> against <paramref name="localPolicy"/>.</summary>
    /// <param name="localPolicy">π_l, flat <c>[s_g, s_l, a_l]</c>.</param>
    /// <param name="k">Sample size, in [1, config.K].</param>
    /// <param name="sampleSeed">Seed of the sampled mode's draws (ignored otherwise).</param>
    /// <param name="warmStart">Initial V (same layout and k), or null for V = 0.</param>
    /// <returns>V, greedy actions, sweeps and last change.</returns>
    /// <remarks>Calls on one instance must not overlap: solves of the trained k reuse the previous one's scratch arrays.</remarks>
    public GStepResult Solve(double[] localPolicy, int k, ulong sampleSeed, double[]? warmStart = null) =>
        Solve(localPolicy, k, sampleSeed, warmStart, _config.ParallelOptions(), reuseScratch: true, consumeWarmStart: false);

    /// <summary>
    /// As <see cref="Solve(double[], int, ulong, double[])"/>, but the caller gives <paramref name="warmStart"/> up: the
    /// component-by-component solver (<see cref="Topological"/>) overwrites it in place and returns it as the result's V, so
    /// rounds reuse one V array instead of touching a fresh one each time. Same results bit for bit.
    /// </summary>
    /// <param name="localPolicy">π_l.</param>
    /// <param name="k">Sample size.</param>
    /// <param name="sampleSeed">Seed of the sampled mode's draws.</param>
    /// <param name="warmStart">Initial V, which may be overwritten (the caller must not read it afterwards), or null.</param>
    /// <returns>V, greedy actions, sweeps and last change.</returns>
    public GStepResult SolveConsumingWarmStart(double[] localPolicy, int k, ulong sampleSeed, double[]? warmStart) =>
        Solve(localPolicy, k, sampleSeed, warmStart, _config.ParallelOptions(), reuseScratch: true, consumeWarmStart: true);

    /// <summary>Whether <see cref="Solve(double[], int, ulong, double[])"/> uses the component-by-component solver.</summary>
    internal bool Topological => _config.GSolver == GStepSolver.Topological && _config.Mode == GStepMode.Rounded;

    private GStepResult Solve(double[] localPolicy, int k, ulong sampleSeed, double[]? warmStart, ParallelOptions parallel, bool reuseScratch, bool consumeWarmStart)
    {
        if (reuseScratch && SharesFirstRound(k, warmStart))
        {
            return SolveFirstRound(localPolicy, k, () => SolveHere(localPolicy, k, sampleSeed, null, parallel, reuseScratch: true, consumeWarmStart: false));
        }

        return SolveHere(localPolicy, k, sampleSeed, warmStart, parallel, reuseScratch, consumeWarmStart);
    }

    private GStepResult SolveHere(double[] localPolicy, int k, ulong sampleSeed, double[]? warmStart, ParallelOptions parallel, bool reuseScratch, bool consumeWarmStart)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        LocalMarginals marginals = LocalMarginals.Compute(_game, localPolicy);
        CountSpace space = Space(k);
        bool reuse = reuseScratch && k == _config.K;
        NextCountModel next = _config.Mode == GStepMode.Rounded
            ? RoundedNextCounts.Build(marginals, space, _ranker, parallel, reuse ? _spareRanks : null)
            : BuildModel(marginals, space, sampleSeed, parallel);
        bool sameMap = false;
        if (reuse)
        {
            // Two buffers for the trained k's map: this round's and the last one, so an unchanged map (late rounds, π_l
            // nearly converged) keeps the last round's components instead of running Tarjan again.
            sameMap = _config.Mode == GStepMode.Rounded && _nextRanks != null && next.NextRank.AsSpan().SequenceEqual(_nextRanks);
            _spareRanks = _config.Mode == GStepMode.Rounded ? _nextRanks : null;
            _nextRanks = next.NextRank;
        }

        Phases = new GStepPhases { NextCountTicks = System.Diagnostics.Stopwatch.GetTimestamp() - started };
        if (Topological)
        {
            return SolveByComponents(marginals, space, next, warmStart, reuse, sameMap, consumeWarmStart);
        }

        // Rounded value iteration (the reference preset): the same sweeps, each evaluated only where a later one reads it.
        return next.FanOut == 1 && ForcedKernel == null && _config.GMaxSweeps >= 3
            ? IterateWhereRead(marginals, space, next, warmStart, parallel) ?? Iterate(marginals, space, next, warmStart, parallel)
            : Iterate(marginals, space, next, warmStart, parallel);
    }

    /// <summary>Solves every <c>k' ∈ [kMin, kMax]</c> against one π_l (export needs a table per k').</summary>
    /// <param name="localPolicy">π_l.</param>
    /// <param name="kMin">Smallest k'.</param>
    /// <param name="kMax">Largest k' (at most config.K).</param>
    /// <param name="sampleSeed">Seed; k' uses <c>DeriveSeed(sampleSeed, k')</c>.</param>
    /// <returns>Results indexed <c>k' − kMin</c>.</returns>
    public GStepResult[] SolveRange(double[] localPolicy, int kMin, int kMax, ulong sampleSeed)
    {
        var results = new GStepResult[kMax - kMin + 1];
        for (int k = kMin; k <= kMax; k++)
        {
            results[k - kMin] = Solve(localPolicy, k, Shared.Random.Pcg32.DeriveSeed(sampleSeed, (ulong)k));
        }

        return results;
    }

    /// <summary>
    /// The π_g tables (<see cref="Policies.PolicyPair"/> layout) for the sample sizes <paramref name="kPrimes"/>, each the
    /// G-step of <see cref="Solve(double[], int, ulong, double[])"/> with seed <c>DeriveSeed(sampleSeed, k')</c>. The
    /// sizes run in parallel (largest first), each on one thread, so the tables do not depend on the thread count; values
    /// are dropped as soon as a table is read off, so memory stays at a few G-steps whatever the number of sizes.
    /// </summary>
    /// <param name="localPolicy">π_l.</param>
    /// <param name="kPrimes">Sample sizes, each in [1, config.K] (any subset, any order).</param>
    /// <param name="sampleSeed">Seed; k' uses <c>DeriveSeed(sampleSeed, k')</c>.</param>
    /// <returns>One table per entry of <paramref name="kPrimes"/>, in the same order.</returns>
    public int[][] SolveTables(double[] localPolicy, IReadOnlyList<int> kPrimes, ulong sampleSeed)
    {
        ArgumentNullException.ThrowIfNull(kPrimes);
        var tables = new int[kPrimes.Count][];
        int[] largestFirst = [.. Enumerable.Range(0, kPrimes.Count).OrderByDescending(i => kPrimes[i])];
        var one = new ParallelOptions { MaxDegreeOfParallelism = 1 };
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(largestFirst, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering),
            _config.ParallelOptions(),
            i => tables[i] = Solve(localPolicy, kPrimes[i], Shared.Random.Pcg32.DeriveSeed(sampleSeed, (ulong)kPrimes[i]), null, one, reuseScratch: false, consumeWarmStart: false).ToPolicyTable(_game.GlobalStates));
        return tables;
    }

    /// <summary>The count space of k (the trained k's is kept: every round needs it).</summary>
    private CountSpace Space(int k)
    {
        CountSpace? kept = _space;
        if (kept != null && kept.K == k)
        {
            return kept;
        }

        CountSpace space = CountSpace.Build(_ranker, k);
        if (k == _config.K)
        {
            _space = space;
        }

        return space;
    }

    /// <summary>Returns the full Q table <c>[row·|A_g| + a_g]</c> of one Bellman application to <paramref name="value"/> (tests, small games).</summary>
    internal double[] QTable(double[] localPolicy, int k, ulong sampleSeed, double[] value)
    {
        LocalMarginals marginals = LocalMarginals.Compute(_game, localPolicy);
        CountSpace space = CountSpace.Build(_ranker, k);
        NextCountModel next = BuildModel(marginals, space, sampleSeed);
        int g = _game.GlobalStates, ag = _game.GlobalActions, l = _game.LocalStates;
        var q = new double[space.Size * g * ag];
        var w = new double[g];
        for (int c = 0; c < space.Size; c++)
        {
            for (int sg = 0; sg < g; sg++)
            {
                int row = (c * g) + sg;
                ExpectedNextValue(next, value, row, g, w);
                double rho = 0;
                for (int j = 0; j < l; j++)
                {
                    rho += space.Counts[(c * l) + j] * marginals.Reward[(sg * l) + j] / k;
                }

                for (int a = 0; a < ag; a++)
                {
                    double future = 0;
                    for (int s2 = 0; s2 < g; s2++)
                    {
                        future += _game.GlobalTransition[_game.GlobalTransitionIndex(sg, a, s2)] * w[s2];
                    }

                    q[(row * ag) + a] = _game.GlobalRewardAt(sg, a) + rho + (_game.Gamma * future);
                }
            }
        }

        return q;
    }

    internal NextCountModel BuildModel(LocalMarginals marginals, CountSpace space, ulong sampleSeed) => BuildModel(marginals, space, sampleSeed, _config.ParallelOptions());

    private NextCountModel BuildModel(LocalMarginals marginals, CountSpace space, ulong sampleSeed, ParallelOptions parallel) => _config.Mode switch
    {
        GStepMode.Rounded => RoundedNextCounts.Build(marginals, space, _ranker, parallel),
        GStepMode.Sampled => SampledNextCounts.Build(marginals, space, _ranker, _config.SampledDraws, sampleSeed, parallel),
        GStepMode.Exact => ExactNextCounts.Build(marginals, _ranker, space.K, _config.ExactEntryLimit, parallel),
        _ => throw new ArgumentOutOfRangeException(nameof(marginals), "unknown G-step mode"),
    };

    private static void ExpectedNextValue(NextCountModel next, double[] value, int row, int g, double[] w)
    {
        Array.Clear(w);
        if (next.FanOut > 0)
        {
            double share = 1.0 / next.FanOut;
            for (int i = 0; i < next.FanOut; i++)
            {
                int at = next.NextRank[((long)row * next.FanOut) + i] * g;
                for (int s2 = 0; s2 < g; s2++)
                {
                    w[s2] += value[at + s2] * share;
                }
            }
        }
        else
        {
            for (int e = next.RowStart![row]; e < next.RowStart[row + 1]; e++)
            {
                int at = next.NextRank[e] * g;
                for (int s2 = 0; s2 < g; s2++)
                {
                    w[s2] += value[at + s2] * next.Weight![e];
                }
            }
        }
    }

    /// <summary>Everything a value-iteration sweep needs, built once per G-step: the kernel and the thread blocking.</summary>
    private PreparedSweep Prepare(LocalMarginals marginals, CountSpace space, NextCountModel next, ParallelOptions options)
    {
        int g = _game.GlobalStates, ag = _game.GlobalActions, l = _game.LocalStates, size = space.Size, k = space.K;
        int vectors = (ag + Lanes - 1) / Lanes;

        // γ P_g(s'|s_g,a) as [s_g][s'][a padded to whole vectors]; padded lanes get reward −∞ so max ignores them.
        var gammaP = new Vector256<double>[g * g * vectors];
        var reward = new Vector256<double>[g * vectors];
        var lane = new double[vectors * Lanes];
        for (int sg = 0; sg < g; sg++)
        {
            for (int s2 = 0; s2 < g; s2++)
            {
                Array.Clear(lane);
                for (int a = 0; a < ag; a++)
                {
                    lane[a] = _game.Gamma * _game.GlobalTransition[_game.GlobalTransitionIndex(sg, a, s2)];
                }

                for (int v = 0; v < vectors; v++)
                {
                    gammaP[(((sg * g) + s2) * vectors) + v] = Vector256.Create(lane, v * Lanes);
                }
            }

            Array.Fill(lane, double.NegativeInfinity);
            for (int a = 0; a < ag; a++)
            {
                lane[a] = _game.GlobalRewardAt(sg, a);
            }

            for (int v = 0; v < vectors; v++)
            {
                reward[(sg * vectors) + v] = Vector256.Create(lane, v * Lanes);
            }
        }

        // ρ(s_g,c) = (1/k) Σ_j c_j r̄_l(j,s_g): fixed during the G-step, so computed once per row.
        int rows = size * g;
        var rho = new double[rows];
        for (int c = 0; c < size; c++)
        {
            for (int sg = 0; sg < g; sg++)
            {
                double sum = 0;
                for (int j = 0; j < l; j++)
                {
                    sum += space.Counts[(c * l) + j] * (marginals.Reward[(sg * l) + j] / k);
                }

                rho[(c * g) + sg] = sum;
            }
        }

        // Rows are independent and the change is a max, so the blocking never changes results: it only balances threads.
        // Small spaces run on the calling thread, where a parallel loop's start-up would cost more than the sweep.
        int block = Math.Max(1024, (size + (8 * Environment.ProcessorCount) - 1) / (8 * Environment.ProcessorCount));
        int blocks = (size + block - 1) / block;
        ParallelOptions parallel = blocks == 1 ? new ParallelOptions { MaxDegreeOfParallelism = 1 } : options;
        SweepKernelKind kind = ForcedKernel ?? (Vector512.IsHardwareAccelerated ? SweepKernelKind.Actions512 : SweepKernelKind.General);
        ISweepKernel kernel = kind switch
        {
            SweepKernelKind.Actions512 when next.FanOut == 1 && ag <= 8 && g <= 8 => new RoundedKernel512(g, ag, _game, rho, next.NextRank),
            _ => new Kernel(g, vectors, gammaP, reward, rho, next),
        };

        return new PreparedSweep(kernel, size, rows, k, block, blocks, parallel);
    }

    private GStepResult Iterate(LocalMarginals marginals, CountSpace space, NextCountModel next, double[]? warmStart, ParallelOptions options)
    {
        (ISweepKernel kernel, int size, int rows, int k, int block, int blocks, ParallelOptions parallel) = Prepare(marginals, space, next, options);
        var current = new double[rows];
        if (warmStart != null && warmStart.Length == rows)
        {
            Array.Copy(warmStart, current, rows);
        }

        var updated = new double[rows];
        var actions = new byte[rows];
        var blockChange = new double[blocks];
        // Greedy actions are only needed for the V before the last sweep: computed in the sweep that hits the cap,
        // or by one read-only pass over that V when the tolerance stops iteration earlier.
        int sweeps = 0;
        double change = double.PositiveInfinity;
        while (sweeps < _config.GMaxSweeps)
        {
            double[] from = current, to = updated;
            byte[]? greedy = sweeps + 1 == _config.GMaxSweeps ? actions : null;
            if (blocks == 1)
            {
                blockChange[0] = kernel.Sweep(0, size, from, to, greedy);
            }
            else
            {
                Parallel.For(0, blocks, parallel, b => blockChange[b] = kernel.Sweep(b * block, Math.Min(size, (b + 1) * block), from, to, greedy));
            }

            sweeps++;
            change = 0;
            for (int b = 0; b < blocks; b++)
            {
                change = Math.Max(change, blockChange[b]); // max is order-free: deterministic
            }

            (current, updated) = (updated, current);
            if (change < _config.GTolerance)
            {
                if (greedy == null)
                {
                    double[] previous = updated;
                    Parallel.For(0, blocks, parallel, b => kernel.Sweep(b * block, Math.Min(size, (b + 1) * block), previous, null, actions));
                }

                break;
            }
        }

        return new GStepResult(k, current, actions, sweeps, change);
    }

    /// <summary>
    /// One value-iteration sweep (the kernel <see cref="Solve(double[], int, ulong, double[])"/> uses, all rows, Jacobi) at
    /// sample size <paramref name="k"/>, everything else built beforehand: for benchmarks (tools/EdgeMarl.Benchmarks).
    /// </summary>
    /// <returns>A function running one sweep from V = 1 and returning max |ΔV|, and the number of rows it updates.</returns>
    internal (Func<double> Sweep, int Rows) PrepareValueIterationSweep(double[] localPolicy, int k)
    {
        LocalMarginals marginals = LocalMarginals.Compute(_game, localPolicy);
        CountSpace space = Space(k);
        PreparedSweep prepared = Prepare(marginals, space, BuildModel(marginals, space, 0, _config.ParallelOptions()), _config.ParallelOptions());
        var from = new double[prepared.Rows];
        Array.Fill(from, 1.0);
        var to = new double[prepared.Rows];
        var blockChange = new double[prepared.Blocks];
        return (() =>
        {
            Parallel.For(0, prepared.Blocks, prepared.Parallel, b => blockChange[b] = prepared.Kernel.Sweep(b * prepared.Block, Math.Min(prepared.Size, (b + 1) * prepared.Block), from, to, null));
            return blockChange.Max();
        }, prepared.Rows);
    }

    /// <summary>A value-iteration sweep's kernel and its thread blocking over count vectors.</summary>
    private sealed record PreparedSweep(ISweepKernel Kernel, int Size, int Rows, int K, int Block, int Blocks, ParallelOptions Parallel);

    private interface ISweepKernel
    {
        /// <summary>Applies the Bellman operator to the rows of count vectors [first, end): reads <paramref name="from"/>, writes <paramref name="to"/> (if not null) and the greedy actions (if not null); returns max |ΔV|.</summary>
        double Sweep(int first, int end, double[] from, double[]? to, byte[]? actions);
    }

    /// <summary>
    /// The reference's case (one next count vector per row, |A_g| ≤ 8) with all actions in one 512-bit vector:
    /// Q(s_g,c,·) = (r_g(s_g,·) + ρ) + Σ_{s'} γP_g(s'|s_g,·)·V(s',c'), the FMAs in the same order as <see cref="Kernel"/>.
    /// </summary>
    private sealed class RoundedKernel512 : ISweepKernel
    {
        private const int Chunk = 256;
        private readonly int _g;
        private readonly Vector512<double>[] _gammaP; // [s_g·|S_g| + s'], lane a; |S_g| ≤ 8
        private readonly Vector512<double>[] _reward; // [s_g], lane a; −∞ beyond |A_g|
        private readonly double[] _rho;
        private readonly int[] _next;

        public RoundedKernel512(int g, int ag, Game game, double[] rho, int[] next)
        {
            _g = g;
            _rho = rho;
            _next = next;
            _gammaP = new Vector512<double>[g * g];
            _reward = new Vector512<double>[g];
            var lane = new double[8];
            for (int sg = 0; sg < g; sg++)
            {
                for (int s2 = 0; s2 < g; s2++)
                {
                    Array.Clear(lane);
                    for (int a = 0; a < ag; a++)
                    {
                        lane[a] = game.Gamma * game.GlobalTransition[game.GlobalTransitionIndex(sg, a, s2)];
                    }

                    _gammaP[(sg * g) + s2] = Vector512.Create(lane);
                }

                Array.Fill(lane, double.NegativeInfinity);
                for (int a = 0; a < ag; a++)
                {
                    lane[a] = game.GlobalRewardAt(sg, a);
                }

                _reward[sg] = Vector512.Create(lane);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first sweep: skip tier-0 code
        public double Sweep(int first, int end, double[] from, double[]? to, byte[]? actions)
        {
            int g = _g;
            double maxChange = 0;
            ref double v = ref MemoryMarshal.GetArrayDataReference(from);
            ref double rho = ref MemoryMarshal.GetArrayDataReference(_rho);
            ref int next = ref MemoryMarshal.GetArrayDataReference(_next);
            bool write = to != null;
            ref double target = ref write ? ref MemoryMarshal.GetArrayDataReference(to!) : ref Unsafe.NullRef<double>();

            // s_g outside the count-vector loop so its |S_g| columns γP_g(s'|s_g,·) stay in registers; chunks of
            // count vectors small enough that the |S_g| passes over a chunk's rows hit the L1/L2 cache.
            for (int chunk = first; chunk < end; chunk += Chunk)
            {
                int chunkEnd = Math.Min(end, chunk + Chunk);
                for (int sg = 0; sg < g; sg++)
                {
                    int p = sg * g;
                    Vector512<double> p0 = _gammaP[p], p1 = g > 1 ? _gammaP[p + 1] : default, p2 = g > 2 ? _gammaP[p + 2] : default, p3 = g > 3 ? _gammaP[p + 3] : default;
                    Vector512<double> p4 = g > 4 ? _gammaP[p + 4] : default, p5 = g > 5 ? _gammaP[p + 5] : default, p6 = g > 6 ? _gammaP[p + 6] : default, p7 = g > 7 ? _gammaP[p + 7] : default;
                    Vector512<double> reward = _reward[sg];
                    for (int c = chunk; c < chunkEnd; c++)
                    {
                        int row = (c * g) + sg;
                        ref double w = ref Unsafe.Add(ref v, Unsafe.Add(ref next, row) * g); // V(·, c') of this row's next count vector
                        Vector512<double> q = reward + Vector512.Create(Unsafe.Add(ref rho, row));
                        q = Vector512.FusedMultiplyAdd(Vector512.Create(w), p0, q);
                        if (g > 1)
                        {
                            q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 1)), p1, q);
                            if (g > 2)
                            {
                                q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 2)), p2, q);
                                if (g > 3)
                                {
                                    q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 3)), p3, q);
                                    if (g > 4)
                                    {
                                        q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 4)), p4, q);
                                        if (g > 5)
                                        {
                                            q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 5)), p5, q);
                                            if (g > 6)
                                            {
                                                q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 6)), p6, q);
                                                if (g > 7)
                                                {
                                                    q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 7)), p7, q);
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }

                        // V'(s_g,c) = max_a Q. Native max: Q holds no NaN, and ±0 ties compare equal for the argmax.
                        Vector256<double> m4 = Vector256.MaxNative(q.GetLower(), q.GetUpper());
                        Vector128<double> m2 = Vector128.MaxNative(m4.GetLower(), m4.GetUpper());
                        double lo = m2.ToScalar(), hi = m2.GetElement(1);
                        double max = hi > lo ? hi : lo;
                        if (actions != null)
                        {
                            ulong hits = Vector512.Equals(q, Vector512.Create(max)).ExtractMostSignificantBits();
                            actions[row] = (byte)System.Numerics.BitOperations.TrailingZeroCount(hits); // lowest index attaining the max
                        }

                        double change = Math.Abs(max - Unsafe.Add(ref v, row));
                        if (change > maxChange)
                        {
                            maxChange = change;
                        }
                        if (write)
                        {
                            Unsafe.Add(ref target, row) = max;
                        }
                    }
                }
            }

            return maxChange;
        }
    }

    /// <summary>One Bellman sweep over a block of count vectors; reads only <c>from</c>.</summary>
    private sealed class Kernel(int g, int vectors, Vector256<double>[] gammaP, Vector256<double>[] reward, double[] rho, NextCountModel next) : ISweepKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first sweep: skip tier-0 code
        public double Sweep(int firstVector, int endVector, double[] from, double[]? to, byte[]? actions)
        {
            Span<double> w = stackalloc double[g];
            Span<Vector256<double>> q = stackalloc Vector256<double>[vectors];
            double maxChange = 0;
            int fanOut = next.FanOut;
            int[] nextRank = next.NextRank;
            for (int c = firstVector; c < endVector; c++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    int row = (c * g) + sg;

                    // w(s') = E[V(s', c')]
                    if (fanOut == 1)
                    {
                        from.AsSpan(nextRank[row] * g, g).CopyTo(w);
                    }
                    else
                    {
                        w.Clear();
                        if (fanOut > 1)
                        {
                            double share = 1.0 / fanOut;
                            long start = (long)row * fanOut;
                            for (int i = 0; i < fanOut; i++)
                            {
                                int at = nextRank[start + i] * g;
                                for (int s2 = 0; s2 < g; s2++)
                                {
                                    w[s2] += from[at + s2];
                                }
                            }

                            for (int s2 = 0; s2 < g; s2++)
                            {
                                w[s2] *= share;
                            }
                        }
                        else
                        {
                            int[] rowStart = next.RowStart!;
                            double[] weight = next.Weight!;
                            for (int e = rowStart[row]; e < rowStart[row + 1]; e++)
                            {
                                int at = nextRank[e] * g;
                                double p = weight[e];
                                for (int s2 = 0; s2 < g; s2++)
                                {
                                    w[s2] += p * from[at + s2];
                                }
                            }
                        }
                    }

                    // Q(s_g,c,·) = r_g(s_g,·) + ρ + Σ_{s'} γ P_g(s'|s_g,·) w(s'), all actions at once
                    var rhoVector = Vector256.Create(rho[row]);
                    for (int v = 0; v < vectors; v++)
                    {
                        Vector256<double> acc = reward[(sg * vectors) + v] + rhoVector;
                        int pAt = sg * g * vectors;
                        for (int s2 = 0; s2 < g; s2++)
                        {
                            acc = Vector256.FusedMultiplyAdd(Vector256.Create(w[s2]), gammaP[pAt + (s2 * vectors) + v], acc);
                        }

                        q[v] = acc;
                    }

                    // V'(s_g,c) = max_a Q; greedy a_g = lowest index attaining it
                    Vector256<double> best = q[0];
                    for (int v = 1; v < vectors; v++)
                    {
                        best = Vector256.Max(best, q[v]);
                    }

                    double max = Math.Max(Math.Max(best.GetElement(0), best.GetElement(1)), Math.Max(best.GetElement(2), best.GetElement(3)));
                    var maxVector = Vector256.Create(max);
                    if (actions != null)
                    {
                        for (int v = 0; v < vectors; v++)
                        {
                            uint hits = Vector256.Equals(q[v], maxVector).ExtractMostSignificantBits();
                            if (hits != 0)
                            {
                                actions[row] = (byte)((v * Lanes) + System.Numerics.BitOperations.TrailingZeroCount(hits)); // lowest index attaining the max
                                break;
                            }
                        }
                    }

                    maxChange = Math.Max(maxChange, Math.Abs(max - from[row]));
                    if (to != null)
                    {
                        to[row] = max;
                    }
                }
            }

            return maxChange;
        }
    }
}
