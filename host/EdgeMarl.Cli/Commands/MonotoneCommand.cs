using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl monotone [--games tiny,zones] [--random 12 --sizes 2x2x2x2 --random-n 50] [--k 1..20] [--lift none,budgeted]</c>:
/// the promise of issue 18 on a corpus of games. For every game, lift rule and k it trains the default preset (seed
/// <c>--seed</c>, k_min = k, one LiftCache per game and rule, so each k is trained once), evaluates the pair at k (15 seeds ×
/// 50 rollouts, horizon 50, one evaluation seed for every k) and reports where the return at k falls below the return at some
/// k' &lt; k by more than both 95% intervals; where the exact Nash gap is computable, also the exact return and gap.
/// </summary>
internal static class MonotoneCommand
{
    public static Command Create()
    {
        var games = new Option<string>("--games") { Description = "Built-in games or game JSON files, comma-separated ('' for none).", DefaultValueFactory = _ => "tiny" };
        var random = new Option<int>("--random") { Description = "Random games per size (RandomGame, seeds 0 … N−1).", DefaultValueFactory = _ => 6 };
        var sizes = new Option<string>("--sizes") { Description = "Random game sizes |S_g|x|A_g|x|S_l|x|A_l|, comma-separated.", DefaultValueFactory = _ => "2x2x2x2,3x2x2x3" };
        var sharpness = new Option<double>("--sharpness") { Description = "Row-weight exponent of the random games (RandomGame): 1 mild, larger nearly deterministic.", DefaultValueFactory = _ => 4 };
        var randomN = new Option<int>("--random-n") { Description = "Fleet size n of the random games.", DefaultValueFactory = _ => 50 };
        var ks = new Option<string>("--k") { Description = "Sample sizes (capped at each game's n).", DefaultValueFactory = _ => "1..20" };
        var lifts = new Option<string>("--lift") { Description = "Lift rules to compare: none, halving, every, budgeted (the default preset's).", DefaultValueFactory = _ => "none,budgeted" };
        var seed = new Option<ulong>("--seed") { Description = "Training seed (the evaluation seed is derived from it).", DefaultValueFactory = _ => 0 };
        var evalSeeds = new Option<int>("--seeds") { Description = "Evaluation seeds.", DefaultValueFactory = _ => 15 };
        var rollouts = new Option<int>("--rollouts") { Description = "Rollouts per evaluation seed.", DefaultValueFactory = _ => 50 };
        var horizon = new Option<int>("--horizon") { Description = "Evaluation horizon.", DefaultValueFactory = _ => 50 };
        var output = new Option<FileInfo?>("--out") { Description = "CSV of every cell (game, rule, k, return, interval, exact return and gap, lifted k', train seconds)." };
        var command = new Command("monotone", "Check that the trained return does not fall with k on built-in and random games, with and without lifted candidates.")
        {
            games, random, sizes, sharpness, randomN, ks, lifts, seed, evalSeeds, rollouts, horizon, output,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("monotone", () => Run(
            parse.GetValue(games)!, parse.GetValue(random), parse.GetValue(sizes)!, parse.GetValue(sharpness), parse.GetValue(randomN), parse.GetValue(ks)!, parse.GetValue(lifts)!,
            parse.GetValue(seed), new EvaluationSettings(1, parse.GetValue(horizon), parse.GetValue(rollouts), parse.GetValue(evalSeeds), 0), parse.GetValue(output))));
        return command;
    }

    private static int Run(string gameNames, int randomCount, string sizeText, double sharpness, int randomN, string kText, string liftText, ulong seed, EvaluationSettings evaluation, FileInfo? output)
    {
        var corpus = new List<Game>();
        foreach (string name in gameNames.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            corpus.Add(GameResolver.Resolve(name));
        }

        foreach (string size in sizeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int[] d = [.. size.Split('x').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
            if (d.Length != 4)
            {
                throw new ArgumentException($"--sizes: '{size}' is not |S_g|x|A_g|x|S_l|x|A_l|");
            }

            for (int s = 0; s < randomCount; s++)
            {
                Game g = RandomGame.Create((ulong)s, d[0], d[1], d[2], d[3], randomN, sharpness: sharpness);
                corpus.Add(new Game($"random-{s}-{size}", g.GlobalStates, g.GlobalActions, g.LocalStates, g.LocalActions, g.GlobalTransition, g.LocalTransition, g.GlobalReward, g.LocalReward, g.Gamma, g.AgentCount, g.InitialGlobal, g.InitialLocalKind, g.InitialLocal));
            }
        }

        LiftRule[] rules = [.. liftText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(CliChoices.Lift)];
        int[] allKs = KList.Parse(kText);
        var csv = new StringBuilder("game,lift,k,return,half_width_95,exact_return,exact_gap,lifted_from,train_s\n");
        var totals = rules.ToDictionary(r => r, _ => (Cells: 0, Falls: 0, Games: 0, WorstDrop: 0.0, ExactFalls: 0, TrainSeconds: 0.0));
        CultureInfo c = CultureInfo.InvariantCulture;
        foreach (Game game in corpus)
        {
            int[] gameKs = [.. allKs.Where(k => k <= game.AgentCount)];
            foreach (LiftRule rule in rules)
            {
                IReadOnlyList<MonotonicityCell> cells = MonotonicityCheck.Run(game, gameKs, rule, seed, evaluation);
                var falls = MonotonicityCheck.Falls(cells).ToHashSet();
                double worst = cells.Select((cell, i) => cells.Take(i).Select(e => e.Return - cell.Return).DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Max();
                int exactFalls = cells.Count(cell => cell.ExactReturn is { } j && cells.TakeWhile(e => e != cell).Any(e => j < e.ExactReturn - 1e-9));
                string name = rule.ToString().ToLowerInvariant();
                Console.WriteLine($"{game.Name} lift={name}:" + string.Concat(cells.Select(cell =>
                    string.Create(c, $" {cell.K}:{cell.Return:F2}{(cell.LiftedFrom is { } from ? $"(↑{from})" : string.Empty)}{(falls.Contains(cell) ? "!" : string.Empty)}"))));
                if (cells.Any(cell => cell.ExactReturn is not null))
                {
                    Console.WriteLine("  exact J: " + string.Join(' ', cells.Select(e => string.Create(c, $"{e.K}:{e.ExactReturn:F3}"))) + "; exact gap: " + string.Join(' ', cells.Select(e => string.Create(c, $"{e.K}:{e.ExactGap:F3}"))));
                }

                foreach (MonotonicityCell cell in cells)
                {
                    csv.Append(string.Create(c, $"{game.Name},{name},{cell.K},{cell.Return:R},{cell.HalfWidth:R},{cell.ExactReturn:R},{cell.ExactGap:R},{cell.LiftedFrom},{cell.TrainSeconds:F3}\n"));
                }

                var t = totals[rule];
                totals[rule] = (t.Cells + cells.Count, t.Falls + falls.Count, t.Games + (falls.Count > 0 ? 1 : 0), Math.Max(t.WorstDrop, worst), t.ExactFalls + exactFalls, t.TrainSeconds + cells.Sum(cell => cell.TrainSeconds));
            }
        }

        Console.WriteLine("k:return, (↑k') lifted pair chosen (gateway subsamples to k'), ! below a smaller k's return beyond both 95% intervals");
        Console.WriteLine(string.Create(c, $"{corpus.Count} games, k = {kText}, training seed {seed}, evaluation {evaluation.Seeds} seeds × {evaluation.RolloutsPerSeed} rollouts, horizon {evaluation.Horizon}"));
        foreach ((LiftRule rule, var t) in totals)
        {
            Console.WriteLine(string.Create(c, $"lift={rule.ToString().ToLowerInvariant(),-8} cells {t.Cells}: {t.Falls} k below some k' < k beyond both 95% intervals ({t.Games} games); largest drop {t.WorstDrop:F3}; exact return below a smaller k's: {t.ExactFalls} cells; training {t.TrainSeconds:F1} s"));
        }

        if (output is not null)
        {
            File.WriteAllText(output.FullName, csv.ToString());
            Console.WriteLine($"wrote {output.FullName}");
        }

        return PolicyCommandSupport.Ok;
    }
}
