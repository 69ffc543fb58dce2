namespace EdgeMarl.Host.Training;

/// <summary>Where one L-step spent its time, in <see cref="System.Diagnostics.Stopwatch"/> ticks (tools/EdgeMarl.Benchmarks `rounds` prints them).</summary>
/// <param name="MeanFieldTicks">μ (for the stationary estimates: the fixed point of μ → P̃_g → stationary law).</param>
/// <param name="InducedTicks">The induced global transition under the final μ.</param>
/// <param name="ValueIterationTicks">Value iteration and the policy read-off.</param>
internal readonly record struct LStepPhases(long MeanFieldTicks, long InducedTicks, long ValueIterationTicks)
{
    /// <summary>Gets the iterations of the stationary μ's fixed point (0 for the reference μ).</summary>
    public int MeanFieldIterations { get; init; }
}
