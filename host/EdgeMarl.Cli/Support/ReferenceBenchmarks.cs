namespace EdgeMarl.Cli.Support;

/// <summary>The reference implementation's zones results (docs/reference-benchmark.md, "Reference results"), for overlays.</summary>
internal static class ReferenceBenchmarks
{
    /// <summary>Gets the sample sizes of the reference table.</summary>
    public static IReadOnlyList<int> K { get; } = [1, 2, 5, 10, 20, 30, 40, 50];

    /// <summary>Gets the reference mean return per <see cref="K"/> (horizon 50, 50 rollouts × 15 seeds).</summary>
    public static IReadOnlyList<double> Mean { get; } = [83.29, 84.94, 85.86, 87.79, 90.18, 91.40, 92.73, 93.09];

    /// <summary>Gets the reference standard deviation over evaluation seeds per <see cref="K"/>.</summary>
    public static IReadOnlyList<double> Std { get; } = [0.54, 0.84, 0.86, 0.90, 0.57, 1.42, 1.12, 0.73];

    /// <summary>Gets the reference training time in seconds per <see cref="K"/>.</summary>
    public static IReadOnlyList<double> TrainingSeconds { get; } = [0.33, 0.34, 0.39, 0.24, 2.06, 13.9, 25.4, 103.8];

    /// <summary>Gets the reference's n-robot evaluation throughput in robot-steps per second ("about 10.5 million").</summary>
    public static double RobotStepsPerSecond => 10.5e6;

    /// <summary>Returns the index of <paramref name="k"/> in <see cref="K"/>, or −1 when the table has no row for it.</summary>
    public static int IndexOf(int k)
    {
        for (int i = 0; i < K.Count; i++)
        {
            if (K[i] == k)
            {
                return i;
            }
        }

        return -1;
    }
}
