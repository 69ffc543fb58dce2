using System.Globalization;
using System.Text;
using EdgeMarl.Host.Equilibrium;

namespace EdgeMarl.Cli.Support;

/// <summary>What a sweep keeps of one cell's estimated gap (docs/nash-gap.md §6): every column of <c>sweep.csv</c>.</summary>
/// <param name="JointValue">Estimated <c>J_H</c>.</param>
/// <param name="SameK">Gateway gain of the converged G-step at the pair's own k: (mean, 99.9% half-width).</param>
/// <param name="KPrime">The largest <c>k'</c> of the gateway deviation.</param>
/// <param name="WideK">Gateway gain of the <c>k'</c> table on a <c>k'</c>-sample.</param>
/// <param name="Full">Gain of the same table with full observation, or null.</param>
/// <param name="Robot">Gain of one robot's deviation.</param>
/// <param name="Epsilon"><c>ε̂</c>.</param>
/// <param name="EpsilonHalfWidth">99.9% half-width of <c>ε̂</c> (that of its maximising term).</param>
/// <param name="TruncationBound">Bound on <c>|J − J_H|</c>.</param>
internal sealed record SweepGap(
    double JointValue, (double Mean, double HalfWidth) SameK, int KPrime, (double Mean, double HalfWidth) WideK, (double Mean, double HalfWidth)? Full,
    (double Mean, double HalfWidth) Robot, double Epsilon, double EpsilonHalfWidth, double TruncationBound)
{
    /// <summary>Keeps what the sweep reports of <paramref name="e"/>.</summary>
    public static SweepGap From(NashGapEstimate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        GainEstimate same = e.GatewayGains[0], wide = e.GatewayGains[^1];
        return new SweepGap(
            e.JointValue, (same.Mean, same.HalfWidth999), e.GatewaySampleSizes[^1], (wide.Mean, wide.HalfWidth999),
            e.FullObservationGain is { } f ? (f.Mean, f.HalfWidth999) : null, (e.RobotGain.Mean, e.RobotGain.HalfWidth999), e.Epsilon, e.EpsilonHalfWidth, e.TruncationBound);
    }
}

/// <summary>One (k, seed) cell of a sweep: training, evaluation and the estimated gap.</summary>
/// <param name="K">Sample size.</param>
/// <param name="Seed">Training seed (also the evaluation and gap seed).</param>
/// <param name="TrainSeconds">Training wall time.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="FinalRound">The round whose pair was returned.</param>
/// <param name="QuickValues">Quick value per alternation round.</param>
/// <param name="RewardMean">Evaluation mean (reference settings).</param>
/// <param name="RewardStd">Evaluation std over seeds.</param>
/// <param name="Gap">Estimated gap, or null when skipped.</param>
/// <param name="GapSeconds">Wall time of the gap estimate.</param>
internal sealed record SweepRun(
    int K, ulong Seed, double TrainSeconds, string StopReason, int FinalRound, IReadOnlyList<double> QuickValues,
    double RewardMean, double RewardStd, SweepGap? Gap, double GapSeconds)
{
    /// <summary>The CSV header matching <see cref="CsvLine"/>.</summary>
    public const string CsvHeader =
        "k,seed,train_seconds,rounds,final_round,stop_reason,reward_mean,reward_std," +
        "gap_joint_value,gateway_gain_same_k,gateway_gain_same_k_hw999,gateway_kprime,gateway_gain_kprime,gateway_gain_kprime_hw999,gateway_gain_full,gateway_gain_full_hw999," +
        "robot_gain,robot_gain_hw999,robot_gain_per_robot,epsilon,epsilon_hw999,truncation_bound,gap_seconds";

    /// <summary>Returns this run as one CSV line (invariant culture, round-trip doubles).</summary>
    /// <param name="agentCount">n, for the per-robot robot gain.</param>
    /// <returns>The line.</returns>
    public string CsvLine(int agentCount)
    {
        var b = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        b.Append(c, $"{K},{Seed},{TrainSeconds:F3},{QuickValues.Count},{FinalRound},{StopReason},{RewardMean:R},{RewardStd:R},");
        if (Gap is { } g)
        {
            b.Append(c, $"{g.JointValue:R},{g.SameK.Mean:R},{g.SameK.HalfWidth:R},{g.KPrime},{g.WideK.Mean:R},{g.WideK.HalfWidth:R},{g.Full?.Mean:R},{g.Full?.HalfWidth:R},");
            b.Append(c, $"{g.Robot.Mean:R},{g.Robot.HalfWidth:R},{g.Robot.Mean * agentCount:R},{g.Epsilon:R},{g.EpsilonHalfWidth:R},{g.TruncationBound:R},{GapSeconds:F3}");
        }
        else
        {
            b.Append(",,,,,,,,,,,,,,");
        }

        return b.ToString();
    }

    /// <summary>
    /// Reads the cells of a sweep folder back from its <c>sweep.csv</c> (columns by header name, so older files with a
    /// <c>tool</c> column read too) and <c>rounds.csv</c> (the quick values), for <c>sweep --replot</c>.
    /// </summary>
    /// <param name="directory">The sweep's output folder.</param>
    /// <returns>The cells in file order, and the machine's logical core count when the file recorded it.</returns>
    /// <exception cref="InvalidDataException">A missing column or a malformed value (names file, line and column).</exception>
    public static (List<SweepRun> Runs, int? ProcessorCount) ReadFolder(string directory)
    {
        string csvPath = Path.Combine(directory, "sweep.csv");
        string[] lines = File.ReadAllLines(csvPath);
        if (lines.Length < 2)
        {
            throw new InvalidDataException($"{csvPath}: no cells");
        }

        string[] header = lines[0].Split(',');
        var quick = new Dictionary<(int, ulong), List<double>>();
        string roundsPath = Path.Combine(directory, "rounds.csv");
        string[] roundLines = File.ReadAllLines(roundsPath);
        for (int i = 1; i < roundLines.Length; i++)
        {
            string[] f = roundLines[i].Split(',');
            var key = (int.Parse(f[0], CultureInfo.InvariantCulture), ulong.Parse(f[1], CultureInfo.InvariantCulture));
            (quick.TryGetValue(key, out List<double>? values) ? values : quick[key] = []).Add(double.Parse(f[3], CultureInfo.InvariantCulture));
        }

        var runs = new List<SweepRun>();
        int? cores = null;
        for (int i = 1; i < lines.Length; i++)
        {
            string[] f = lines[i].Split(',');
            string Text(string column)
            {
                int at = Array.IndexOf(header, column);
                return at >= 0 && at < f.Length ? f[at] : throw new InvalidDataException($"{csvPath}:{i + 1}: no column '{column}'");
            }

            double Number(string column) => double.TryParse(Text(column), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v : throw new InvalidDataException($"{csvPath}:{i + 1}: {column} '{Text(column)}' is not a number");
            (double, double) Pair(string column) => (Number(column), Number(column + "_hw999"));

            int k = (int)Number("k");
            ulong seed = ulong.Parse(Text("seed"), CultureInfo.InvariantCulture);
            SweepGap? gap = Text("epsilon").Length == 0 ? null : new SweepGap(
                Number("gap_joint_value"), Pair("gateway_gain_same_k"), (int)Number("gateway_kprime"), Pair("gateway_gain_kprime"),
                Text("gateway_gain_full").Length == 0 ? null : Pair("gateway_gain_full"), Pair("robot_gain"), Number("epsilon"), Number("epsilon_hw999"), Number("truncation_bound"));
            runs.Add(new SweepRun(
                k, seed, Number("train_seconds"), Text("stop_reason"), (int)Number("final_round"), quick.GetValueOrDefault((k, seed)) ?? [],
                Number("reward_mean"), Number("reward_std"), gap, gap is null ? 0 : Number("gap_seconds")));
            if (Array.IndexOf(header, "processor_count") >= 0)
            {
                cores = (int)Number("processor_count");
            }
        }

        return (runs, cores);
    }
}
