using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Benchmarks;

/// <summary>
/// The G-step on zones at k = 30 (231,880 states (s_g, c)) and k = 50 (1,581,255 states), against the fixed robot policy
/// of <see cref="ZonesFixture"/>, all cores. <see cref="ValueIterationSweep"/> is one Jacobi sweep of the reference
/// preset's value iteration (everything else built once); <see cref="TopologicalSolve"/> is a whole default-preset G-step
/// (next-count map, components, one backup per state, Gauss–Seidel on the cycles): the cost of solving to the fixed
/// point. The "ns/state" column divides the mean by the number of states.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerStateConfig))]
public class GStepSweepBenchmarks
{
    private Func<double> _sweep = null!;
    private GStep _topological = null!;
    private double[] _localPolicy = null!;

    [Params(30, 50)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Game game = ZonesFixture.Game();
        _localPolicy = ZonesFixture.Policies(K).LocalPolicy;
        _sweep = new GStep(game, TrainingConfig.ReferenceCompatible(K)).PrepareValueIterationSweep(_localPolicy, K).Sweep;
        _topological = new GStep(game, TrainingConfig.Default(K)) { ShareFirstRound = false }; // solve every time, not from the first-round cache
    }

    [Benchmark]
    public double ValueIterationSweep() => _sweep();

    [Benchmark]
    public double TopologicalSolve() => _topological.Solve(_localPolicy, K, 0).LastChange;

    /// <summary>States of zones at sample size k: |S_g| · C(k + |S_l| − 1, |S_l| − 1).</summary>
    internal static int States(int k) => 5 * new CountRanker(5, k).Count(k);

    private sealed class PerStateConfig : ManualConfig
    {
        public PerStateConfig() => AddColumn(new NanosecondsPerState());
    }

    private sealed class NanosecondsPerState : IColumn
    {
        public string Id => nameof(NanosecondsPerState);

        public string ColumnName => "ns/state";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Mean divided by the number of states (s_g, c) at K";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            BenchmarkReport? report = summary[benchmarkCase];
            if (report?.ResultStatistics is null || benchmarkCase.Parameters["K"] is not int k)
            {
                return "–";
            }

            return (report.ResultStatistics.Mean / States(k)).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
