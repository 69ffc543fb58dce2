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
/// <c>edgemarl bench</c>: training speed on zones. For every k: the reference-compatible preset with one thread
/// and with all threads (table for k only, as the reference trains), and the default preset end to end (its lifted chain and
/// every table it stores: k and the geometric degradation set), each with rounds, seconds per round and G-step time per sweep
/// (reference preset) or per solve (default preset); with <c>--reference DIR</c> the public
/// reference's own <c>train()</c> runs first in a child process and the ratios are taken against that run (equal work per
/// round); without it, the reference's numbers are the stored ones and are labelled so. Release build, quiet machine.
/// </summary>
internal static class BenchCommand
{
    private const string StoredLabel = "stored (docs/reference-benchmark.md, 2026-11-24)";

    public static Command Create()
    {
        var ks = new Option<string>("--k") { Description = "Comma-separated k values to train.", DefaultValueFactory = _ => "10,30,50" };
        var repeats = new Option<int>("--repeats") { Description = "EdgeMarl training runs per k and setting (the median is reported).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Worker threads of the 'all threads' rows (0 = all cores).", DefaultValueFactory = _ => 0 };
        var reference = new Option<DirectoryInfo?>("--reference") { Description = "A checkout of the public reference (emiletimothy/alternating-marl): run its train() at each k, then EdgeMarl, and print ratios of the two runs." };
        var python = new Option<string?>("--python") { Description = "Python with numpy for --reference (default: python3, then /usr/bin/python3)." };
        var presets = new Option<string>("--presets") { Description = "Which EdgeMarl presets to time: reference, default or both.", DefaultValueFactory = _ => "reference,default" };
        var skipEvaluation = new Option<bool>("--no-eval") { Description = "Skip the evaluation-throughput measurement." };
        var command = new Command("bench", "Measure training time per round and per sweep, peak memory and evaluation throughput on zones, next to the reference's train() (run now with --reference, else stored numbers, labelled).")
        {
            ks, repeats, threads, reference, python, presets, skipEvaluation,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("bench", () => Run(
            ParseKs(parse.GetValue(ks)!),
            parse.GetValue(repeats),
            parse.GetValue(threads),
            parse.GetValue(reference),
            parse.GetValue(python),
            parse.GetValue(presets)!,
            !parse.GetValue(skipEvaluation))));
        return command;
    }

    private static int[] ParseKs(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 1 ? k : throw new ArgumentException($"--k: '{s}' is not a positive integer"))];

    private static int Run(int[] ks, int repeats, int threads, DirectoryInfo? referenceDirectory, string? python, string presets, bool evaluation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        bool referencePreset = presets.Contains("reference", StringComparison.Ordinal), defaultPreset = presets.Contains("default", StringComparison.Ordinal);
        if (Debugger.IsAttached || typeof(AlternatingMarl).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is [DebuggableAttribute { IsJITOptimizerDisabled: true }])
        {
            Console.Error.WriteLine("edgemarl bench: warning: this is a Debug build; run 'dotnet run -c Release --project host/EdgeMarl.Cli -- bench' for numbers that mean something");
        }

        string? pythonPath = referenceDirectory == null ? null : ReferenceRunner.FindPython(python);
        Game game = ZonesGame.Create();
        CultureInfo c = CultureInfo.InvariantCulture;
        int allThreads = threads == 0 ? Environment.ProcessorCount : threads;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
        Console.WriteLine(referenceDirectory == null
            ? $"reference: {StoredLabel} (pass --reference DIR to run it here)"
            : $"reference: {pythonPath} running {referenceDirectory.FullName}/scripts/alternating_marl.py train(), unchanged, in a child process before EdgeMarl at each k");
        Console.WriteLine();
        Console.WriteLine("| k | count vectors | run | threads | total (s) | rounds | s per round | G-step s per round | ns per state-sweep | peak working set (MB) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var evaluator = new RobotLevelEvaluator(threads == 0 ? -1 : threads);

        // Warm-up (JIT) so that the first timed row does not pay for compiling what every row uses.
        AlternatingMarl.Train(game, TrainingConfig.ReferenceCompatible(5) with { KMin = 5, Threads = threads }, evaluator);
        AlternatingMarl.Train(game, TrainingConfig.Default(5) with { Threads = threads, MaxRounds = 2 }, evaluator);
        var ratios = new List<string>();
        PolicyPair? last = null;
        foreach (int k in ks.Order())
        {
            int size = new EdgeMarl.Shared.Counting.CountRanker(game.LocalStates, k).Count(k);
            int rows = size * game.GlobalStates;
            double referencePerRound = double.NaN, referenceTotal = double.NaN;
            string source;
            if (pythonPath != null)
            {
                ReferenceRun run = ReferenceRunner.Train(pythonPath, referenceDirectory!.FullName, game, k);
                (referencePerRound, referenceTotal, source) = (run.SecondsPerRound, run.Seconds, "measured now");
                Console.WriteLine(string.Create(c, $"| {k} | {size:N0} | reference train() (python, numpy) | 1 | {run.Seconds:F2} | {run.RoundSeconds.Count} | {run.SecondsPerRound:F3} | – | – | {run.PeakRssMb:F0} (python) |"));
            }
            else
            {
                int row = ReferenceBenchmarks.IndexOf(k);
                referenceTotal = row < 0 ? double.NaN : ReferenceBenchmarks.TrainingSeconds[row];
                source = StoredLabel;
                Console.WriteLine(string.Create(c, $"| {k} | {size:N0} | reference train(), {StoredLabel} | 1 | {(row < 0 ? "–" : referenceTotal.ToString("F2", c))} | – | – | – | – | – |"));
            }

            double oneThreadPerRound = double.NaN, allThreadsPerRound = double.NaN;
            if (referencePreset)
            {
                foreach (int t in allThreads == 1 ? [1] : new[] { 1, allThreads })
                {
                    Measured m = Measure(game, TrainingConfig.ReferenceCompatible(k) with { KMin = k, Threads = t }, evaluator, repeats, rows, out last);
                    Console.WriteLine(string.Create(c, $"| {k} | {size:N0} | EdgeMarl reference preset (table for k) | {t} | {m.Total:F2} | {m.Rounds} | {m.PerRound:F3} | {m.GPerRound:F3} | {m.NsPerStateSweep:F2} | {m.PeakMb} |"));
                    if (t == 1)
                    {
                        oneThreadPerRound = m.PerRound;
                    }
                    else
                    {
                        allThreadsPerRound = m.PerRound;
                    }
                }
            }

            double defaultTotal = double.NaN;
            if (defaultPreset)
            {
                Measured m = Measure(game, TrainingConfig.Default(k) with { Threads = threads }, evaluator, repeats, rows, out last);
                defaultTotal = m.Total;
                string stored = string.Join(", ", PolicyBudget.Geometric(k, 1));
                Console.WriteLine(string.Create(c, $"| {k} | {size:N0} | EdgeMarl default preset (tables k' = {stored}; {m.Candidates}) | {allThreads} | {m.Total:F2} | {m.Rounds} | {m.PerRound:F3} | {m.GPerRound:F3} | {m.NsPerStateSolve:F1} per G-step | {m.PeakMb} |"));
            }

            if (pythonPath != null)
            {
                ratios.Add(string.Create(c, $"k = {k} ({source}): reference preset per round {Ratio(referencePerRound, oneThreadPerRound)} on 1 thread, {Ratio(referencePerRound, allThreadsPerRound)} on {allThreads} threads; default preset end to end {Ratio(referenceTotal, defaultTotal)} faster than the reference's train()"));
            }
            else if (!double.IsNaN(referenceTotal))
            {
                ratios.Add(string.Create(c, $"k = {k}: default preset end to end {Ratio(referenceTotal, defaultTotal)} faster than the {source} reference time (not measured in this session; per-round ratios need --reference)"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("Ratios (equal work per round: both sides run the same G-step/L-step/quick-value rounds; peak working set is this process's, cumulative):");
        foreach (string line in ratios)
        {
            Console.WriteLine("  " + line);
        }

        if (evaluation && last is not null)
        {
            // Evaluation throughput: the docs/reference-benchmark.md evaluation (horizon 50, 50 rollouts × 15 seeds, n = 1000) at the last k.
            int k = last.K;
            EvaluationSettings settings = EvaluationSettings.Reference(k, 1);
            evaluator.Evaluate(game, last, settings with { Seeds = 1, RolloutsPerSeed = 4 }); // warm-up (JIT)
            var watch = Stopwatch.StartNew();
            EvaluationResult result = evaluator.Evaluate(game, last, settings);
            double rate = result.RobotSteps / watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(c, $"evaluation (robot level, n = {game.AgentCount}, k = {k}, {allThreads} threads): {result.RobotSteps:N0} robot-steps in {watch.Elapsed.TotalSeconds:F3} s = {rate / 1e6:F1} M robot-steps/s ({StoredLabel}: reference {ReferenceBenchmarks.RobotStepsPerSecond / 1e6:F1} M/s, {rate / ReferenceBenchmarks.RobotStepsPerSecond:F1}×)"));
        }

        return PolicyCommandSupport.Ok;
    }

    private static string Ratio(double reference, double ours) =>
        double.IsNaN(reference) || double.IsNaN(ours) ? "–" : (reference / ours).ToString("F1", CultureInfo.InvariantCulture) + "×";

    private static Measured Measure(Game game, TrainingConfig config, IPolicyEvaluator evaluator, int repeats, int rows, out PolicyPair policies)
    {
        var runs = new List<(double Seconds, TrainingRecord Record)>();
        policies = null!;
        for (int r = 0; r < repeats; r++)
        {
            GStep.ClearSharedFirstRounds(); // a repeat (or the same k at another thread count) must not start from the last run's first G-steps
            GC.Collect();
            var watch = Stopwatch.StartNew();
            TrainingResult result = AlternatingMarl.Train(game, config, evaluator);
            runs.Add((watch.Elapsed.TotalSeconds, result.Record));
            policies = result.Policies;
        }

        (double seconds, TrainingRecord record) = runs.OrderBy(x => x.Seconds).ElementAt(runs.Count / 2);
        IReadOnlyList<RoundTiming> timings = record.Timings!.Rounds;
        int rounds = timings.Count;
        double roundSeconds = timings.Sum(t => t.GStepSeconds + t.LStepSeconds + t.QuickValueSeconds);
        double gSeconds = timings.Sum(t => t.GStepSeconds);
        long sweeps = record.Rounds.Sum(x => (long)x.GSweeps);
        string chain = record.Timings!.LiftedSourceSeconds is double lifted ? string.Create(CultureInfo.InvariantCulture, $"; lifted chain {lifted:F2} s, beside them") : string.Empty;
        string candidates = record.Candidates is null ? "one output" : string.Join(", ", record.Candidates.Select(x => x.Start switch
            {
                CandidateStart.LiftedPair => $"lifted pair from k' = {x.FromK}{(x.Chosen ? " chosen" : string.Empty)}",
                CandidateStart.Lifted => $"{x.LocalOutput} warm started from k' = {x.FromK} {x.Rounds} rounds{(x.Chosen ? " chosen" : string.Empty)}",
                _ => $"{x.LocalOutput} {x.Rounds} rounds{(x.Chosen ? " chosen" : string.Empty)}",
            })) + chain;
        return new Measured(
            seconds,
            rounds,
            roundSeconds / rounds,
            gSeconds / rounds,
            gSeconds * 1e9 / (sweeps * (double)rows),
            gSeconds * 1e9 / (rounds * (double)rows),
            Process.GetCurrentProcess().PeakWorkingSet64 >> 20,
            candidates);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>One EdgeMarl setting's median run.</summary>
    /// <param name="Total">Whole Train call (rounds and export), median over repeats.</param>
    /// <param name="Rounds">Rounds of the returned run (the chosen candidate's for a portfolio).</param>
    /// <param name="PerRound">G-step + L-step + quick value, per round.</param>
    /// <param name="GPerRound">G-step per round.</param>
    /// <param name="NsPerStateSweep">G-step time per state and sweep (value iteration sweeps).</param>
    /// <param name="NsPerStateSolve">G-step time per state and round: a whole solve to the fixed point (the default preset's topological G-step, whose sweeps run on the cycles only).</param>
    /// <param name="PeakMb">Peak working set of this process so far.</param>
    /// <param name="Candidates">Portfolio candidates and their rounds.</param>
    private sealed record Measured(double Total, int Rounds, double PerRound, double GPerRound, double NsPerStateSweep, double NsPerStateSolve, long PeakMb, string Candidates);
}
