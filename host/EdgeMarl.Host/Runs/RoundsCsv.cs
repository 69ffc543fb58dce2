using System.Globalization;
using System.Text;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// <c>rounds.csv</c> of a run folder: the training curve, one row per alternation round of the returned pair (with the
/// robot-output portfolio, the chosen candidate's rounds; <c>record.json</c> lists both candidates). Columns:
/// <c>round, quick_value, decision, g_sweeps, g_last_change, l_sweeps, l_last_change</c>, all deterministic (a rerun writes
/// the same bytes); the wall-clock seconds of each round are in <c>timings.json</c>.
/// </summary>
public static class RoundsCsv
{
    /// <summary>File name in a run folder.</summary>
    public const string FileName = "rounds.csv";

    /// <summary>The header line.</summary>
    public const string Header = "round,quick_value,decision,g_sweeps,g_last_change,l_sweeps,l_last_change";

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
            text.Append(string.Create(c, $"{r.Round},{r.QuickValue:R},{Word(r.Decision)},{r.GSweeps},{r.GLastChange:R},{r.LSweeps},{r.LLastChange:R}"))
                .Append('\n');
        }

        return text.ToString();
    }

    private static string Word(RoundDecision decision) => SettingWords.Of(decision);
}
