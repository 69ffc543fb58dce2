using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Heterogeneity;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl hetero --game zones-mixed --h 0,0.5,1 --method blind,typed --k … --typed-k … --seeds 2 --out DIR</c>: the
/// heterogeneous-fleet experiment (docs/heterogeneity.md). For every h, method, k and training seed: train (type-blind on the
/// pooled game, or typed on (type, state) counts), then estimate the Nash gap and the return on the TRUE typed fleet. Writes
/// <c>hetero.csv</c>, <c>summary.txt</c> (per h and method: mean ε̂ and return per k, the log-log slope of ε̂ over k ≥ 2) and
/// <c>gap_vs_k.png</c>, <c>return_vs_k.png</c>, <c>slope_vs_h.png</c>. Same seeds, same bytes.
/// </summary>
internal static class HeteroCommand
{
    private const ulong GapTag = 17;

    public static Command Create()
    {
        var game = new Option<string>("--game") { Description = "zones-mixed or tiny-mixed (with --h), or a game JSON file (edgemarl.game/2 with types, or a homogeneous game).", DefaultValueFactory = _ => ZonesMixedGame.Name };
        var hs = new Option<string>("--h") { Description = "zones-mixed and tiny-mixed only: heterogeneity values in [0, 1], comma-separated (0 = zones; 1 = worn robots cannot move).", DefaultValueFactory = _ => "0,0.5,1" };
        var methods = new Option<string>("--method") { Description = "blind (the paper's method as is: pooled mean field, state counts), typed ((type, state) counts, one policy per type), or both: blind,typed.", DefaultValueFactory = _ => "blind,typed" };
        var ks = new Option<string>("--k") { Description = "Sample sizes for blind training: '1..50', '1,2,3,5,8,12,20,30,50' or a mix.", DefaultValueFactory = _ => "1,2,3,5,8,12,20,30,50" };
        var typedKs = new Option<string>("--typed-k") { Description = "Sample sizes for typed training (count space C(k+T·|S_l|−1, T·|S_l|−1); zones-mixed allows k ≤ 11, larger k is refused).", DefaultValueFactory = _ => "1..6" };
        var seeds = new Option<int>("--seeds") { Description = "Training seeds per cell (0 … S−1).", DefaultValueFactory = _ => 2 };
        var horizon = new Option<int>("--horizon") { Description = "Steps per gap rollout (J_H).", DefaultValueFactory = _ => 100 };
        var rollouts = new Option<int>("--rollouts") { Description = "Rollouts per paired seed.", DefaultValueFactory = _ => 10 };
        var gapSeeds = new Option<int>("--gap-seeds") { Description = "Paired seeds of the gap estimate (at least 11).", DefaultValueFactory = _ => 11 };
        var kPrime = new Option<int>("--kprime") { Description = "k' of the blind \"more information\" gateway deviation.", DefaultValueFactory = _ => 50 };
        var typedKPrime = new Option<int>("--typed-kprime") { Description = "k' of the typed gateway deviation (counts per type and state).", DefaultValueFactory = _ => 6 };
        var n = FleetSizeOption.Create("Fleet size n instead of the game's.");
        var exact = new Option<bool>("--exact") { Description = "Exact Nash gap (docs/nash-gap.md §2–5) of every cell on the expanded (type, state) game instead of the estimate: fixed initial law and tiny games only (tiny-mixed)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (created).", Required = true };
        var command = new Command("hetero", "Heterogeneous fleets: Nash gap and return vs k for type-blind and typed training on a typed fleet (docs/heterogeneity.md).")
        {
            game, hs, methods, ks, typedKs, seeds, horizon, rollouts, gapSeeds, kPrime, typedKPrime, n, exact, output,
        };
        command.SetAction(parse => Guard(() => Run(
            parse.GetValue(game)!, parse.GetValue(hs)!, parse.GetValue(methods)!, parse.GetValue(ks)!, parse.GetValue(typedKs)!, parse.GetValue(seeds),
            new TypedGapSettings(parse.GetValue(horizon), parse.GetValue(rollouts), parse.GetValue(gapSeeds), 0, parse.GetValue(kPrime), parse.GetValue(typedKPrime)),
            parse.GetValue(n), parse.GetValue(exact), parse.GetValue(output)!, parse.InvocationConfiguration.Output)));
        return command;
    }

    private static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is GameSourceException or GameValidationException or ArgumentException or InvalidOperationException)
        {
            return PolicyCommandSupport.Fail("hetero", e.Message, PolicyCommandSupport.Usage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PolicyCommandSupport.Fail("hetero", e.Message, PolicyCommandSupport.Io);
        }
    }

    private static int Run(string gameName, string hText, string methodText, string kText, string typedKText, int seeds, TypedGapSettings gap, int? n, bool exact, DirectoryInfo output, TextWriter console)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var methods = methodText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m switch
        {
            "blind" => TypingMethod.Blind,
            "typed" => TypingMethod.Typed,
            _ => throw new ArgumentException($"--method: '{m}' is not blind or typed"),
        }).Distinct().ToArray();
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1, "--seeds");
        if (gap.Seeds < EdgeMarl.Host.Equilibrium.PairedGain.MinSeeds)
        {
            throw new ArgumentException($"--gap-seeds: {gap.Seeds}; the paired intervals need at least {EdgeMarl.Host.Equilibrium.PairedGain.MinSeeds}");
        }

        bool tiny = string.Equals(gameName, ZonesMixedGame.TinyName, StringComparison.OrdinalIgnoreCase);
        bool builtIn = tiny || string.Equals(gameName, ZonesMixedGame.Name, StringComparison.OrdinalIgnoreCase);
        double[] hValues = builtIn
            ? [.. hText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => double.TryParse(t, NumberStyles.Float, c, out double h) && h >= 0 && h <= 1 ? h : throw new ArgumentException($"--h: '{t}' is not a number in [0, 1]"))]
            : [double.NaN];
        TypedGame Make(double h)
        {
            TypedGame g = tiny ? ZonesMixedGame.CreateTiny(h) : builtIn ? ZonesMixedGame.Create(h) : GameJson.LoadTyped(gameName);
            return n is null ? g : new TypedGame(FleetSizeOption.Apply(g.Template, n), g.Types);
        }

        int[] blindKs = KList.Parse(kText), typedKs = KList.Parse(typedKText);

        // Refuse before any work: every k must fit the fleet, every typed k its count-space limit.
        foreach (double h in hValues)
        {
            TypedGame g = Make(h);
            foreach (int k in blindKs.Concat(typedKs).Where(k => k > g.Template.AgentCount))
            {
                throw new ArgumentException($"--k: {k} exceeds the fleet size n = {g.Template.AgentCount}");
            }

            if (exact && (g.Template.InitialLocalKind != InitialLocalKind.Fixed || EdgeMarl.Host.Equilibrium.ExactNashGap.Refusal(g.Expanded()) is not null))
            {
                throw new InvalidOperationException($"--exact: {EdgeMarl.Host.Equilibrium.ExactNashGap.Refusal(g.Expanded()) ?? "the expanded game is the typed fleet only with a fixed initial law (this game's is Dirichlet)"}");
            }

            if (methods.Contains(TypingMethod.Typed) && typedKs.Select(k => TypedTraining.TypedRefusal(g, k)).FirstOrDefault(r => r is not null) is { } why)
            {
                throw new InvalidOperationException($"--typed-k: {why}");
            }
        }

        output.Create();
        var rows = new List<HeteroRow>();
        var clock = Stopwatch.StartNew();
        foreach (double h in hValues)
        {
            TypedGame g = Make(h);
            foreach (TypingMethod method in methods)
            {
                foreach (int k in method == TypingMethod.Blind ? blindKs : typedKs)
                {
                    for (int seed = 0; seed < seeds; seed++)
                    {
                        var train = Stopwatch.StartNew();
                        TrainingResult trained = TypedTraining.Train(g, method, TypedTraining.Preset(k, (ulong)seed));
                        double trainSeconds = train.Elapsed.TotalSeconds;
                        var measure = Stopwatch.StartNew();
                        TypedGapEstimate e = exact
                            ? Exact(g, trained.Policies, k)
                            : TypedNashGap.Estimate(g, trained.Policies, k, gap with { Seed = Pcg32.DeriveSeed((ulong)seed, GapTag) });
                        var row = new HeteroRow(h, method, k, seed, trainSeconds, trained.Record.Rounds.Count, e, measure.Elapsed.TotalSeconds);
                        rows.Add(row);
                        console.WriteLine(string.Create(c, $"h={Show(h)} {Name(method)} k={k} seed={seed}: J_H {e.JointValue:F2}, ε̂ {e.Epsilon:F3} ± {e.EpsilonHalfWidth:F3} ({e.BestGateway.Label}), robot {e.RobotGain.Mean:F4}; train {trainSeconds:F1} s, gap {row.GapSeconds:F1} s"));
                    }
                }
            }
        }

        File.WriteAllText(Path.Combine(output.FullName, "hetero.csv"), Csv(rows));
        var summary = HeteroSummary.Create(rows, gap, seeds, clock.Elapsed.TotalSeconds, exact);
        File.WriteAllText(Path.Combine(output.FullName, "summary.txt"), summary.Text);
        HeteroPlots.WriteAll(output.FullName, summary, builtIn ? gameName.ToLowerInvariant() : Path.GetFileName(gameName), exact ? gap with { Horizon = 0 } : gap);
        console.Write(summary.Text);
        return 0;
    }

    /// <summary>The exact gap of a cell on the expanded game (a blind pair's gateway folds types away), as gains with zero intervals.</summary>
    private static TypedGapEstimate Exact(TypedGame game, EdgeMarl.Host.Policies.PolicyPair pair, int k)
    {
        bool typed = pair.LocalStates != game.Template.LocalStates;
        var report = EdgeMarl.Host.Equilibrium.ExactNashGap.Compute(game.Expanded(), typed ? pair : TypedPairs.BlindToExpanded(game, pair, k), k);
        static EdgeMarl.Host.Equilibrium.GainEstimate Sure(double gain) => new(gain, 0, 0);
        var gains = new List<LabelledGain> { new("exact BR_g full obs (type, state)", Sure(report.GatewayGain)) };
        if (report.GatewaySampledBestResponse is double sampled)
        {
            gains.Add(new LabelledGain("exact best typed k-sample table", Sure(sampled - report.JointValue)));
        }

        return new TypedGapEstimate(report.JointValue, 0, gains, Sure(report.RobotGain));
    }

    internal static string Show(double h) => double.IsNaN(h) ? "-" : h.ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Name(TypingMethod method) => method == TypingMethod.Blind ? "blind" : "typed";

    private static string Csv(IReadOnlyList<HeteroRow> rows)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("h,method,k,seed,train_s,rounds,return_JH,return_std,epsilon,epsilon_hw999,best_deviation,best_gateway_gain,robot_gain,robot_hw999,type_info_gain,type_info_hw999,deviations,gap_s,tool_version\n");
        string version = EdgeMarl.Host.Runs.ToolVersion.Current;
        foreach (var r in rows)
        {
            var e = r.Gap;
            string deviations = string.Join(" ", e.GatewayGains.Select(g => string.Create(c, $"{g.Label.Replace(' ', '_')}={g.Gain.Mean:R}")));
            csv.Append(string.Create(c, $"{Show(r.H)},{Name(r.Method)},{r.K},{r.Seed},{r.TrainSeconds:F3},{r.Rounds},{e.JointValue:R},{e.JointValueStd:R},{e.Epsilon:R},{e.EpsilonHalfWidth:R},{e.BestGateway.Label},{e.BestGateway.Gain.Mean:R},{e.RobotGain.Mean:R},{e.RobotGain.HalfWidth999:R},{e.TypeInformationGain?.Mean:R},{e.TypeInformationGain?.HalfWidth999:R},{deviations},{r.GapSeconds:F3},{version}\n"));
        }

        return csv.ToString();
    }
}

/// <summary>One trained and measured cell of the experiment.</summary>
internal sealed record HeteroRow(double H, TypingMethod Method, int K, int Seed, double TrainSeconds, int Rounds, TypedGapEstimate Gap, double GapSeconds);
