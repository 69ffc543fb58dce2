namespace EdgeMarl.Shared.Policy
{
    /// <summary>
    /// Which sample sizes <c>k'</c> a policy stores a global table for. A version-3 policy file stores only some (the
    /// degradation tables, docs/policy-format.md); a gateway maps the replies it got to one of them
    /// (<see cref="EdgeMarl.Shared.Sampling.ReplyReducer"/>). A policy that does not implement this stores every <c>k' ∈ [KMin, K]</c>.
    /// </summary>
    public interface IStoredGlobalTables
    {
        /// <summary>Returns whether a global table of <paramref name="sampleSize"/> is stored.</summary>
        /// <param name="sampleSize"><c>k'</c>.</param>
        /// <returns>True when <c>π_g(·, c)</c> with <c>Σ c = k'</c> can be looked up.</returns>
        bool HasGlobalTable(int sampleSize);
    }
}
