using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// <c>timings.json</c> of a run folder: the wall-clock seconds of training (per round, export, total) and the machine they
/// were measured on (logical cores, OS). Kept apart from <c>record.json</c> so that every other file of a rerun is byte-identical.
/// </summary>
public static class TrainingTimingsJson
{
    /// <summary>Writes the timings of <paramref name="record"/> (empty rounds when it has none).</summary>
    /// <param name="record">The training record.</param>
    /// <returns>Indented JSON text with a trailing newline.</returns>
    public static string Write(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        TrainingTimings? t = record.Timings;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("toolVersion", ToolVersion.Current);
            w.WriteNumber("processorCount", Environment.ProcessorCount);
            w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            w.WriteNumber("totalSeconds", t?.TotalSeconds ?? 0);
            w.WriteNumber("exportSeconds", t?.ExportSeconds ?? 0);
            w.WriteStartArray("rounds");
            for (int i = 0; t is not null && i < t.Rounds.Count; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("round", i);
                w.WriteNumber("gStepSeconds", t.Rounds[i].GStepSeconds);
                w.WriteNumber("lStepSeconds", t.Rounds[i].LStepSeconds);
                w.WriteNumber("quickValueSeconds", t.Rounds[i].QuickValueSeconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
