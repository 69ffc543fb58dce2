using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Firmware.Tests.Fakes;

/// <summary>
/// In-memory <see cref="IPolicyLookup"/> from explicit arrays: <c>GlobalTables[k'][s_g · C(k') + rank(c)] = a_g</c>
/// and cumulative 8-bit thresholds <c>LocalThresholds[(s_g · |S_l| + s_l) · |A_l| + a]</c> (last one 256).
/// </summary>
public sealed class FakePolicy : IPolicyLookup, IStoredGlobalTables
{
    private readonly CountRanker _ranker;

    public FakePolicy(int globalStates, int localStates, int globalActions, int localActions, int kMin, int k, int[][] globalTables, int[] localThresholds)
    {
        GlobalStates = globalStates;
        Classes = localStates;
        GlobalActions = globalActions;
        LocalActions = localActions;
        KMin = kMin;
        K = k;
        GlobalTables = globalTables;
        LocalThresholds = localThresholds;
        _ranker = new CountRanker(localStates, k);
    }

    public int GlobalStates { get; }
    /// <summary>Gets the count classes T·|S_l| (the constructor's localStates): what counts, ranks and local rows index.</summary>
    public int Classes { get; }

    /// <summary>Gets |S_l| = Classes / RobotTypes.</summary>
    public int LocalStates => Classes / RobotTypes;

    /// <summary>Gets or sets T (1 untyped); a typed fake is built with localStates = T·|S_l| and then given its T.</summary>
    public int RobotTypes { get; set; } = 1;
    public int GlobalActions { get; }
    public int LocalActions { get; }
    public int KMin { get; }
    public int K { get; }
    public int[][] GlobalTables { get; }
    public int[] LocalThresholds { get; }
    public int GlobalLookups { get; private set; }

    /// <summary>Gets or sets the stored sample sizes (<c>Stored[k']</c>), or null for every <c>k' ∈ [KMin, K]</c>.</summary>
    public bool[]? Stored { get; set; }

    public bool HasGlobalTable(int sampleSize) =>
        sampleSize >= KMin && sampleSize <= K && (Stored is null || Stored[sampleSize]);

    /// <summary>Random tables from a seed, so that different k' tables disagree (a wrong table shows).</summary>
    public static FakePolicy Random(int globalStates, int localStates, int globalActions, int localActions, int kMin, int k, ulong seed)
    {
        var rng = new Pcg32(seed);
        var ranker = new CountRanker(localStates, k);
        var tables = new int[k + 1][];
        for (int kp = kMin; kp <= k; kp++)
        {
            tables[kp] = new int[globalStates * ranker.Count(kp)];
            for (int i = 0; i < tables[kp].Length; i++)
            {
                tables[kp][i] = (int)rng.NextBelow((uint)globalActions);
            }
        }

        var thresholds = new int[globalStates * localStates * localActions];
        for (int row = 0; row < globalStates * localStates; row++)
        {
            // Sorted cut points in [0, 256], last = 256: a valid 8-bit cumulative distribution.
            var cuts = new int[localActions];
            for (int a = 0; a < localActions - 1; a++)
            {
                cuts[a] = (int)rng.NextBelow(257);
            }

            cuts[localActions - 1] = 256;
            System.Array.Sort(cuts);
            System.Array.Copy(cuts, 0, thresholds, row * localActions, localActions);
        }

        return new FakePolicy(globalStates, localStates, globalActions, localActions, kMin, k, tables, thresholds);
    }

    public int Expected(int globalState, int[] counts)
    {
        int kPrime = 0;
        foreach (int c in counts)
        {
            kPrime += c;
        }

        return GlobalTables[kPrime][(globalState * _ranker.Count(kPrime)) + _ranker.Rank(counts, 0, kPrime)];
    }

    public bool TryGetGlobalAction(int globalState, int[] counts, int offset, out int globalAction)
    {
        GlobalLookups++;
        globalAction = 0;
        int kPrime = 0;
        for (int j = 0; j < Classes; j++)
        {
            if (counts[offset + j] < 0)
            {
                return false;
            }

            kPrime += counts[offset + j];
        }

        if (globalState < 0 || globalState >= GlobalStates || kPrime < KMin || kPrime > K)
        {
            return false;
        }

        globalAction = GlobalTables[kPrime][(globalState * _ranker.Count(kPrime)) + _ranker.Rank(counts, offset, kPrime)];
        return true;
    }

    public int GetLocalAction(int globalState, int localState, byte randomByte)
    {
        if (globalState < 0 || globalState >= GlobalStates || localState < 0 || localState >= Classes)
        {
            return -1;
        }

        int row = ((globalState * Classes) + localState) * LocalActions;
        for (int a = 0; a < LocalActions; a++)
        {
            if (randomByte < LocalThresholds[row + a])
            {
                return a;
            }
        }

        return LocalActions - 1;
    }

    /// <summary>π_l(a | s_l, s_g) = (t_a − t_{a−1}) / 256.</summary>
    public double LocalProbability(int globalState, int localState, int action)
    {
        int row = ((globalState * Classes) + localState) * LocalActions;
        int low = action == 0 ? 0 : LocalThresholds[row + action - 1];
        return (LocalThresholds[row + action] - low) / 256.0;
    }
}
