using System.Globalization;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;
using Spectre.Console;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// What the progress bar and the plain progress lines of <c>train</c> show. With the robot-output portfolio the learner
/// trains its candidates (softmax robots, greedy robots, and when lifting one warm started from the pair trained at
/// <c>k' &lt; k</c>) side by side, so their reports interleave; each report names its candidate
/// (<see cref="TrainingProgress.Candidate"/>) and the view keeps one row of slots per candidate. The bar has one slot per
/// (candidate, round): a candidate that stops early ("done") fills its own row, so the bar moves evenly and never leaps
/// from the middle to 100 %.
/// </summary>
internal sealed class TrainingProgressView(TrainingConfig config, int candidates)
{
    private readonly Dictionary<string, double> _filled = [];
    private readonly Lock _gate = new();

    /// <summary>Slots on the bar: rounds × candidates.</summary>
    public int Slots => config.MaxRounds * candidates;

    /// <summary>How many candidates <see cref="AlternatingMarl.TrainWith"/> runs for this game and config.</summary>
    /// <param name="game">The game (the lift rule's choice depends on its sizes).</param>
    /// <param name="config">The training config.</param>
    /// <returns>1 without the portfolio; 2 (softmax, greedy) or 3 with a lifted candidate.</returns>
    public static int CandidateCount(Game game, TrainingConfig config) =>
        !config.RobotOutputPortfolio ? 1 : LiftBudget.Choose(game, config) is null ? 2 : 3;

    /// <summary>
    /// The one-line description of a progress report (<paramref name="compact"/> for a bar on a narrow terminal) and
    /// where the bar stands after it.
    /// </summary>
    public string Describe(TrainingProgress value, bool compact, out double barValue)
    {
        string label = value.Candidate is null ? string.Empty : value.Candidate + " ";
        string text;
        double filled;
        if (value.Phase == "export")
        {
            text = config.KMin < config.K
                ? string.Create(CultureInfo.InvariantCulture, $"export: tables k' = {BelowK()}")
                : "export";
            filled = config.MaxRounds;
        }
        else if (value.Phase == "done")
        {
            string best = value.QuickValue is double b ? string.Create(CultureInfo.InvariantCulture, $", best quick value {b:F3}") : string.Empty;
            text = string.Create(CultureInfo.InvariantCulture, $"{label}done after {value.Round} round{(value.Round == 1 ? string.Empty : "s")}{best}");
            filled = config.MaxRounds;
        }
        else if (value.Phase.StartsWith("training ", StringComparison.Ordinal))
        {
            text = label + value.Phase; // the lifted candidate waiting for its source k' to train
            filled = 0;
        }
        else
        {
            string quick = value.QuickValue is double v ? string.Create(CultureInfo.InvariantCulture, $" = {v:F3}") : string.Empty;
            text = string.Create(CultureInfo.InvariantCulture, $"{label}round {value.Round + 1}/{value.MaxRounds}: {(compact && value.QuickValue is not null ? "quick" : value.Phase)}{quick}");
            filled = value.Round + (value.QuickValue is null ? 0 : 1);
        }

        lock (_gate)
        {
            if (value.Phase == "export")
            {
                barValue = Slots;
                return text;
            }

            string key = value.Candidate ?? string.Empty;
            _filled[key] = Math.Max(filled, _filled.GetValueOrDefault(key));
            barValue = Math.Min(Slots, _filled.Values.Sum());
        }

        return text;
    }

    /// <summary>A bar on an interactive terminal.</summary>
    internal sealed class Bar(TrainingProgressView view, ProgressTask task, string title) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            string text = view.Describe(value, compact: true, out double barValue);
            task.Value = barValue;
            task.Description = $"{title}: {Markup.Escape(text)}";
        }
    }

    /// <summary>One plain line per phase on stderr (logs, redirected output, --json).</summary>
    internal sealed class Lines(TrainingProgressView view, string title) : IProgress<TrainingProgress>
    {
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();

        public void Report(TrainingProgress value) =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_watch.Elapsed.TotalSeconds,7:F1} s] {title} {view.Describe(value, compact: false, out _)}"));
    }

    /// <summary>The tables solved below <c>k</c> at export: every <c>k'</c> or the geometric set (<c>tables</c> setting).</summary>
    private string BelowK() =>
        config.Tables == DegradationTables.Geometric
            ? string.Join(", ", PolicyBudget.Geometric(config.K, config.KMin).FindAll(kPrime => kPrime < config.K))
            : string.Create(CultureInfo.InvariantCulture, $"{config.KMin}..{config.K - 1}");
}
