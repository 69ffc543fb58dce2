namespace EdgeMarl.Shared.Counting
{
    /// <summary>
    /// The empirical mean field the gateway sees (docs/design.md §1): <c>c_j</c> = how many of the sampled
    /// robots are in local state <c>j</c>, so <c>Σ_j c_j = k</c>.
    /// </summary>
    public static class CountVector
    {
        /// <summary>
        /// Counts the states <c>states[offset .. offset+k)</c> into <c>counts[countsOffset .. countsOffset+L)</c>.
        /// <c>O(k + L)</c>, no allocation; the order of the states does not matter.
        /// </summary>
        /// <param name="states">Local states of the sampled robots, each in <c>[0, L)</c>.</param>
        /// <param name="offset">First state read.</param>
        /// <param name="k">Number of states read.</param>
        /// <param name="localStateCount">Number of local states <c>L = |S_l|</c>.</param>
        /// <param name="counts">Caller-owned output; its <c>L</c> entries are overwritten.</param>
        /// <param name="countsOffset">First entry written.</param>
        /// <exception cref="System.ArgumentOutOfRangeException">A state is outside <c>[0, L)</c> or a range is invalid.</exception>
        public static void Count(int[] states, int offset, int k, int localStateCount, int[] counts, int countsOffset)
        {
            if (states == null || offset < 0 || k < 0 || offset > states.Length - k)
            {
                throw new System.ArgumentOutOfRangeException(nameof(states));
            }

            if (counts == null || localStateCount < 1 || countsOffset < 0 || countsOffset > counts.Length - localStateCount)
            {
                throw new System.ArgumentOutOfRangeException(nameof(counts));
            }

            for (int j = 0; j < localStateCount; j++)
            {
                counts[countsOffset + j] = 0;
            }

            for (int i = 0; i < k; i++)
            {
                int s = states[offset + i];
                if (s < 0 || s >= localStateCount)
                {
                    throw new System.ArgumentOutOfRangeException(nameof(states));
                }

                counts[countsOffset + s]++;
            }
        }
    }
}
