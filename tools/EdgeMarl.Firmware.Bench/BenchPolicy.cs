using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Bench;

/// <summary>
/// A dense policy for benchmarks: a byte table for k' = K only (the instant radio always delivers all k reports),
/// indexed by <c>s_g · C(K) + rank(c)</c> like the real reader, and uniform 8-bit thresholds for π_l.
/// </summary>
internal sealed class BenchPolicy : IPolicyLookup
{
    private readonly CountRanker _ranker;
    private readonly byte[] _table;
    private readonly int _countK;

    public BenchPolicy(int globalStates, int localStates, int globalActions, int localActions, int k)
    {
        (GlobalStates, LocalStates, GlobalActions, LocalActions, K) = (globalStates, localStates, globalActions, localActions, k);
        _ranker = new CountRanker(localStates, k);
        _countK = _ranker.Count(k);
        _table = new byte[globalStates * _countK];
        for (int i = 0; i < _table.Length; i++)
        {
            _table[i] = (byte)((i * 2654435761u >> 16) % (uint)globalActions);
        }
    }

    public int GlobalStates { get; }
    public int LocalStates { get; }
    public int RobotTypes => 1;
    public int GlobalActions { get; }
    public int LocalActions { get; }
    public int KMin => 1;
    public int K { get; }

    public bool TryGetGlobalAction(int globalState, int[] counts, int offset, out int globalAction)
    {
        int kPrime = 0;
        for (int j = 0; j < LocalStates; j++)
        {
            kPrime += counts[offset + j];
        }

        globalAction = 0;
        if (kPrime != K || (uint)globalState >= (uint)GlobalStates)
        {
            return false;
        }

        globalAction = _table[(globalState * _countK) + _ranker.Rank(counts, offset, kPrime)];
        return true;
    }

    public int GetLocalAction(int globalState, int localState, byte randomByte) => randomByte * LocalActions >> 8;
}
