namespace EdgeMarl.Host.Policies;

/// <summary>
/// The output of training and the only learner type that crosses into export (STYLE.md §13):
/// a deterministic global policy <c>π_g(s_g, c) → a_g</c> for every sample size <c>k' ∈ [k_min, k]</c>
/// and one shared local policy <c>π_l(a_l | s_l, s_g)</c>.
/// </summary>
/// <remarks>
/// <see cref="GlobalActions"/><c>[k' − KMin]</c> is a flat table indexed <c>s_g · C(k'+|S_l|−1, |S_l|−1) + rank(c)</c>
/// with <c>rank</c> from <see cref="EdgeMarl.Shared.Counting.CountRanker"/> (lexicographic). Greedy actions
/// break ties toward the lowest index. <see cref="LocalPolicy"/> is flat <c>[s_g, s_l, a_l]</c>, rows summing to 1.
/// </remarks>
public sealed class PolicyPair
{
    public PolicyPair(
        int globalStates,
        int globalActionCount,
        int localStates,
        int localActionCount,
        int kMin,
        int k,
        int[][] globalActions,
        double[] localPolicy)
    {
        GlobalStates = globalStates;
        GlobalActionCount = globalActionCount;
        LocalStates = localStates;
        LocalActionCount = localActionCount;
        KMin = kMin;
        K = k;
        GlobalActions = globalActions;
        LocalPolicy = localPolicy;
    }

    /// <summary>Gets <c>|S_g|</c>.</summary>
    public int GlobalStates { get; }

    /// <summary>Gets <c>|A_g|</c>.</summary>
    public int GlobalActionCount { get; }

    /// <summary>Gets <c>|S_l|</c>.</summary>
    public int LocalStates { get; }

    /// <summary>Gets <c>|A_l|</c>.</summary>
    public int LocalActionCount { get; }

    /// <summary>Gets the smallest sample size with a global table.</summary>
    public int KMin { get; }

    /// <summary>Gets the sample size trained for.</summary>
    public int K { get; }

    /// <summary>Gets <c>π_g</c> per <c>k'</c>: <c>GlobalActions[k' − KMin][s_g · |C_k'| + rank(c)]</c>.</summary>
    public int[][] GlobalActions { get; }

    /// <summary>Gets <c>π_l(a_l | s_l, s_g)</c>, flat <c>[s_g, s_l, a_l]</c>.</summary>
    public double[] LocalPolicy { get; }

    /// <summary>
    /// Returns the pair cut at its largest stored table (a lifted pair stores none above some <c>k'</c>, issue 18): the same
    /// behaviour at every sample size, since a gateway with more replies subsamples them to the largest stored table anyway.
    /// </summary>
    /// <param name="pair">The pair.</param>
    /// <returns><paramref name="pair"/> itself when its top table is stored, else the pair with <c>K</c> = its largest stored <c>k'</c>.</returns>
    /// <exception cref="ArgumentException">No table is stored.</exception>
    public static PolicyPair WithoutAbsentTop(PolicyPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        int count = pair.GlobalActions.Length;
        while (count > 0 && pair.GlobalActions[count - 1] is null)
        {
            count--;
        }

        if (count == 0)
        {
            throw new ArgumentException("policy pair: no global table is stored", nameof(pair));
        }

        return count == pair.GlobalActions.Length
            ? pair
            : new PolicyPair(pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, pair.LocalActionCount, pair.KMin, pair.KMin + count - 1, pair.GlobalActions[..count], pair.LocalPolicy);
    }

    /// <summary>Returns <c>π_l(a_l | s_l, s_g)</c>.</summary>
    public double LocalProbability(int globalState, int localState, int localAction) =>
        LocalPolicy[(((globalState * LocalStates) + localState) * LocalActionCount) + localAction];
}
