// docs/design.md §2 Alternation: a default-preset portfolio starts its softmax and its greedy alternation (at k and at every
// k' of the lifted chain) from the same uniform π_l with no warm start, so their first G-steps are one computation. It is
// done once and kept in a small process-wide cache (bounded by size), and every caller gets its own copy of V and the
// actions: the same bits as solving again (the G-step is a function of the game, k, the solver settings and π_l), one
// component-by-component solve from V = 0 (≈ 250 Gauss–Seidel sweeps on the cycles at k = 50) fewer per portfolio.
using System.Runtime.InteropServices;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Training;

/// <summary>The shared first G-steps (see the file header).</summary>
public sealed partial class GStep
{
    /// <summary>The cache keeps results while their V and actions total at most this many bytes (one k = 50 zones G-step is 14 MB).</summary>
    internal const long FirstRoundCacheBytes = 40L << 20;

    private static readonly object FirstRoundsLock = new();
    private static readonly LinkedList<FirstRound> FirstRounds = new(); // most recently used first

    /// <summary>Gets the number of G-steps this process answered from the cache (tests read it).</summary>
    internal static int FirstRoundHits => _firstRoundHits;

    private static int _firstRoundHits;

    /// <summary>Gets or sets a value indicating whether this instance uses the cache (benchmarks of a whole solve turn it off).</summary>
    internal bool ShareFirstRound { get; set; } = true;

    /// <summary>Whether a solve may come from (or go into) the cache: the trained k's topological solve from V = 0.</summary>
    private bool SharesFirstRound(int k, double[]? warmStart) =>
        ShareFirstRound && warmStart == null && k == _config.K && Topological && ForcedKernel == null;

    /// <summary>The solve of <paramref name="localPolicy"/> at <paramref name="k"/> from V = 0, computed at most once per cache entry.</summary>
    private GStepResult SolveFirstRound(double[] localPolicy, int k, Func<GStepResult> solve)
    {
        var key = new FirstRoundKey(_game, k, _config.GTolerance, _config.GMaxSweeps);
        FirstRound? entry = null;
        bool hit = false;
        lock (FirstRoundsLock)
        {
            for (LinkedListNode<FirstRound>? node = FirstRounds.First; node != null; node = node.Next)
            {
                if (node.Value.Key == key && MemoryMarshal.AsBytes(node.Value.LocalPolicy.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(localPolicy.AsSpan())))
                {
                    entry = node.Value;
                    FirstRounds.Remove(node);
                    FirstRounds.AddFirst(node);
                    hit = true;
                    break;
                }
            }

            if (entry == null)
            {
                long bytes = (long)_ranker.Count(k) * _game.GlobalStates * (sizeof(double) + sizeof(byte));
                entry = new FirstRound(key, (double[])localPolicy.Clone(), new Lazy<GStepResult>(solve, LazyThreadSafetyMode.ExecutionAndPublication), bytes);
                FirstRounds.AddFirst(entry);
                long total = 0;
                for (LinkedListNode<FirstRound>? node = FirstRounds.First; node != null;)
                {
                    LinkedListNode<FirstRound>? after = node.Next;
                    total += node.Value.Bytes;
                    if (total > FirstRoundCacheBytes && node != FirstRounds.First)
                    {
                        FirstRounds.Remove(node); // least recently used beyond the budget (a caller still computing it keeps its own reference)
                    }

                    node = after;
                }
            }
        }

        GStepResult result;
        try
        {
            result = entry.Result.Value; // a second caller waits here while the first computes (its core is free meanwhile)
        }
        catch
        {
            lock (FirstRoundsLock)
            {
                FirstRounds.Remove(entry);
            }

            throw;
        }

        if (hit)
        {
            Interlocked.Increment(ref _firstRoundHits);
            Phases = default;
        }

        // Callers own (and may overwrite) what they get: the alternation solves the next round in place of this V.
        return result with { Value = (double[])result.Value.Clone(), Actions = (byte[])result.Actions.Clone() };
    }

    /// <summary>
    /// Drops every cached first G-step. A benchmark that trains the same configuration more than once in one process calls it
    /// before each timed run, so every run does the whole work (results never depend on it).
    /// </summary>
    public static void ClearSharedFirstRounds()
    {
        lock (FirstRoundsLock)
        {
            FirstRounds.Clear();
        }
    }

    private sealed record FirstRoundKey(Game Game, int K, double Tolerance, int MaxSweeps);

    private sealed class FirstRound(FirstRoundKey key, double[] localPolicy, Lazy<GStepResult> result, long bytes)
    {
        public FirstRoundKey Key { get; } = key;

        public double[] LocalPolicy { get; } = localPolicy;

        public Lazy<GStepResult> Result { get; } = result;

        public long Bytes { get; } = bytes;
    }
}
