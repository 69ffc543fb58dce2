using System.Diagnostics;
using BenchmarkDotNet.Running;
using EdgeMarl.Benchmarks;
using EdgeMarl.Host.Evaluation;

// `throughput [robot|count|composed] [threads] [n]`: one quick stopwatch measurement without BenchmarkDotNet.
if (args.Length > 0 && args[0] == "throughput")
{
    string kind = args.Length > 1 ? args[1] : "robot";
    int threads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : -1;
    int n = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : EvaluationThroughputBenchmarks.N;
    var game = ZonesFixture.Game(n);
    var policies = ZonesFixture.Policies(EvaluationThroughputBenchmarks.K);
    IPolicyEvaluator evaluator = Evaluator(kind, threads);
    var settings = EvaluationSettings.Reference(EvaluationThroughputBenchmarks.K, 2026);
    evaluator.Evaluate(game, policies, settings with { Seeds = 2 });
    for (int run = 0; run < 3; run++)
    {
        var clock = Stopwatch.StartNew();
        EvaluationResult result = evaluator.Evaluate(game, policies, settings);
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{kind}: mean {result.Mean:F3} std {result.StdOverSeeds:F3}; {result.RobotSteps} robot-steps in {seconds:F3} s = {result.RobotSteps / seconds / 1e6:F1} M robot-steps/s");
    }

    return 0;
}

// `quickvalue [robot|count|composed] [k] [threads] [repeats]`: CPU and wall time of one default-preset quick value (zones, n = 1000,
// 100 rollouts × horizon 50, one seed) of the fixture's heuristic pair, the unit the alternation pays every round.
if (args.Length > 0 && args[0] == "quickvalue")
{
    string kind = args.Length > 1 ? args[1] : "composed";
    int k = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50;
    int threads = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1;
    int repeats = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 20;
    var game = ZonesFixture.Game(EvaluationThroughputBenchmarks.N);
    var policies = ZonesFixture.Policies(k);
    IPolicyEvaluator evaluator = Evaluator(kind, threads);
    var settings = new EvaluationSettings(k, 50, 100, 1, 2026);
    evaluator.Evaluate(game, policies, settings);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    double mean = 0;
    for (int run = 0; run < repeats; run++)
    {
        mean = evaluator.Evaluate(game, policies, settings with { Seed = 2026 + (ulong)run }).Mean;
    }

    double wall = clock.Elapsed.TotalMilliseconds / repeats, used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats;
    Console.WriteLine($"{kind} k={k} threads={threads}: {wall:F2} ms wall, {used:F2} ms CPU per quick value (mean of {repeats}; last value {mean:F3})");
    return 0;
}

// `lookup-cost FILE POLICIES_JSON`: exactness, decode steps and bytes read of every lookup (docs/policy-format.md "Version 4").
if (args.Length == 3 && args[0] == "lookup-cost")
{
    return LookupCost.Run(args[1], args[2]);
}

// `rounds [k] [threads] [rounds] [greedy|softmax]`: per-phase stopwatch times of the default preset's G-step and L-step rounds.
if (args.Length > 0 && args[0] == "rounds")
{
    return RoundPhases.Run(args);
}

// `induced [k] [threads] [repeats]`: CPU and wall time of one exact induced global transition (the stationary μ's unit of work).
if (args.Length > 0 && args[0] == "induced")
{
    return InducedCost.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(EvaluationThroughputBenchmarks).Assembly).Run(args);
return 0;

static IPolicyEvaluator Evaluator(string kind, int threads) => kind switch
{
    "count" => new CountLevelEvaluator(threads),
    "composed" => new ComposedCountEvaluator(threads),
    _ => new RobotLevelEvaluator(threads),
};
