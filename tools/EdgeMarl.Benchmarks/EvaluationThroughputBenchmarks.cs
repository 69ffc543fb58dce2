using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// Evaluation throughput on zones at n = 1000, k = 10 with the reference settings (15 seeds × 50 rollouts × 50 steps
/// = 37.5 million robot-steps per operation), on all cores. "Op/s" is robot-steps per second (target ≥ 50 million).
/// No job attribute: choose one on the command line (`--job short`; `--job dry --inProcess` as a smoke test).
/// </summary>
[Config(typeof(RobotStepsConfig))]
[MemoryDiagnoser]
public class EvaluationThroughputBenchmarks
{
    public const int N = 1000;
    public const int K = 10;
    public const int RobotStepsPerOperation = 15 * 50 * 50 * N;

    private Game _game = null!;
    private PolicyPair _policies = null!;
    private readonly EvaluationSettings _settings = EvaluationSettings.Reference(K, 2026);

    [GlobalSetup]
    public void Setup()
    {
        _game = ZonesFixture.Game(N);
        _policies = ZonesFixture.Policies(K);
    }

    [Benchmark(OperationsPerInvoke = RobotStepsPerOperation, Baseline = true)]
    public double RobotLevel() => new RobotLevelEvaluator().Evaluate(_game, _policies, _settings).Mean;

    [Benchmark(OperationsPerInvoke = RobotStepsPerOperation)]
    public double CountLevel() => new CountLevelEvaluator().Evaluate(_game, _policies, _settings).Mean;

    [Benchmark(OperationsPerInvoke = RobotStepsPerOperation)]
    public double ComposedCount() => new ComposedCountEvaluator().Evaluate(_game, _policies, _settings).Mean;

    private sealed class RobotStepsConfig : ManualConfig
    {
        public RobotStepsConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
