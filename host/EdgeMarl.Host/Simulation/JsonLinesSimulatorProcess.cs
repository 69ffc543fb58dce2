// docs/simulator-protocol.md version 1: a simulator in any language, one JSON object per line on stdin/stdout.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeMarl.Host.Simulation;

/// <summary>
/// An out-of-process <see cref="IGameSimulator"/> speaking the JSON-lines protocol (docs/simulator-protocol.md).
/// Batches longer than <see cref="MaxBatch"/> are split. Every failure (crash, timeout, malformed or out-of-range answer,
/// an <c>error</c> message) becomes a <see cref="SimulatorException"/> whose one-line message names the call and the
/// bad output; the process is then killed.
/// </summary>
public sealed class JsonLinesSimulatorProcess : IGameSimulator
{
    /// <summary>The protocol version this host speaks.</summary>
    public const int ProtocolVersion = 1;

    private const int Snippet = 160;
    private readonly Process _process;
    private readonly string _command;
    private readonly TimeSpan _timeout;
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new(); // one request in flight: the portfolio's candidates share the process
    private long _id;
    private bool _broken;
    private string? _failure;

    private JsonLinesSimulatorProcess(Process process, string command, TimeSpan timeout, int maxBatch)
    {
        _process = process;
        _command = command;
        _timeout = timeout;
        MaxBatch = maxBatch;
        Info = null!;
    }

    /// <inheritdoc/>
    public SimulatorInfo Info { get; private set; }

    /// <summary>Gets the largest number of requests sent in one line.</summary>
    public int MaxBatch { get; }

    /// <summary>Starts <paramref name="command"/> (through the shell) and performs the handshake.</summary>
    /// <param name="command">A shell command line, e.g. <c>python3 examples/simulators/zones_sim.py</c>.</param>
    /// <param name="timeout">The longest wait for any one step answer; the hello may take at least 30 s (interpreter start-up).</param>
    /// <param name="maxBatch">Requests per line, at least 1.</param>
    /// <param name="workingDirectory">The directory the command starts in (null: the current directory).</param>
    /// <returns>The connected simulator.</returns>
    /// <exception cref="SimulatorException">The process could not start or the handshake failed.</exception>
    public static JsonLinesSimulatorProcess Start(string command, TimeSpan timeout, int maxBatch = 16384, string? workingDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        bool windows = OperatingSystem.IsWindows();
        var start = new ProcessStartInfo(windows ? "cmd.exe" : "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        start.ArgumentList.Add(windows ? "/c" : "-c");
        start.ArgumentList.Add(command);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SimulatorException($"simulator '{command}': could not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SimulatorException($"simulator '{command}': could not start ({e.Message})", e);
        }

        var simulator = new JsonLinesSimulatorProcess(process, command, timeout, maxBatch);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (simulator._stderr)
                {
                    simulator._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        simulator.Handshake(timeout > TimeSpan.FromSeconds(30) ? timeout : TimeSpan.FromSeconds(30));
        return simulator;
    }

    /// <inheritdoc/>
    public void StepGlobal(ReadOnlySpan<int> globalState, ReadOnlySpan<int> globalAction, ReadOnlySpan<uint> uniform, Span<int> nextGlobalState, Span<double> reward)
    {
        lock (_gate)
        {
            for (int from = 0; from < globalState.Length; from += MaxBatch)
            {
                int count = Math.Min(MaxBatch, globalState.Length - from);
                _line.Clear().Append("{\"type\":\"step_global\",\"id\":").Append(++_id);
                Append("sg", globalState.Slice(from, count));
                Append("ag", globalAction.Slice(from, count));
                Append("u", uniform.Slice(from, count));
                _line.Append('}');
                Exchange("step_global", count, Info.GlobalStates, nextGlobalState.Slice(from, count), reward.Slice(from, count));
            }
        }
    }

    /// <inheritdoc/>
    public void StepLocal(ReadOnlySpan<int> localState, ReadOnlySpan<int> globalState, ReadOnlySpan<int> localAction, ReadOnlySpan<uint> uniform, Span<int> nextLocalState, Span<double> reward)
    {
        lock (_gate)
        {
            for (int from = 0; from < localState.Length; from += MaxBatch)
            {
                int count = Math.Min(MaxBatch, localState.Length - from);
                _line.Clear().Append("{\"type\":\"step_local\",\"id\":").Append(++_id);
                Append("sl", localState.Slice(from, count));
                Append("sg", globalState.Slice(from, count));
                Append("al", localAction.Slice(from, count));
                Append("u", uniform.Slice(from, count));
                _line.Append('}');
                Exchange("step_local", count, Info.LocalStates, nextLocalState.Slice(from, count), reward.Slice(from, count));
            }
        }
    }

    /// <summary>Sends <c>bye</c>, closes stdin and waits briefly for the process; kills it if it lingers.</summary>
    public void Dispose()
    {
        try
        {
            if (!_broken && !_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"type\":\"bye\"}");
                _process.StandardInput.Close();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // the process is already gone: nothing to clean up
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string Shorten(string text) => text.Length <= Snippet ? text : string.Concat(text.AsSpan(0, Snippet), "…");

    /// <summary>Appends <c>,"name":[v0,v1,…]</c> (states as int, uniforms as uint) without boxing.</summary>
    private void Append<T>(string name, ReadOnlySpan<T> values)
        where T : ISpanFormattable
    {
        _line.Append(",\"").Append(name).Append("\":[");
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _line.Append(',');
            }

            _line.Append(CultureInfo.InvariantCulture, $"{values[i]}");
        }

        _line.Append(']');
    }

    private void Handshake(TimeSpan timeout)
    {
        _line.Clear().Append("{\"type\":\"hello\",\"protocol\":").Append(ProtocolVersion).Append('}');
        string answer = SendAndReceive("hello", timeout);
        try
        {
            using JsonDocument document = JsonDocument.Parse(answer);
            JsonElement root = document.RootElement;
            CheckType(root, "hello", answer);
            int protocol = root.GetProperty("protocol").GetInt32();
            if (protocol != ProtocolVersion)
            {
                throw Fail("hello", $"protocol version {protocol} is not supported (this host speaks {ProtocolVersion})", answer);
            }

            int g = Size(root, "globalStates", answer), ag = Size(root, "globalActions", answer), l = Size(root, "localStates", answer), al = Size(root, "localActions", answer);
            double gamma = root.GetProperty("gamma").GetDouble();
            if (!(gamma > 0 && gamma < 1))
            {
                throw Fail("hello", $"gamma {gamma.ToString("R", CultureInfo.InvariantCulture)} is not in (0, 1)", answer);
            }

            Info = new SimulatorInfo(
                root.TryGetProperty("name", out JsonElement name) ? name.GetString() ?? "simulator" : "simulator",
                g,
                ag,
                l,
                al,
                gamma,
                Size(root, "agentCount", answer),
                Distribution(root, "initialGlobal", g, answer),
                Distribution(root, "initialLocal", l, answer))
            {
                InitialLocalDirichlet = root.TryGetProperty("initialLocalDirichlet", out JsonElement alpha) && alpha.ValueKind != JsonValueKind.Null
                    ? Concentrations(alpha, l, answer)
                    : null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Fail("hello", $"malformed answer ({e.Message})", answer);
        }
    }

    private int Size(JsonElement root, string field, string answer)
    {
        int value = root.GetProperty(field).GetInt32();
        return value >= 1 ? value : throw Fail("hello", $"{field} = {value} must be at least 1", answer);
    }

    private double[] Distribution(JsonElement root, string field, int length, string answer)
    {
        double[] p = [.. root.GetProperty(field).EnumerateArray().Select(e => e.GetDouble())];
        if (p.Length != length || p.Any(x => !(x >= 0)) || Math.Abs(p.Sum() - 1) > 1e-9)
        {
            throw Fail("hello", $"{field} must be {length} probabilities summing to 1", answer);
        }

        return p;
    }

    private double[] Concentrations(JsonElement alpha, int length, string answer)
    {
        double[] a = [.. alpha.EnumerateArray().Select(e => e.GetDouble())];
        if (a.Length != length || a.Any(x => !(x > 0) || double.IsInfinity(x)))
        {
            throw Fail("hello", $"initialLocalDirichlet must be {length} positive finite concentrations", answer);
        }

        return a;
    }

    private void Exchange(string call, int count, int states, Span<int> next, Span<double> reward)
    {
        long id = _id;
        string answer = SendAndReceive(call, _timeout);
        try
        {
            var bytes = Encoding.UTF8.GetBytes(answer);
            var reader = new Utf8JsonReader(bytes);
            string? type = null;
            long answerId = -1;
            string? message = null;
            int nextCount = -1, rewardCount = -1;
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, call, "not a JSON object", answer);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string property = reader.GetString()!;
                reader.Read();
                switch (property)
                {
                    case "type":
                        type = reader.GetString();
                        break;
                    case "id":
                        answerId = reader.GetInt64();
                        break;
                    case "message":
                        message = reader.GetString();
                        break;
                    case "next":
                        nextCount = ReadInts(ref reader, next, states, call, answer);
                        break;
                    case "reward":
                        rewardCount = ReadDoubles(ref reader, reward, call, answer);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (type == "error")
            {
                throw Fail(call, $"the simulator reported an error: {message ?? "(no message)"}", answer);
            }

            Expect(type == "result", call, $"expected type \"result\", got {(type is null ? "none" : "\"" + type + "\"")}", answer);
            Expect(answerId == id, call, $"answer id {answerId} does not match request id {id}", answer);
            Expect(nextCount == count, call, $"\"next\" has {Math.Max(nextCount, 0)} entries, expected {count}", answer);
            Expect(rewardCount == count, call, $"\"reward\" has {Math.Max(rewardCount, 0)} entries, expected {count}", answer);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Fail(call, $"malformed answer ({e.Message})", answer);
        }
    }

    private int ReadInts(ref Utf8JsonReader reader, Span<int> into, int bound, string call, string answer)
    {
        Expect(reader.TokenType == JsonTokenType.StartArray, call, "\"next\" is not an array", answer);
        int i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value), call, $"next[{i}] is not an integer", answer);
            value = reader.GetInt32();
            Expect(value >= 0 && value < bound, call, $"next[{i}] = {value} is out of range [0, {bound})", answer);
            Expect(i < into.Length, call, $"\"next\" has more than {into.Length} entries", answer);
            into[i++] = value;
        }

        return i;
    }

    private int ReadDoubles(ref Utf8JsonReader reader, Span<double> into, string call, string answer)
    {
        Expect(reader.TokenType == JsonTokenType.StartArray, call, "\"reward\" is not an array", answer);
        int i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(reader.TokenType == JsonTokenType.Number, call, $"reward[{i}] is not a number", answer);
            double value = reader.GetDouble();
            Expect(double.IsFinite(value), call, $"reward[{i}] is not finite", answer);
            Expect(i < into.Length, call, $"\"reward\" has more than {into.Length} entries", answer);
            into[i++] = value;
        }

        return i;
    }

    private void Expect(bool ok, string call, string problem, string answer)
    {
        if (!ok)
        {
            throw Fail(call, problem, answer);
        }
    }

    private static void CheckType(JsonElement root, string expected, string answer)
    {
        string? type = root.GetProperty("type").GetString();
        if (type != expected)
        {
            throw new FormatException($"expected type \"{expected}\", got \"{type}\" in {Shorten(answer)}");
        }
    }

    private string SendAndReceive(string call, TimeSpan timeout)
    {
        if (_broken)
        {
            throw new SimulatorException(_failure ?? $"simulator '{_command}' {call}: the simulator already failed"); // the first failure, again
        }

        string? answer;
        try
        {
            _process.StandardInput.Write(_line);
            _process.StandardInput.Write('\n');
            _process.StandardInput.Flush();
            Task<string?> read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(timeout))
            {
                throw Fail(call, string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.###} s (timeout)"), null);
            }

            answer = read.Result;
        }
        catch (IOException e) when (e is not SimulatorException)
        {
            throw Fail(call, $"could not talk to the simulator ({e.Message})", null);
        }

        return answer ?? throw Fail(call, Exited(), null);
    }

    private string Exited()
    {
        _process.WaitForExit(1000);
        string code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
        string err;
        lock (_stderr)
        {
            err = _stderr.ToString().Trim().Split('\n').LastOrDefault()?.Trim() ?? string.Empty;
        }

        return $"the simulator exited (code {code}) without answering" + (err.Length > 0 ? $"; its last stderr line: {Shorten(err)}" : string.Empty);
    }

    private SimulatorException Fail(string call, string problem, string? answer)
    {
        _broken = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        string id = call == "hello" ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (request id {_id})");
        _failure = $"simulator '{_command}' {call}{id}: {problem}" + (answer is null ? string.Empty : $"; answer was: {Shorten(answer)}");
        return new SimulatorException(_failure);
    }
}
