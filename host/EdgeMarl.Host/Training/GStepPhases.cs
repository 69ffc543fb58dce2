namespace EdgeMarl.Host.Training;

/// <summary>Where one G-step spent its time, in <see cref="System.Diagnostics.Stopwatch"/> ticks (tools/EdgeMarl.Benchmarks `rounds` prints them).</summary>
internal readonly record struct GStepPhases
{
    /// <summary>Gets the time of the marginals, the count space and the next-count map.</summary>
    public long NextCountTicks { get; init; }

    /// <summary>Gets the time of allocating V and the actions and copying the warm start (topological solver).</summary>
    public long SetupTicks { get; init; }

    /// <summary>Gets the time of the strongly connected components and the single backups of the rows that read only finished values, solved as Tarjan emits them (topological solver).</summary>
    public long BackupTicks { get; init; }

    /// <summary>Gets the time of the Gauss–Seidel sweeps on the cycles (topological solver).</summary>
    public long CycleTicks { get; init; }

    /// <summary>Gets a value indicating whether the next-count map equalled the last solve's, so its components were kept.</summary>
    public bool SameMap { get; init; }

    /// <summary>Gets the rows on cycles (topological solver).</summary>
    public int CyclicRows { get; init; }
}
