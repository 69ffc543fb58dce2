// docs/design.md §2 G-step, value iteration in mode `rounded` (the reference preset), evaluated only where it is read:
//   V_n(s_g,c) = max_{a_g} [ r_g(s_g,a_g) + ρ(s_g,c) + γ Σ_{s_g'} P_g(s_g'|s_g,a_g) V_{n−1}(s_g', c'(s_g,c)) ],  n = 1..N,
// Jacobi from V_0 (0 or the warm start). Training returns V_N and the greedy actions of sweep N on every row, and the
// change max |V_N − V_{N−1}| over every row; so sweeps N and N−1 run on every count vector, and sweep n ≤ N−2 only on
// I_{N−1−n}, where I_0 = all vectors and I_{m+1} = {c'(s_g, c) : c ∈ I_m, s_g} (what sweep n+1 reads). The rounded
// mean-field map contracts, so I_m shrinks to a small attractor within a few steps (zones, k = 50: 4–5 % of the
// vectors), and the N = 100 sweeps cost about 5 full ones. Every value computed is the value full value iteration
// computes, with the same operations in the same order (RowBackup = the sweep kernels' arithmetic): bit-identical results.
// Stop rule: full value iteration stops at the first sweep whose change over every row is below GTolerance. A partial
// sweep's change is a lower bound of that, so a partial change ≥ tol proves iteration goes on; if a partial change falls
// below tol the stop cannot be decided from the rows computed, and this returns null (the caller then runs full value
// iteration from scratch). On zones the reference's 100-sweep cap is always reached first.
namespace EdgeMarl.Host.Training;

/// <summary>Value iteration evaluated only where it is read (see the file header).</summary>
public sealed partial class GStep
{
    private GStepResult? IterateWhereRead(LocalMarginals marginals, CountSpace space, NextCountModel next, double[]? warmStart, ParallelOptions parallel)
    {
        int g = _game.GlobalStates, size = space.Size, rows = size * g, cap = _config.GMaxSweeps;
        int[] nextRank = next.NextRank;

        // read[m] = I_{m+1} as sorted count-vector lists, m = 0 .. cap − 3 (nested; the last one repeats once stable).
        int levels = cap - 2;
        var read = new int[levels][];
        var member = new bool[size];
        var previous = new bool[size];
        Array.Fill(previous, true);
        for (int m = 0; m < levels; m++)
        {
            if (m > 0 && read[m - 1].Length == (m > 1 ? read[m - 2].Length : -1))
            {
                read[m] = read[m - 1]; // I_{m+1} = I_m: stable from here on
                continue;
            }

            Array.Clear(member);
            int count = 0;
            for (int c = 0; c < size; c++)
            {
                if (previous[c])
                {
                    for (int sg = 0; sg < g; sg++)
                    {
                        int to = nextRank[(c * g) + sg];
                        count += member[to] ? 0 : 1;
                        member[to] = true;
                    }
                }
            }

            var list = new int[count];
            for (int c = 0, i = 0; c < size; c++)
            {
                if (member[c])
                {
                    list[i++] = c;
                }
            }

            read[m] = list;
            (previous, member) = (member, previous);
        }

        int[] all = [.. Enumerable.Range(0, size)];
        var backup = new RowBackup(_game, marginals, space, nextRank, ForcedKernel != SweepKernelKind.General);
        var current = new double[rows];
        if (warmStart != null && warmStart.Length == rows)
        {
            Array.Copy(warmStart, current, rows);
        }

        var updated = new double[rows];
        var actions = new byte[rows];
        double change = double.PositiveInfinity;
        for (int n = 1; n <= cap; n++)
        {
            int[] vectors = n >= cap - 1 ? all : read[cap - 2 - n]; // sweep n ≤ N−2 runs on I_{N−1−n}
            change = Sweep(backup, vectors, current, updated, actions, parallel);
            (current, updated) = (updated, current);
            if (change < _config.GTolerance)
            {
                if (vectors != all)
                {
                    return null; // a partial sweep cannot decide the stop: full value iteration decides it
                }

                if (n < cap)
                {
                    // Stopped by the tolerance at sweep N−1: actions are greedy for the V before this sweep (as Iterate).
                    Sweep(backup, all, updated, null, actions, parallel);
                }

                return new GStepResult(space.K, current, actions, n, change);
            }
        }

        return new GStepResult(space.K, current, actions, cap, change);
    }

    /// <summary>One Jacobi sweep over the rows of <paramref name="vectors"/>: reads <paramref name="from"/>, writes <paramref name="to"/> (if not null) and the greedy actions; returns max |ΔV|.</summary>
    private static double Sweep(RowBackup backup, int[] vectors, double[] from, double[]? to, byte[] actions, ParallelOptions parallel)
    {
        const int Block = 4096;
        int blocks = (vectors.Length + Block - 1) / Block;
        var blockChange = new double[blocks];
        int g = backup.GlobalStates;
        void Run(int b)
        {
            double max = 0;
            int end = Math.Min(vectors.Length, (b + 1) * Block);
            for (int i = b * Block; i < end; i++)
            {
                int c = vectors[i];
                for (int sg = 0; sg < g; sg++)
                {
                    int row = (c * g) + sg;
                    double v = backup.Apply(c, sg, from, out actions[row]);
                    max = Math.Max(max, Math.Abs(v - from[row]));
                    if (to != null)
                    {
                        to[row] = v;
                    }
                }
            }

            blockChange[b] = max;
        }

        if (blocks <= 1 || parallel.MaxDegreeOfParallelism == 1)
        {
            for (int b = 0; b < blocks; b++)
            {
                Run(b);
            }
        }
        else
        {
            Parallel.For(0, blocks, parallel, Run);
        }

        double change = 0;
        for (int b = 0; b < blocks; b++)
        {
            change = Math.Max(change, blockChange[b]); // max is order-free: deterministic
        }

        return change;
    }
}
