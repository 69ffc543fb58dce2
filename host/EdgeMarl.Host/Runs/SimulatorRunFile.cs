// docs/run-folder.md "simulator.json": how to start the simulator a run was trained on again, and what it said in its hello,
// so `edgemarl eval --run DIR` can evaluate a simulator-only run (no game.json) and notice a simulator that changed.
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeMarl.Host.Simulation;

namespace EdgeMarl.Host.Runs;

/// <summary>The command line, working directory, timeout and hello of a run's <c>--simulator</c> (<c>simulator.json</c>).</summary>
/// <param name="Command">The shell command line.</param>
/// <param name="WorkingDirectory">The directory it was started in (relative paths in the command are relative to it).</param>
/// <param name="TimeoutSeconds">The answer timeout it ran with.</param>
/// <param name="Hello">What it announced.</param>
public sealed record SimulatorRunFile(string Command, string WorkingDirectory, double TimeoutSeconds, SimulatorInfo Hello)
{
    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = "simulator.json";

    /// <summary>The format tag.</summary>
    public const string Format = "edgemarl.simulator-run/1";

    /// <summary>Writes <c>simulator.json</c> into <paramref name="directory"/>.</summary>
    /// <param name="directory">The run folder (exists).</param>
    public void Write(string directory)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("command", Command);
            json.WriteString("workingDirectory", WorkingDirectory);
            json.WriteNumber("timeoutSeconds", TimeoutSeconds);
            json.WriteStartObject("hello");
            json.WriteString("name", Hello.Name);
            json.WriteNumber("globalStates", Hello.GlobalStates);
            json.WriteNumber("globalActions", Hello.GlobalActions);
            json.WriteNumber("localStates", Hello.LocalStates);
            json.WriteNumber("localActions", Hello.LocalActions);
            json.WriteNumber("gamma", Hello.Gamma);
            json.WriteNumber("agentCount", Hello.AgentCount);
            Array(json, "initialGlobal", Hello.InitialGlobal);
            Array(json, "initialLocal", Hello.InitialLocal);
            if (Hello.InitialLocalDirichlet is { } alpha)
            {
                Array(json, "initialLocalDirichlet", alpha);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        File.WriteAllText(Path.Combine(directory, FileName), Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    /// <summary>Reads a run folder's <c>simulator.json</c>, or returns null when it has none.</summary>
    /// <param name="directory">The run folder.</param>
    /// <returns>The record, or null.</returns>
    /// <exception cref="InvalidDataException">The file is malformed (names the file and the field).</exception>
    public static SimulatorRunFile? Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = document.RootElement;
            string format = root.GetProperty("format").GetString() ?? string.Empty;
            if (format != Format)
            {
                throw new InvalidDataException($"{path}: format '{format}' is not {Format}");
            }

            JsonElement hello = root.GetProperty("hello");
            var info = new SimulatorInfo(
                hello.GetProperty("name").GetString() ?? string.Empty,
                hello.GetProperty("globalStates").GetInt32(),
                hello.GetProperty("globalActions").GetInt32(),
                hello.GetProperty("localStates").GetInt32(),
                hello.GetProperty("localActions").GetInt32(),
                hello.GetProperty("gamma").GetDouble(),
                hello.GetProperty("agentCount").GetInt32(),
                Doubles(hello.GetProperty("initialGlobal")),
                Doubles(hello.GetProperty("initialLocal")))
            {
                InitialLocalDirichlet = hello.TryGetProperty("initialLocalDirichlet", out JsonElement alpha) ? Doubles(alpha) : null,
            };
            return new SimulatorRunFile(
                root.GetProperty("command").GetString() ?? string.Empty,
                root.GetProperty("workingDirectory").GetString() ?? string.Empty,
                root.GetProperty("timeoutSeconds").GetDouble(),
                info);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: malformed ({e.Message})", e);
        }
    }

    /// <summary>Returns null when <paramref name="other"/> announces the same game shape, γ, n and initial distributions; else what differs.</summary>
    /// <param name="other">A freshly started simulator's hello.</param>
    /// <returns>Null, or a description of the first difference.</returns>
    public string? Difference(SimulatorInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        SimulatorInfo a = Hello;
        string Pair(string field, object was, object now) => string.Create(CultureInfo.InvariantCulture, $"{field} was {was}, now {now}");
        if (a.GlobalStates != other.GlobalStates || a.GlobalActions != other.GlobalActions || a.LocalStates != other.LocalStates || a.LocalActions != other.LocalActions)
        {
            return Pair("sizes (|S_g|, |A_g|, |S_l|, |A_l|)", (a.GlobalStates, a.GlobalActions, a.LocalStates, a.LocalActions), (other.GlobalStates, other.GlobalActions, other.LocalStates, other.LocalActions));
        }

        if (!a.Gamma.Equals(other.Gamma))
        {
            return Pair("gamma", a.Gamma, other.Gamma);
        }

        if (a.AgentCount != other.AgentCount)
        {
            return Pair("agentCount", a.AgentCount, other.AgentCount);
        }

        if (!a.InitialGlobal.AsSpan().SequenceEqual(other.InitialGlobal) || !a.InitialLocal.AsSpan().SequenceEqual(other.InitialLocal)
            || !(a.InitialLocalDirichlet ?? []).AsSpan().SequenceEqual(other.InitialLocalDirichlet ?? []))
        {
            return "the initial distributions differ";
        }

        return null;
    }

    private static void Array(Utf8JsonWriter json, string name, double[] values)
    {
        json.WriteStartArray(name);
        foreach (double v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];
}
