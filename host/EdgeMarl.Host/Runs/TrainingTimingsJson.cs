using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// <c>timings.json</c> of a run folder: the machine (logical cores, OS) and every wall-clock time of
/// <see cref="TrainingTimings"/> (per round, export, total; with lifted candidates and a portfolio also the lifted source's,
/// the candidates' and each candidate's seconds), serialised as the record would, so a time added there appears here.
/// Kept apart from <c>record.json</c> so that every other file of a rerun is byte-identical.
/// </summary>
public static class TrainingTimingsJson
{
    /// <summary>Writes the timings of <paramref name="record"/> (no times when it has none).</summary>
    /// <param name="record">The training record.</param>
    /// <returns>Indented JSON text with "\n" line ends and a trailing newline.</returns>
    public static string Write(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = new JsonObject
        {
            ["toolVersion"] = ToolVersion.Current,
            ["processorCount"] = Environment.ProcessorCount,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        };
        if (record.Timings is { } timings && JsonSerializer.SerializeToNode(timings, TrainingRecord.JsonOptions) is JsonObject times)
        {
            foreach (string key in times.Select(p => p.Key).ToArray())
            {
                JsonNode? value = times[key];
                times.Remove(key);
                json[key] = value;
            }
        }

        return json.ToJsonString(TrainingRecord.JsonOptions).ReplaceLineEndings("\n") + "\n";
    }
}
