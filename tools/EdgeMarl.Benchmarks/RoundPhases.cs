using System.Diagnostics;
using System.Globalization;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// <c>rounds [k] [threads] [rounds] [greedy|softmax]</c>: the G-step and L-step of a default-preset alternation on zones
/// (warm starts as the trainer, no quick value, no revert), timed phase by phase with a stopwatch, one line per round, and a
/// hash of every round's π_g and π_l so a change can be checked bit for bit. Round 0 includes JIT and the count space.
/// </summary>
internal static class RoundPhases
{
    public static int Run(string[] args)
    {
        int k = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
        int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
        LocalPolicyOutput output = args.Length > 4 && args[4] == "greedy" ? LocalPolicyOutput.Greedy : LocalPolicyOutput.Softmax;
        Game game = ZonesFixture.Game();
        TrainingConfig config = TrainingConfig.Default(k) with { RobotOutputPortfolio = false, Lift = LiftRule.None, LocalOutput = output, Threads = threads };
        var gStep = new GStep(game, config);
        var lStep = new LStep(game, config);
        var localPolicy = new double[game.GlobalStates * game.LocalStates * game.LocalActions];
        Array.Fill(localPolicy, 1.0 / game.LocalActions);
        double[]? gWarm = null, lWarm = null;
        double ms = 1000.0 / Stopwatch.Frequency;
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        double gTotal = 0, lTotal = 0, gCpu = 0, lCpu = 0;
        Console.WriteLine($"zones k={k} threads={threads} {output}; times in ms");
        Console.WriteLine("round | G total (calling thread's CPU) | next-count map | setup | components + backups (same map: stored order) | cycles (rows) | sweeps | L total (CPU) | mu (iterations) | induced | VI (sweeps)");
        for (int round = 0; round < rounds; round++)
        {
            double c0 = ThreadCpuMilliseconds();
            long t0 = Stopwatch.GetTimestamp();
            GStepResult global = gStep.SolveConsumingWarmStart(localPolicy, k, 0, gWarm); // as the trainer (BestResponses)
            long t1 = Stopwatch.GetTimestamp();
            double c1 = ThreadCpuMilliseconds();
            LStepResult local = lStep.Solve(localPolicy, global.Actions, 1, lWarm);
            long t2 = Stopwatch.GetTimestamp();
            double c2 = ThreadCpuMilliseconds();
            gWarm = global.Value;
            lWarm = local.Value;
            localPolicy = local.LocalPolicy;
            hash.AppendData(global.Actions);
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(local.LocalPolicy.AsSpan()));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(global.Value.AsSpan()));
            GStepPhases g = gStep.Phases;
            LStepPhases l = lStep.Phases;
            if (round > 0)
            {
                gTotal += (t1 - t0) * ms;
                lTotal += (t2 - t1) * ms;
                gCpu += c1 - c0;
                lCpu += c2 - c1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round} | {(t1 - t0) * ms:F1} ({c1 - c0:F1}) | {g.NextCountTicks * ms:F1} | {g.SetupTicks * ms:F1} | {g.BackupTicks * ms:F1}{(g.SameMap ? " (same)" : string.Empty)} | {g.CycleTicks * ms:F1} ({g.CyclicRows}) | {global.Sweeps} | {(t2 - t1) * ms:F1} ({c2 - c1:F1}) | {l.MeanFieldTicks * ms:F1} ({l.MeanFieldIterations}) | {l.InducedTicks * ms:F1} | {l.ValueIterationTicks * ms:F1} ({local.Sweeps})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds 1..{rounds - 1}: G {gTotal / (rounds - 1):F1} ms/round, L {lTotal / (rounds - 1):F1} ms/round; calling thread's CPU: G {gCpu / (rounds - 1):F1} ms/round, L {lCpu / (rounds - 1):F1} ms/round; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine("sha256 of every round's pi_g, pi_l, V: " + Convert.ToHexStringLower(hash.GetHashAndReset()));
        return 0;
    }

    /// <summary>CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID; 0 elsewhere), robust to a loaded machine.</summary>
    private static double ThreadCpuMilliseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        _ = ClockGetTime(3, out TimeSpec now);
        return (now.Seconds * 1e3) + (now.Nanoseconds / 1e6);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
