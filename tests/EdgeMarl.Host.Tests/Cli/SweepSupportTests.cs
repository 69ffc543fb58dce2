using EdgeMarl.Cli.Support;


namespace EdgeMarl.Host.Tests.Cli;

/// <summary>The sweep's k lists, its log-log fit and the verdict it prints.</summary>
public class SweepSupportTests
{
    [Fact]
    public void K_lists_accept_ranges_and_lists_sorted_and_deduplicated()
    {
        Assert.Equal([1, 2, 3, 5, 10, 20], KList.Parse("1..3, 5, 10,20,2"));
        Assert.Equal([50], KList.Parse("50..50"));
        Assert.Throws<ArgumentException>(() => KList.Parse("0..3"));
        Assert.Throws<ArgumentException>(() => KList.Parse("5..2"));
        Assert.Throws<ArgumentException>(() => KList.Parse("1..2..3"));
        Assert.Throws<ArgumentException>(() => KList.Parse("x"));
    }

    [Fact]
    public void Log_log_fit_recovers_a_power_law_and_skips_non_positive_points()
    {
        double[] ks = [2, 5, 10, 20, 50, 30];
        double[] eps = [.. ks.Select(k => 7.0 / Math.Sqrt(k))];
        eps[5] = -1; // a negative estimate cannot be on a log axis: dropped
        LogLogFit fit = LogLogFit.Fit(ks, eps)!;
        Assert.Equal(-0.5, fit.Slope, 12);
        Assert.Equal(7.0 / Math.Sqrt(8), fit.At(8), 12);
        Assert.Equal(5, fit.Points);
        Assert.Equal(0, fit.SlopeStandardError, 6);
        Assert.Null(LogLogFit.Fit([2.0], [1.0]));
    }

    [Fact]
    public void The_slope_verdict_comes_from_the_fits_own_interval()
    {
        // Before: "≤ −0.4: yes/no" was a fixed threshold. Now: does the 95% interval hold −0.5, and does it stay below 0?
        double[] ks = [2, 5, 10, 20, 50];
        LogLogFit exact = LogLogFit.Fit(ks, [.. ks.Select(k => 7.0 / Math.Sqrt(k) * (1 + (0.01 * Math.Sin(k))))])!;
        Assert.Contains("holds −0.5", SweepSummary.Verdict(exact), StringComparison.Ordinal);
        Assert.Contains("decay resolved", SweepSummary.Verdict(exact), StringComparison.Ordinal);
        LogLogFit flat = LogLogFit.Fit(ks, [.. ks.Select(k => 3.0 * Math.Pow(k, -0.1) * (1 + (0.01 * Math.Cos(k))))])!;
        Assert.Contains("slower than 1/√k", SweepSummary.Verdict(flat), StringComparison.Ordinal);
        (double low, double high) = SweepSummary.SlopeInterval(flat)!.Value;
        Assert.True(low < flat.Slope && flat.Slope < high);
        LogLogFit two = LogLogFit.Fit([2.0, 4.0], [1.0, 0.5])!;
        Assert.Null(SweepSummary.SlopeInterval(two));
        Assert.Contains("no verdict", SweepSummary.Verdict(two), StringComparison.Ordinal);
    }
}

/// <summary>The sweep's files: cells read back for --replot, and two population heatmaps only when they show two cells.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SweepFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run([EdgeMarl.Cli.Commands.SweepCommand.Create()], args);

    [Fact]
    public void Replot_reads_every_cell_back_and_redraws_the_same_plots()
    {
        string output = Path.Combine(_dir, "s");
        var sweep = Run("sweep", "--game", "tiny", "--k", "1..3", "--seeds", "2", "--gap-kprime", "4", "--out", output);
        Assert.True(sweep.Code == 0, sweep.Err);
        string[] lines = File.ReadAllLines(Path.Combine(output, "sweep.csv"));
        Assert.EndsWith(",processor_count,tool_version", lines[0], StringComparison.Ordinal);
        (List<SweepRun> runs, int? cores) = SweepRun.ReadFolder(output);
        Assert.Equal(Environment.ProcessorCount, cores);
        Assert.Equal(6, runs.Count);
        for (int i = 0; i < runs.Count; i++)
        {
            Assert.StartsWith(runs[i].CsvLine(4), lines[i + 1], StringComparison.Ordinal); // every column survives the round trip
            Assert.NotEmpty(runs[i].QuickValues);
        }

        byte[] reward = File.ReadAllBytes(Path.Combine(output, "reward_vs_k.png"));
        byte[] heatmap = File.ReadAllBytes(Path.Combine(output, "population_heatmap.png"));
        File.Delete(Path.Combine(output, "reward_vs_k.png"));
        var replot = Run("sweep", "--game", "tiny", "--replot", "--out", output);
        Assert.True(replot.Code == 0, replot.Err);
        Assert.DoesNotContain("warning", replot.Err, StringComparison.Ordinal); // the retrained heatmap pair is the sweep's
        Assert.Equal(reward, File.ReadAllBytes(Path.Combine(output, "reward_vs_k.png")));
        Assert.Equal(heatmap, File.ReadAllBytes(Path.Combine(output, "population_heatmap.png")));
    }

    [Fact]
    public void The_best_heatmap_exists_only_when_it_shows_another_cell_than_the_largest_k()
    {
        // Before: population_heatmap.png and population_heatmap_best.png were written for the same cell, byte-identical.
        var seen = new HashSet<bool>();
        foreach ((string ks, string seeds) in new[] { ("2", "1"), ("1..4", "3") })
        {
            string output = Path.Combine(_dir, ks.Replace('.', '_') + "-" + seeds);
            var sweep = Run("sweep", "--game", "tiny", "--k", ks, "--seeds", seeds, "--no-gap", "--out", output);
            Assert.True(sweep.Code == 0, sweep.Err);
            (List<SweepRun> runs, _) = SweepRun.ReadFolder(output);
            SweepRun largest = runs.Where(r => r.Seed == 0).MaxBy(r => r.K)!;
            bool same = ReferenceEquals(runs.MaxBy(r => r.RewardMean), largest);
            string best = Path.Combine(output, "population_heatmap_best.png");
            seen.Add(same);
            Assert.Equal(!same, File.Exists(best));
            if (!same)
            {
                Assert.NotEqual(File.ReadAllBytes(Path.Combine(output, "population_heatmap.png")), File.ReadAllBytes(best));
            }
        }

        Assert.Equal(2, seen.Count); // both cases ran: one cell that is both, and two different cells
    }

    [Fact]
    public void Sweep_takes_the_learner_and_a_simulator_and_gives_the_in_process_numbers()
    {
        // examples/simulators/table_sim.py answers any JSON game as TableGameSimulator does: the same cells, byte for byte.
        string tiny = Path.Combine(_dir, "tiny.json");
        EdgeMarl.Host.Games.GameJson.WriteFile(EdgeMarl.Host.Games.BuiltInGames.Create("tiny"), tiny);
        string command = $"\"{Simulation.PythonSimulators.Python()}\" \"{Path.Combine(Simulation.PythonSimulators.RepositoryRoot(), "examples", "simulators", "table_sim.py")}\" \"{tiny}\"";
        string through = Path.Combine(_dir, "sim"), inProcess = Path.Combine(_dir, "in");
        var a = Run("sweep", "--game", "tiny", "--k", "1", "--seeds", "1", "--no-gap", "--samples", "4", "--l-samples", "10", "--simulator", command, "--out", through);
        var b = Run("sweep", "--game", "tiny", "--k", "1", "--seeds", "1", "--no-gap", "--learner", "qlearning", "--samples", "4", "--l-samples", "10", "--out", inProcess);
        Assert.True(a.Code == 0, a.Err);
        Assert.True(b.Code == 0, b.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(inProcess, "rounds.csv")), File.ReadAllText(Path.Combine(through, "rounds.csv")));
        foreach (string file in new[] { "policies.json", "record.json", "config.json" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(inProcess, "runs", "k01-s0", file)), File.ReadAllText(Path.Combine(through, "runs", "k01-s0", file)));
        }

        Assert.True(File.Exists(Path.Combine(through, "runs", "k01-s0", "simulator.json")));
        Assert.Contains("\"gSamplesPerPair\": 4", File.ReadAllText(Path.Combine(through, "runs", "k01-s0", "config.json")));

        var alone = Run("sweep", "--k", "1", "--seeds", "1", "--simulator", command, "--out", Path.Combine(_dir, "alone"));
        Assert.NotEqual(0, alone.Code);
        Assert.Contains("pass --game with a table game", alone.Err);
    }
}
