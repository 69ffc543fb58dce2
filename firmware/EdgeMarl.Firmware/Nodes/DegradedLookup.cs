using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Random;
using EdgeMarl.Shared.Sampling;

namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// The gateway's lookup from the replies it got (docs/policy-format.md "Degradation tables"): the <c>m</c> answered
    /// slots' states, in slot order, reduced to the largest stored <c>k* ≤ m</c> by <see cref="ReplyReducer"/> (a Floyd
    /// subsample on the gateway's generator when <c>k* &lt; m</c>), then <c>π_g(s_g, c)</c> from the table of <c>k*</c>.
    /// </summary>
    /// <remarks>Buffers made once here; <see cref="TryLookup"/> is O(k + |S_l|), allocation-free, integers only.</remarks>
    public sealed class DegradedLookup
    {
        private readonly ReplyReducer _reducer;
        private readonly int[] _answered;
        private readonly int[] _counts;

        /// <summary>Initializes a new instance of the <see cref="DegradedLookup"/> class.</summary>
        /// <param name="sampleSize">The gateway's <c>k</c> (most replies per tick).</param>
        /// <param name="localStateCount"><c>|S_l|</c>.</param>
        public DegradedLookup(int sampleSize, int localStateCount)
        {
            _reducer = new ReplyReducer(sampleSize, localStateCount);
            _answered = new int[sampleSize];
            _counts = new int[localStateCount];
        }

        /// <summary>Gets <c>k*</c> of the last successful lookup (the table used).</summary>
        public int LastTableSampleSize { get; private set; }

        /// <summary>Looks up <c>a_g</c> from the slots that answered.</summary>
        /// <param name="policy">The policy.</param>
        /// <param name="rng">The gateway's generator.</param>
        /// <param name="globalState"><c>s_g</c>.</param>
        /// <param name="slotStates">Per polled slot, the reported <c>s_l</c>, or -1 for no answer.</param>
        /// <param name="slots"><c>k</c>, the slots polled.</param>
        /// <param name="globalAction">The action, when found.</param>
        /// <returns>False when no stored table fits the replies or the lookup failed (the caller falls back).</returns>
        public bool TryLookup(IPolicyLookup policy, Pcg32 rng, int globalState, int[] slotStates, int slots, out int globalAction)
        {
            globalAction = 0;
            int m = 0;
            for (int slot = 0; slot < slots; slot++)
            {
                if (slotStates[slot] >= 0)
                {
                    _answered[m++] = slotStates[slot];
                }
            }

            int target = ReplyReducer.TargetSampleSize(policy as IStoredGlobalTables, policy.KMin, policy.K, m);
            if (target < 0)
            {
                return false;
            }

            _reducer.Reduce(rng, _answered, 0, m, target, _counts, 0);
            if (!policy.TryGetGlobalAction(globalState, _counts, 0, out globalAction))
            {
                return false;
            }

            LastTableSampleSize = target;
            return true;
        }
    }
}
