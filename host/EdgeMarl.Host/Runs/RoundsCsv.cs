using System.Globalization;
using System.Text;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// <c>rounds.csv</c> of a run folder: the training curve, one row per alternation round of the returned pair (with the
/// robot-output portfolio, the chosen candidate's rounds; <c>record.json</c> lists both candidates). Columns:
/// <c>round, quick_value, decision, g_sweeps, g_last_change, l_sweeps, l_last_change, g_seconds, l_seconds, quick_seconds</c>;
/// the three time columns are wall-clock and so differ between reruns, every other column is deterministic.
/// </summary>
public static class RoundsCsv
{
    /// <summary>File name in a run folder.</summary>
    public const string FileName = "rounds.csv";

    /// <summary>The header line.</summary>
    public const string Header = "round,quick_value,decision,g_sweeps,g_last_change,l_sweeps,l_last_change,g_seconds,l_seconds,quick_seconds";

    /// <summary>Formats the record's rounds as CSV text (invariant culture, round-trip doubles).</summary>
    /// <param name="record">The training record.</param>
    /// <returns>The CSV text, header first.</returns>
    public static string Format(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder(Header).Append('\n');
        CultureInfo c = CultureInfo.InvariantCulture;
        for (int i = 0; i < record.Rounds.Count; i++)
        {
            RoundRecord r = record.Rounds[i];
            RoundTiming? t = record.Timings is { } timings && i < timings.Rounds.Count ? timings.Rounds[i] : null;
            text.Append(string.Create(c, $"{r.Round},{r.QuickValue:R},{Word(r.Decision)},{r.GSweeps},{r.GLastChange:R},{r.LSweeps},{r.LLastChange:R},"))
                .Append(t is null ? ",," : string.Create(c, $"{t.GStepSeconds:F4},{t.LStepSeconds:F4},{t.QuickValueSeconds:F4}"))
                .Append('\n');
        }

        return text.ToString();
    }

    private static string Word(RoundDecision decision) => decision.ToString().ToLowerInvariant();
}
