// docs/design.md §2 G-step, GStepSolver.Topological (mode `rounded` only): the same Bellman backup as value iteration,
//   Q(s_g,c,a_g) = r_g(s_g,a_g) + (1/k) Σ_j c_j r̄_l(j,s_g) + γ Σ_{s_g'} P_g(s_g'|s_g,a_g) V(s_g', c'(s_g,c)),
//   V(s_g,c) = max_{a_g} Q,
// applied component by component of the graph c → c'(s_g, c) (CountGraphComponents), successors first:
//   - a component of one vector without a self-edge reads only finished values: one backup gives its exact V;
//   - any other component (a cycle, or c'(s_g, c) = c for some s_g): its rows whose c' lies outside it get one backup;
//     a lone row with c'(s_g, c) = c has the closed form V = max_a b_a/(1 − γ P_g(s_g|s_g,a)); otherwise the rows on
//     cycles get Gauss–Seidel sweeps, from the warm start, until the largest change of a sweep is below GTolerance (or
//     GMaxSweeps), greedy actions of the last sweep.
// The result is the same fixed point V* = T V* as value iteration's: outside the cyclic components T V = V holds
// exactly (up to rounding), inside them |T V − V| < tol, so |V − V*| ≤ tol/(1 − γ) (value iteration stopped on
// max |ΔV| < tol has γ·tol/(1 − γ)). Sequential: bit-identical whatever the thread count.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeMarl.Host.Training;

/// <summary>The component-by-component solver (see the file header).</summary>
public sealed partial class GStep
{
    private CountGraphComponents? _components;

    private GStepResult SolveByComponents(LocalMarginals marginals, CountSpace space, NextCountModel next, double[]? warmStart, bool reuseScratch, bool sameMap, bool consumeWarmStart)
    {
        long entered = System.Diagnostics.Stopwatch.GetTimestamp();
        int g = _game.GlobalStates, size = space.Size, rows = size * g;
        var backup = new RowBackup(_game, marginals, space, next.NextRank, ForcedKernel != SweepKernelKind.General);
        // Every row is written below, and a row's earlier value (the warm start) is read only by the rows on cycles, when their
        // component comes up, before anything writes them: so V and the actions are not zeroed, the warm start is copied row by
        // row where a cycle needs it, and a consumed warm start is simply solved in place (no 12.6 MB of fresh pages per round
        // at k = 50, whose first touches cost more than the copy).
        double[]? warm = warmStart != null && warmStart.Length == rows ? warmStart : null;
        double[] value = consumeWarmStart && warm != null ? warm : GC.AllocateUninitializedArray<double>(rows);
        byte[] actions = GC.AllocateUninitializedArray<byte>(rows);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var solver = new ComponentSolver(backup, next.NextRank, value, actions, warm, _config.GTolerance, _config.GMaxSweeps);
        CountGraphComponents components;
        bool fused = !(reuseScratch && sameMap && _components != null);
        if (fused)
        {
            // Each component is solved the moment Tarjan emits it (its successors are final by then), while the search has its
            // vectors in cache. The trained k's solves run one after the other (rounds), so they share Tarjan's arrays.
            var visitor = new SolvingVisitor(solver);
            components = CountGraphComponents.Build(next.NextRank, size, g, reuseScratch ? _components : null, ref visitor);
        }
        else
        {
            // An unchanged map (sameMap: the trained k, map equal to the last solve's) has the same components: Tarjan is
            // skipped and the components are solved in its stored order, successors first.
            components = _components!;
            for (int component = 0; component < components.Count; component++)
            {
                solver.Solve(components.Order, components.Start, components.ComponentOf, component);
            }
        }

        if (reuseScratch)
        {
            _components = components;
        }

        long finished = System.Diagnostics.Stopwatch.GetTimestamp();
        (int maxSweeps, double maxChange, int cyclicRows, long cycleTicks) = solver.Totals();
        Phases = Phases with { SetupTicks = started - entered, BackupTicks = finished - started - cycleTicks, CycleTicks = cycleTicks, CyclicRows = cyclicRows, SameMap = sameMap };
        return new GStepResult(space.K, value, actions, maxSweeps, maxChange);
    }

    /// <summary>Tarjan's visitor: solves each component as it is emitted.</summary>
    private readonly struct SolvingVisitor(ComponentSolver solver) : CountGraphComponents.IComponentVisitor
    {
        public void Emitted(int[] order, int[] start, int[] componentOf, int component) => solver.Solve(order, start, componentOf, component);
    }

    /// <summary>Solves whole components, each when every other component it reads is final.</summary>
    private sealed class ComponentSolver(RowBackup rowBackup, int[] next, double[] values, byte[] greedy, double[]? warmStart, double tolerance, int maxSweepsAllowed)
    {
        private readonly List<int> _cyclic = [];
        private double[] _rho = new double[64];
        private int[] _at = new int[64], _sg = new int[64];
        private int _maxSweeps = 1, _cyclicRows;
        private double _maxChange;
        private long _cycleTicks;

        public (int MaxSweeps, double MaxChange, int CyclicRows, long CycleTicks) Totals() => (_maxSweeps, _maxChange, _cyclicRows, _cycleTicks);

        /// <summary>Solves component <paramref name="component"/>, <c>order[start[component] .. start[component+1])</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Solve(int[] order, int[] start, int[] componentOf, int component)
        {
            // Locals, not the captured fields: the loops store into arrays, after which the JIT would reload every field.
            RowBackup backup = rowBackup;
            int[] nextRank = next;
            double[] value = values;
            byte[] actions = greedy;
            int g = backup.GlobalStates;
            int first = start[component], end = start[component + 1];
            int c = order[first];
            bool acyclic = end - first == 1;
            for (int sg = 0; acyclic && sg < g; sg++)
            {
                acyclic = nextRank[(c * g) + sg] != c;
            }

            if (acyclic)
            {
                backup.ApplyVector(c, value, actions); // successors are final: V(s_g, c) = max_a Q, exactly
                return;
            }

            // Rows whose next count vector lies outside the component read finished values: one backup each, exact.
            double[]? warm = warmStart;
            List<int> cyclic = _cyclic;
            cyclic.Clear();
            for (int i = first; i < end; i++)
            {
                int member = order[i];
                for (int sg = 0; sg < g; sg++)
                {
                    int row = (member * g) + sg;
                    if (componentOf[nextRank[row]] == component)
                    {
                        value[row] = warm?[row] ?? 0;
                        cyclic.Add(row);
                    }
                    else
                    {
                        value[row] = backup.Apply(member, sg, value, out actions[row]);
                    }
                }
            }

            if (cyclic.Count == 1)
            {
                // One row reads itself, V = max_a (b_a + β_a V) with β_a = γ P_g(s_g|s_g,a) < 1: V = max_a b_a/(1 − β_a), exactly.
                int row = cyclic[0];
                value[row] = backup.SelfLoopFixedPoint(row / g, row % g, value);
                value[row] = backup.Apply(row / g, row % g, value, out actions[row]);
                return;
            }

            // The rows on cycles: Gauss–Seidel sweeps (in place) until the largest change of a sweep is below the tolerance.
            long cycleStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            _cyclicRows += cyclic.Count;
            int sweeps = 0;
            double change;
            // ρ and c' of each cyclic row do not change between sweeps: computed once (the same doubles Apply computes).
            int count = cyclic.Count;
            if (_rho.Length < count)
            {
                _rho = new double[Math.Max(count, 2 * _rho.Length)];
                _at = new int[_rho.Length];
                _sg = new int[_rho.Length];
            }

            double[] rhos = _rho;
            int[] ats = _at, sgs = _sg;
            for (int i = 0; i < count; i++)
            {
                int row = cyclic[i];
                sgs[i] = row % g;
                ats[i] = backup.NextAt(row / g, sgs[i]);
                rhos[i] = backup.Rho(row / g, sgs[i]);
            }

            do
            {
                change = 0;
                for (int i = 0; i < count; i++)
                {
                    int row = cyclic[i];
                    double updated = backup.ApplyWithRho(sgs[i], ats[i], rhos[i], value, out actions[row]);
                    change = Math.Max(change, Math.Abs(updated - value[row]));
                    value[row] = updated;
                }

                sweeps++;
            }
            while (change >= tolerance && sweeps < maxSweepsAllowed);

            _maxSweeps = Math.Max(_maxSweeps, sweeps);
            _maxChange = Math.Max(_maxChange, change);
            _cycleTicks += System.Diagnostics.Stopwatch.GetTimestamp() - cycleStarted;
        }
    }

    /// <summary>One Bellman backup of a row, all actions in 256-bit vectors, FMAs in the order of the value-iteration kernel.</summary>
    private sealed class RowBackup
    {
        private readonly int _g, _l, _vectors;

        public int GlobalStates => _g;

        private readonly Vector256<double>[] _gammaP; // [s_g][s'][vector] = γ P_g(s'|s_g, a), lanes a; 0 beyond |A_g|
        private readonly Vector256<double>[] _reward; // [s_g][vector] = r_g(s_g, a); −∞ beyond |A_g|
        private readonly Vector512<double>[]? _gammaP512; // |A_g| ≤ 8 with AVX-512: [s_g][s'] = the two vectors of _gammaP in one
        private readonly Vector512<double>[]? _reward512; // [s_g]
        private readonly double[] _rewardOverK;       // [s_g][j] = r̄_l(j, s_g)/k
        private readonly byte[] _counts;
        private readonly int[] _next;

        public RowBackup(Games.Game game, LocalMarginals marginals, CountSpace space, int[] next, bool allow512 = true)
        {
            _g = game.GlobalStates;
            _l = game.LocalStates;
            int ag = game.GlobalActions;
            _vectors = (ag + Lanes - 1) / Lanes;
            _counts = space.Counts;
            _next = next;
            _gammaP = new Vector256<double>[_g * _g * _vectors];
            _reward = new Vector256<double>[_g * _vectors];
            var lane = new double[_vectors * Lanes];
            for (int sg = 0; sg < _g; sg++)
            {
                for (int s2 = 0; s2 < _g; s2++)
                {
                    Array.Clear(lane);
                    for (int a = 0; a < ag; a++)
                    {
                        lane[a] = game.Gamma * game.GlobalTransition[game.GlobalTransitionIndex(sg, a, s2)];
                    }

                    for (int v = 0; v < _vectors; v++)
                    {
                        _gammaP[(((sg * _g) + s2) * _vectors) + v] = Vector256.Create(lane, v * Lanes);
                    }
                }

                Array.Fill(lane, double.NegativeInfinity);
                for (int a = 0; a < ag; a++)
                {
                    lane[a] = game.GlobalRewardAt(sg, a);
                }

                for (int v = 0; v < _vectors; v++)
                {
                    _reward[(sg * _vectors) + v] = Vector256.Create(lane, v * Lanes);
                }
            }

            if (allow512 && Vector512.IsHardwareAccelerated && _vectors <= 2)
            {
                // The same lanes as the 256-bit vectors (lanes 4..7 = the second vector, or 0 / −∞ padding), so the same FMAs per lane.
                _gammaP512 = new Vector512<double>[_g * _g];
                _reward512 = new Vector512<double>[_g];
                for (int sg = 0; sg < _g; sg++)
                {
                    _reward512[sg] = Vector512.Create(_reward[sg * _vectors], _vectors == 2 ? _reward[(sg * _vectors) + 1] : Vector256.Create(double.NegativeInfinity));
                    for (int s2 = 0; s2 < _g; s2++)
                    {
                        int at = ((sg * _g) + s2) * _vectors;
                        _gammaP512[(sg * _g) + s2] = Vector512.Create(_gammaP[at], _vectors == 2 ? _gammaP[at + 1] : Vector256<double>.Zero);
                    }
                }
            }

            _rewardOverK = new double[_g * _l];
            for (int i = 0; i < _rewardOverK.Length; i++)
            {
                _rewardOverK[i] = marginals.Reward[i] / space.K;
            }
        }

        /// <summary>
        /// The fixed point of a row that reads itself (c'(s_g, c) = c) when every other value it reads is final:
        /// Q_a(V) = b_a + β_a V with β_a = γ P_g(s_g|s_g,a) &lt; 1, so V = max_a Q_a(V) = max_a b_a/(1 − β_a)
        /// (at the maximiser V = b_a/(1 − β_a); every other a has b_a + β_a V ≤ V ⇔ b_a/(1 − β_a) ≤ V).
        /// </summary>
        public double SelfLoopFixedPoint(int c, int sg, double[] value)
        {
            int row = (c * _g) + sg;
            double saved = value[row];
            value[row] = 0;
            Span<Vector256<double>> b = stackalloc Vector256<double>[_vectors];
            double rho = 0;
            for (int j = 0; j < _l; j++)
            {
                rho += _counts[(c * _l) + j] * _rewardOverK[(sg * _l) + j];
            }

            int at = _next[row] * _g, p = sg * _g * _vectors;
            for (int v = 0; v < _vectors; v++)
            {
                b[v] = Q(v, sg, at, p, Vector256.Create(rho), value); // b_a = Q_a with V(s_g, c) = 0
            }

            value[row] = saved;
            double best = double.NegativeInfinity;
            for (int v = 0; v < _vectors; v++)
            {
                Vector256<double> beta = _gammaP[p + (sg * _vectors) + v]; // γ P_g(s_g|s_g, a)
                for (int lane = 0; lane < Lanes; lane++)
                {
                    double ba = b[v].GetElement(lane);
                    if (ba > double.NegativeInfinity)
                    {
                        best = Math.Max(best, ba / (1 - beta.GetElement(lane)));
                    }
                }
            }

            return best;
        }

        /// <summary>Every row of <paramref name="c"/> (V(s_g, c) and its action for each s_g), each as <see cref="Apply"/>; no row may read c.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ApplyVector(int c, double[] value, byte[] actions)
        {
            int g = _g;
            if (_gammaP512 == null)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    int row = (c * g) + sg;
                    value[row] = Apply(c, sg, value, out actions[row]);
                }

                return;
            }

            ref double v = ref MemoryMarshal.GetArrayDataReference(value);
            for (int sg = 0; sg < g; sg++)
            {
                int row = (c * g) + sg;
                Unsafe.Add(ref v, row) = Apply512(sg, NextAt(c, sg), Rho(c, sg), ref v, out actions[row]);
            }
        }

        /// <summary>ρ(s_g,c) = (1/k) Σ_j c_j r̄_l(j,s_g), in the order value iteration sums it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Rho(int c, int sg)
        {
            int l = _l;
            ref byte counts = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_counts), c * l);
            ref double rewardOverK = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rewardOverK), sg * l);
            double rho = 0;
            for (int j = 0; j < l; j++)
            {
                rho += Unsafe.Add(ref counts, j) * Unsafe.Add(ref rewardOverK, j);
            }

            return rho;
        }

        /// <summary>Where V(·, c') of row (c, s_g)'s next count vector c' starts in V.</summary>
        public int NextAt(int c, int sg) => _next[(c * _g) + sg] * _g;

        /// <summary>
        /// <see cref="Apply"/> with all |A_g| ≤ 8 actions in one 512-bit vector: lanes 0..3 and 4..7 are Apply's two 256-bit
        /// vectors, each lane gets the same FMAs in the same order, and the max and the lowest maximiser are taken as there.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private double Apply512(int sg, int at, double rho, ref double value, out byte action)
        {
            int g = _g;
            ref double w = ref Unsafe.Add(ref value, at); // V(·, c')
            ref Vector512<double> p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_gammaP512!), sg * g);
            Vector512<double> q = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_reward512!), sg) + Vector512.Create(rho);
            for (int s2 = 0; s2 < g; s2++)
            {
                q = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, s2)), Unsafe.Add(ref p, s2), q);
            }

            Vector256<double> best = Vector256.Max(q.GetLower(), q.GetUpper()); // Apply's Vector256.Max(q0, q1)
            double max = Math.Max(Math.Max(best.GetElement(0), best.GetElement(1)), Math.Max(best.GetElement(2), best.GetElement(3)));
            action = (byte)System.Numerics.BitOperations.TrailingZeroCount(Vector512.Equals(q, Vector512.Create(max)).ExtractMostSignificantBits());
            return max;
        }

        /// <summary>Returns max_a Q(s_g, c, a) under <paramref name="value"/> and the lowest action attaining it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double Apply(int c, int sg, double[] value, out byte action) => ApplyWithRho(sg, NextAt(c, sg), Rho(c, sg), value, out action);

        /// <summary>As <see cref="Apply"/>, given ρ(s_g, c) (<see cref="Rho"/>) and where V(·, c') starts (<see cref="NextAt"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double ApplyWithRho(int sg, int at, double rho, double[] value, out byte action)
        {
            if (_gammaP512 != null)
            {
                return Apply512(sg, at, rho, ref MemoryMarshal.GetArrayDataReference(value), out action);
            }

            int g = _g, vectors = _vectors;
            var rhoVector = Vector256.Create(rho);
            int p = sg * g * vectors;
            if (vectors == 1)
            {
                // |A_g| ≤ 4: Q(s_g,c,·) = r_g(s_g,·) + ρ + Σ_{s'} γ P_g(s'|s_g,·) V(s', c') in one vector
                Vector256<double> q = Q(0, sg, at, p, rhoVector, value);
                double max = Math.Max(Math.Max(q.GetElement(0), q.GetElement(1)), Math.Max(q.GetElement(2), q.GetElement(3)));
                action = (byte)System.Numerics.BitOperations.TrailingZeroCount(Vector256.Equals(q, Vector256.Create(max)).ExtractMostSignificantBits());
                return max;
            }

            if (vectors == 2)
            {
                Vector256<double> q0 = Q(0, sg, at, p, rhoVector, value), q1 = Q(1, sg, at, p, rhoVector, value);
                Vector256<double> best = Vector256.Max(q0, q1);
                double max = Math.Max(Math.Max(best.GetElement(0), best.GetElement(1)), Math.Max(best.GetElement(2), best.GetElement(3)));
                var maxVector = Vector256.Create(max);
                uint low = Vector256.Equals(q0, maxVector).ExtractMostSignificantBits(), high = Vector256.Equals(q1, maxVector).ExtractMostSignificantBits();
                action = (byte)System.Numerics.BitOperations.TrailingZeroCount(low | (high << Lanes)); // lowest index attaining the max
                return max;
            }

            return ApplyWide(sg, at, p, rhoVector, value, out action);
        }

        private double ApplyWide(int sg, int at, int p, Vector256<double> rhoVector, double[] value, out byte action)
        {
            Span<Vector256<double>> q = stackalloc Vector256<double>[_vectors];
            Vector256<double> best = Vector256.Create(double.NegativeInfinity);
            for (int v = 0; v < _vectors; v++)
            {
                q[v] = Q(v, sg, at, p, rhoVector, value);
                best = Vector256.Max(best, q[v]);
            }

            double max = Math.Max(Math.Max(best.GetElement(0), best.GetElement(1)), Math.Max(best.GetElement(2), best.GetElement(3)));
            var maxVector = Vector256.Create(max);
            action = 0;
            for (int v = 0; v < _vectors; v++)
            {
                uint hits = Vector256.Equals(q[v], maxVector).ExtractMostSignificantBits();
                if (hits != 0)
                {
                    action = (byte)((v * Lanes) + System.Numerics.BitOperations.TrailingZeroCount(hits)); // lowest index attaining the max
                    break;
                }
            }

            return max;
        }

        /// <summary>Actions [4v, 4v+4): r_g(s_g,a) + ρ + Σ_{s'} γ P_g(s'|s_g,a) V(s', c'), FMAs in s' order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector256<double> Q(int v, int sg, int at, int p, Vector256<double> rhoVector, double[] value)
        {
            int vectors = _vectors;
            Vector256<double> acc = _reward[(sg * vectors) + v] + rhoVector;
            for (int s2 = 0; s2 < _g; s2++)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.Create(value[at + s2]), _gammaP[p + (s2 * vectors) + v], acc);
            }

            return acc;
        }
    }
}
