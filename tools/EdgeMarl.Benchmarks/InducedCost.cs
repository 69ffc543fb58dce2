using System.Diagnostics;
using System.Globalization;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// <c>induced [k] [threads] [repeats]</c>: CPU and wall time of one exact induced global transition P̃_g (the unit the stationary
/// μ's fixed point pays per evaluation of F) for round 0's π_g of the default preset on zones and the stationary μ under it
/// (plain iteration), and a hash of P̃_g so a change to how P̃_g is summed can be checked bit for bit (main c4675e9:
/// ccce99846a5aabb5 at k = 50).
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
        var ranker = new CountRanker(game.LocalStates, k);
        // μ by the plain fixed-point iteration (no mixing), so the hash below depends only on how P̃_g is summed.
        double[] mu = MeanField.Stationary(game, LocalMarginals.Compute(game, localPolicy), global.Actions, ranker, k, config, 1, true, 0, null, out _);
        ParallelOptions parallel = config.ParallelOptions();
        double[] induced = InducedGlobalTransition.Compute(game, global.Actions, ranker, k, mu, InducedTransition.Exact, 0, 0, parallel);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();
        for (int run = 0; run < repeats; run++)
        {
            induced = InducedGlobalTransition.Compute(game, global.Actions, ranker, k, mu, InducedTransition.Exact, 0, 0, parallel);
        }

        double wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds / repeats;
        double used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats;
        if (game.LocalStates >= 3)
        {
            // As the stationary μ's fixed point evaluates it: π_g's runs found once, then one sum per μ.
            ActionRuns runs = ActionRuns.Build(global.Actions, game.GlobalStates, game.LocalStates, k);
            TimeSpan cpuRuns = Process.GetCurrentProcess().TotalProcessorTime;
            long startedRuns = Stopwatch.GetTimestamp();
            for (int run = 0; run < repeats; run++)
            {
                _ = InducedGlobalTransition.Compute(game, global.Actions, ranker, k, mu, InducedTransition.Exact, 0, 0, parallel, runs);
            }

            double wallRuns = Stopwatch.GetElapsedTime(startedRuns).TotalMilliseconds / repeats;
            double usedRuns = (Process.GetCurrentProcess().TotalProcessorTime - cpuRuns).TotalMilliseconds / repeats;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"induced k={k} with π_g's runs found once ({runs.Runs} runs of equal action over |S_g|·|C_k| = {global.Actions.Length} rows): {wallRuns:F3} ms wall, {usedRuns:F3} ms CPU per P̃_g (mean of {repeats})"));
        }

        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(induced.AsSpan()));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"induced k={k} threads={threads}: {wall:F3} ms wall, {used:F3} ms CPU per P̃_g (mean of {repeats}); load average {File.ReadAllText("/proc/loadavg").Trim()}; sha256 {Convert.ToHexStringLower(hash)[..16]}"));
        return 0;
    }
}
