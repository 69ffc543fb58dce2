using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Shared.Sampling
{
    /// <summary>
    /// The degradation rule (docs/policy-format.md "Degradation tables"): a gateway that got <c>m</c> replies but whose
    /// policy stores only some <c>k'</c> uses the largest stored <c>k* ≤ m</c> and subsamples the <c>m</c> replies down to
    /// <c>k*</c> with Floyd's algorithm (<see cref="Subsampler"/>) on its own generator, then counts them. The firmware gateway
    /// and the evaluator's device-exact mode both call this class, so they agree bit for bit.
    /// </summary>
    /// <remarks>
    /// Draws: none when <c>k* = m</c>; otherwise exactly <c>k*</c> <see cref="Pcg32.NextBelow"/> draws (Floyd over
    /// <c>[0, m)</c>), taken right after the tick's poll sample. <c>O(m + |S_l|)</c>, no allocation after construction.
    /// </remarks>
    public sealed class ReplyReducer
    {
        private readonly Subsampler _sampler;
        private readonly int[] _chosen;
        private readonly int _localStateCount;

        /// <summary>Initializes a new instance of the <see cref="ReplyReducer"/> class.</summary>
        /// <param name="maxReplies">Largest <c>m</c> (the gateway's <c>k</c>).</param>
        /// <param name="localStateCount"><c>|S_l|</c>.</param>
        /// <exception cref="System.ArgumentException">A size is out of range.</exception>
        public ReplyReducer(int maxReplies, int localStateCount)
        {
            if (maxReplies < 0 || localStateCount < 1)
            {
                throw new System.ArgumentException("reply reducer: need m >= 0 and |S_l| >= 1", nameof(maxReplies));
            }

            _sampler = new Subsampler(maxReplies);
            _chosen = new int[maxReplies];
            _localStateCount = localStateCount;
        }

        /// <summary>
        /// Returns <c>k*</c>, the largest <c>k' ≤ m</c> with a stored table in <c>[kMin, kMax]</c>, or -1 when there is none.
        /// <paramref name="tables"/> null means every <c>k' ∈ [kMin, kMax]</c> is stored. <c>O(m)</c> calls, no allocation.
        /// </summary>
        /// <param name="tables">The policy's stored sizes, or null.</param>
        /// <param name="kMin">The policy's smallest <c>k'</c>.</param>
        /// <param name="kMax">The policy's largest <c>k'</c>.</param>
        /// <param name="replies"><c>m</c>, the replies received.</param>
        /// <returns><c>k*</c>, or -1.</returns>
        public static int TargetSampleSize(IStoredGlobalTables tables, int kMin, int kMax, int replies)
        {
            for (int kPrime = replies < kMax ? replies : kMax; kPrime >= kMin && kPrime >= 0; kPrime--)
            {
                if (tables == null || tables.HasGlobalTable(kPrime))
                {
                    return kPrime;
                }
            }

            return -1;
        }

        /// <summary>
        /// Counts <paramref name="target"/> of the <paramref name="replies"/> local states <c>states[offset .. offset+m)</c>
        /// (reply order) into <c>counts[countsOffset .. +|S_l|)</c>: all of them when <c>target = m</c>, else a Floyd subsample.
        /// </summary>
        /// <param name="rng">The gateway's generator (drawn from only when <c>target &lt; m</c>).</param>
        /// <param name="states">Reported local states, each in <c>[0, |S_l|)</c>.</param>
        /// <param name="offset">First state.</param>
        /// <param name="replies"><c>m</c>.</param>
        /// <param name="target"><c>k* ≤ m</c> (from <see cref="TargetSampleSize"/>).</param>
        /// <param name="counts">Receives the count vector, summing to <paramref name="target"/>.</param>
        /// <param name="countsOffset">First entry written.</param>
        /// <exception cref="System.ArgumentOutOfRangeException">A size is out of range.</exception>
        public void Reduce(Pcg32 rng, int[] states, int offset, int replies, int target, int[] counts, int countsOffset)
        {
            if (target < 0 || target > replies || replies > _chosen.Length)
            {
                throw new System.ArgumentOutOfRangeException(nameof(target));
            }

            for (int j = 0; j < _localStateCount; j++)
            {
                counts[countsOffset + j] = 0;
            }

            if (target == replies)
            {
                for (int i = 0; i < replies; i++)
                {
                    counts[countsOffset + states[offset + i]]++;
                }

                return;
            }

            _sampler.Sample(rng, replies, target, _chosen, 0);
            for (int i = 0; i < target; i++)
            {
                counts[countsOffset + states[offset + _chosen[i]]]++;
            }
        }
    }
}
