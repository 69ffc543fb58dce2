using System.Globalization;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;
using Spectre.Console;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// What the progress bar and the plain progress lines of <c>train</c> show. With the robot-output portfolio the learner
/// trains two candidates one after the other (softmax robots, then greedy robots, in <see cref="AlternatingMarl"/>'s
/// order); each candidate ends with an "export" phase, which is how a new candidate is recognised. The bar has one
/// slot per (candidate, round): a candidate that stops early jumps to the end of its own slots, so the bar moves
/// evenly and never leaps from the middle to 100 %.
/// </summary>
internal sealed class TrainingProgressView(TrainingConfig config)
{
    private static readonly string[] CandidateNames = ["softmax robots", "greedy robots"];

    private int _candidate;

    /// <summary>Slots on the bar: rounds × candidates.</summary>
    public int Slots => config.MaxRounds * Candidates;

    private int Candidates => config.RobotOutputPortfolio ? CandidateNames.Length : 1;

    /// <summary>The label of the candidate being trained ("" without a portfolio).</summary>
    public string CandidateLabel(bool compact) => !config.RobotOutputPortfolio
        ? string.Empty
        : compact
            ? string.Create(CultureInfo.InvariantCulture, $"{CandidateNames[Math.Min(_candidate, Candidates - 1)].Split(' ')[0]} ")
            : string.Create(CultureInfo.InvariantCulture, $"candidate {Math.Min(_candidate, Candidates - 1) + 1}/{Candidates} ({CandidateNames[Math.Min(_candidate, Candidates - 1)]}) ");

    /// <summary>
    /// The one-line description of a progress report (<paramref name="compact"/> for a bar on a narrow terminal);
    /// advances the candidate after its export phase.
    /// </summary>
    public string Describe(TrainingProgress value, bool compact, out double barValue)
    {
        string label = CandidateLabel(compact);
        int offset = Math.Min(_candidate, Candidates - 1) * config.MaxRounds;
        string text;
        if (value.Phase == "export")
        {
            text = config.KMin < config.K
                ? string.Create(CultureInfo.InvariantCulture, $"{label}export: tables k' = {BelowK()}")
                : $"{label}export";
            barValue = offset + config.MaxRounds;
            _candidate++;
        }
        else
        {
            string quick = value.QuickValue is double v ? string.Create(CultureInfo.InvariantCulture, $" = {v:F3}") : string.Empty;
            text = string.Create(CultureInfo.InvariantCulture, $"{label}round {value.Round + 1}/{value.MaxRounds}: {(compact && value.QuickValue is not null ? "quick" : value.Phase)}{quick}");
            barValue = offset + value.Round + (value.QuickValue is null ? 0 : 1);
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
