using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl bench</c>: the trainer's benchmark (issue #3, docs/reference-benchmark.md "Targets"): full reference-compatible training
/// of zones at k = 10, 30, 50 (median of repeats, peak memory), and n-robot evaluation throughput. Run it from a
/// Release build on a quiet machine; the reference's numbers were measured on this kind of 2-core machine.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var ks = new Option<string>("--k") { Description = "Comma-separated k values to train.", DefaultValueFactory = _ => "10,30,50" };
        var repeats = new Option<int>("--repeats") { Description = "Training runs per k (the median is reported).", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var command = new Command("bench", "Measure training time, peak memory and evaluation throughput on zones, next to the reference's numbers.")
        {
            ks, repeats, threads,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("bench", () => Run(ParseKs(parse.GetValue(ks)!), parse.GetValue(repeats), parse.GetValue(threads))));
        return command;
    }

    private static int[] ParseKs(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 1 ? k : throw new ArgumentException($"--k: '{s}' is not a positive integer"))];

    private static int Run(int[] ks, int repeats, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (Debugger.IsAttached || typeof(AlternatingMarl).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is [DebuggableAttribute { IsJITOptimizerDisabled: true }])
        {
            Console.Error.WriteLine("edgemarl bench: warning: this is a Debug build; run 'dotnet run -c Release --project host/EdgeMarl.Cli -- bench' for numbers that mean something");
        }

        Game game = ZonesGame.Create();
        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, threads {(threads == 0 ? "all" : threads)}");
        Console.WriteLine("| k | count vectors | training, median (s) | runs (s) | reference (s) | speed-up | peak working set (MB) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        var evaluator = new RobotLevelEvaluator(threads == 0 ? -1 : threads);
        PolicyPair? last = null;
        foreach (int k in ks.Order())
        {
            TrainingConfig config = TrainingConfig.ReferenceCompatible(k) with { KMin = k, Threads = threads };
            var seconds = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                GC.Collect();
                var watch = Stopwatch.StartNew();
                last = AlternatingMarl.Train(game, config, evaluator).Policies;
                seconds.Add(watch.Elapsed.TotalSeconds);
            }

            double median = seconds.Order().ElementAt(seconds.Count / 2);
            int row = ReferenceBenchmarks.IndexOf(k);
            double rs = row < 0 ? double.NaN : ReferenceBenchmarks.TrainingSeconds[row];
            string reference = row < 0 ? "–" : rs.ToString("F2", c);
            string speedUp = row < 0 ? "–" : (rs / median).ToString("F1", c) + "×";
            long peakMb = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
            Console.WriteLine(string.Create(c, $"| {k} | {new EdgeMarl.Shared.Counting.CountRanker(game.LocalStates, k).Count(k):N0} | {median:F2} | {string.Join(", ", seconds.Select(s => s.ToString("F2", c)))} | {reference} | {speedUp} | {peakMb} |"));
        }

        // Evaluation throughput: the docs/reference-benchmark.md evaluation (horizon 50, 50 rollouts × 15 seeds, n = 1000) at the last k.
        if (last is not null)
        {
            int k = last.K;
            EvaluationSettings settings = EvaluationSettings.Reference(k, 1);
            evaluator.Evaluate(game, last, settings with { Seeds = 1, RolloutsPerSeed = 4 }); // warm-up (JIT)
            var watch = Stopwatch.StartNew();
            EvaluationResult result = evaluator.Evaluate(game, last, settings);
            double rate = result.RobotSteps / watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(c, $"evaluation (robot level, n = {game.AgentCount}, k = {k}): {result.RobotSteps:N0} robot-steps in {watch.Elapsed.TotalSeconds:F3} s = {rate / 1e6:F1} M robot-steps/s (reference {ReferenceBenchmarks.RobotStepsPerSecond / 1e6:F1} M/s: {rate / ReferenceBenchmarks.RobotStepsPerSecond:F1}×)"));
        }

        return PolicyCommandSupport.Ok;
    }
}
