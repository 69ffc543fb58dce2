using System.Diagnostics;
using System.Globalization;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// <c>induced [k] [threads] [repeats]</c>: CPU and wall time of one exact induced global transition P̃_g (the unit the stationary
/// μ's fixed point pays per iteration) for the π_g and μ of a default-preset round 1 on zones, and a hash of P̃_g so a change
/// can be checked bit for bit.
/// </summary>
internal static class InducedCost
{
    public static int Run(string[] args)
    {
        int k = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        int repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50;
        Game game = ZonesFixture.Game();
        TrainingConfig config = TrainingConfig.Default(k) with { RobotOutputPortfolio = false, Lift = LiftRule.None, Threads = threads };
        var localPolicy = new double[game.GlobalStates * game.LocalStates * game.LocalActions];
        Array.Fill(localPolicy, 1.0 / game.LocalActions);
        GStepResult global = new GStep(game, config).Solve(localPolicy, k, 0);
        LStepResult local = new LStep(game, config).Solve(localPolicy, global.Actions, 1);
        var ranker = new CountRanker(game.LocalStates, k);
        ParallelOptions parallel = config.ParallelOptions();
        double[] induced = InducedGlobalTransition.Compute(game, global.Actions, ranker, k, local.MeanField, InducedTransition.Exact, 0, 0, parallel);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();
        for (int run = 0; run < repeats; run++)
        {
            induced = InducedGlobalTransition.Compute(game, global.Actions, ranker, k, local.MeanField, InducedTransition.Exact, 0, 0, parallel);
        }

        double wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds / repeats;
        double used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats;
        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(induced.AsSpan()));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"induced k={k} threads={threads}: {wall:F3} ms wall, {used:F3} ms CPU per P̃_g (mean of {repeats}); load average {File.ReadAllText("/proc/loadavg").Trim()}; sha256 {Convert.ToHexStringLower(hash)[..16]}"));
        return 0;
    }
}
