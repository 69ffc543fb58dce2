namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// What a node needs from a policy: <c>π_g(s_g, c)</c> for any sample size <c>k' ∈ [KMin, K]</c> and a
    /// draw from <c>π_l(· | s_l, s_g)</c>. Implemented by the policy-file reader; lookups allocate nothing.
    /// </summary>
    public interface IPolicyLookup
    {
        /// <summary>Gets <c>|S_g|</c>.</summary>
        int GlobalStates { get; }

        /// <summary>Gets <c>|S_l|</c>, the states of one robot (of each type).</summary>
        int LocalStates { get; }

        /// <summary>
        /// Gets the number of robot types <c>T</c> the policy was trained for (1 for an untyped policy; docs/policy-format.md
        /// "Version 5"). A typed policy's count vectors and local rows are over the <c>T·|S_l|</c> classes
        /// <c>x = τ·|S_l| + s_l</c>; for <c>T = 1</c>, <c>x = s_l</c>.
        /// </summary>
        int RobotTypes { get; }

        /// <summary>Gets <c>|A_g|</c>.</summary>
        int GlobalActions { get; }

        /// <summary>Gets <c>|A_l|</c>.</summary>
        int LocalActions { get; }

        /// <summary>Gets the smallest sample size with a global table.</summary>
        int KMin { get; }

        /// <summary>Gets the largest sample size with a global table (the trained <c>k</c>).</summary>
        int K { get; }

        /// <summary>
        /// Looks up <c>a_g = π_g(s_g, c)</c> in the table of <c>k' = Σ_j c_j</c>.
        /// Returns false (and <paramref name="globalAction"/> = 0) when <c>s_g</c> is out of range, an entry is
        /// negative, or <c>k'</c> is outside <c>[KMin, K]</c>.
        /// </summary>
        /// <param name="globalState">Global state <c>s_g</c>.</param>
        /// <param name="counts">Count vector over the classes <c>x</c>, <c>T·|S_l|</c> entries from <paramref name="offset"/>.</param>
        /// <param name="offset">First entry of the count vector.</param>
        /// <param name="globalAction">The action, when found.</param>
        /// <returns>True when the lookup succeeded.</returns>
        bool TryGetGlobalAction(int globalState, int[] counts, int offset, out int globalAction);

        /// <summary>
        /// Draws <c>a_l ~ π_l(· | s_l, s_g)</c> from one uniform byte: the first action whose cumulative 8-bit
        /// threshold exceeds <paramref name="randomByte"/>.
        /// </summary>
        /// <param name="globalState">Global state <c>s_g</c> (from the last broadcast).</param>
        /// <param name="localState">The robot's class <c>x = τ·|S_l| + s_l</c> (its local state <c>s_l</c> when <c>T = 1</c>).</param>
        /// <param name="randomByte">A uniform byte from the robot's PRNG.</param>
        /// <returns>The local action, or -1 when a state is out of range.</returns>
        int GetLocalAction(int globalState, int localState, byte randomByte);
    }
}
