using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>
/// Saves and loads <c>policies.json</c>, the trainer's output that <c>edgemarl export</c> turns into a policy file.
/// </summary>
/// <remarks>
/// Schema <c>"format": "edgemarl.policies/1"</c>:
/// <code>
/// { "format", "toolVersion" (informational, ignored on reading), "gameName", "gameHash" (64 hex), "configHash" (64 hex),
///   "sizes": { "globalStates", "globalActions", "localStates", "localActions", "n" },
///   "kMin", "k",
///   "globalActions": [ { "kPrime": k', "actions": [ s_g · C(k'+|S_l|−1, |S_l|−1) + rank(c) → a_g ] }, … k' = kMin..k ],
///   "localPolicy": [ π_l flat [s_g, s_l, a_l] ] }
/// </code>
/// Numbers are written in invariant, round-trip form (the same doubles come back); errors on load name the
/// JSON path.
/// </remarks>
public static class PolicyPairJson
{
    /// <summary>The <c>format</c> value of a file whose tables are all JSON arrays (what small runs get).</summary>
    public const string Format = "edgemarl.policies/1";

    /// <summary>
    /// The <c>format</c> value of a file in which a large table (more than <see cref="PackedThreshold"/> entries) is
    /// <c>"actionsPacked"</c>: base64 of the table bit-packed as in a policy file (<c>⌈log2 |A_g|⌉</c> bits per entry, least
    /// significant bit first), so the k = 50 default run writes ~9 MB instead of 191 MB and loads without gigabytes.
    /// </summary>
    public const string FormatPacked = "edgemarl.policies/2";

    /// <summary>
    /// Format 3 adds absent tables, <c>{ "kPrime": k', "stored": false }</c> (a lifted pair stores none above some k', issue 18);
    /// written only when a table is absent, so other runs keep format 1 or 2 byte for byte.
    /// </summary>
    public const string FormatLifted = "edgemarl.policies/3";

    /// <summary>Tables with more entries than this are written packed.</summary>
    public const int PackedThreshold = 4096;

    /// <summary>The file name a training output folder uses.</summary>
    public const string FileName = "policies.json";

    /// <summary>Writes <paramref name="policy"/> to <paramref name="path"/>.</summary>
    /// <param name="policy">The trained policy.</param>
    /// <param name="path">Destination file.</param>
    /// <remarks>Streams straight to the file (the same bytes as <see cref="Serialize"/>): at k = 50 with every k' table the text is
    /// ~190 MB, which as one string cost ~0.6 GB of memory and seconds of copying.</remarks>
    public static void Save(TrainedPolicy policy, string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(policy, file);
    }

    /// <summary>Reads a <c>policies.json</c>.</summary>
    /// <param name="path">Source file.</param>
    /// <returns>The trained policy.</returns>
    /// <exception cref="InvalidDataException">The content is invalid; the message names the file and JSON path.</exception>
    public static TrainedPolicy Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Returns the JSON text of <paramref name="policy"/>.</summary>
    /// <param name="policy">The trained policy.</param>
    /// <returns>Indented JSON, LF line ends.</returns>
    public static string Serialize(TrainedPolicy policy)
    {
        using var stream = new MemoryStream();
        Write(policy, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the JSON text of <paramref name="policy"/> (UTF-8, indented, LF line ends, final newline) to <paramref name="stream"/>.</summary>
    private static void Write(TrainedPolicy policy, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(policy);
        PolicyPair pair = policy.Pair;
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            bool packed = pair.GlobalActions.Any(t => t is not null && t.Length > PackedThreshold);
            bool absent = pair.GlobalActions.Any(t => t is null);
            w.WriteString("format", absent ? FormatLifted : packed ? FormatPacked : Format);
            w.WriteString("toolVersion", Runs.ToolVersion.Current); // informational: the reader ignores it
            w.WriteString("gameName", policy.GameName);
            w.WriteString("gameHash", Convert.ToHexStringLower(policy.GameHash));
            w.WriteString("configHash", Convert.ToHexStringLower(policy.ConfigHash));
            w.WriteStartObject("sizes");
            w.WriteNumber("globalStates", pair.GlobalStates);
            w.WriteNumber("globalActions", pair.GlobalActionCount);
            w.WriteNumber("localStates", pair.LocalStates);
            w.WriteNumber("localActions", pair.LocalActionCount);
            w.WriteNumber("n", policy.AgentCount);
            if (policy.RobotTypes != 1)
            {
                // Typed pair: localStates above is T·|S_l| (written only then, so untyped files keep their bytes).
                w.WriteNumber("robotTypes", policy.RobotTypes);
            }

            w.WriteEndObject();
            w.WriteNumber("kMin", pair.KMin);
            w.WriteNumber("k", pair.K);
            w.WriteStartArray("globalActions");
            for (int i = 0; i < pair.GlobalActions.Length; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("kPrime", pair.KMin + i);
                int[] table = pair.GlobalActions[i];
                if (table is null)
                {
                    // Not stored (a lifted pair, issue 18): a gateway with more replies subsamples them to the largest stored k'.
                    w.WriteBoolean("stored", false);
                    w.WriteEndObject();
                    continue;
                }

                if (table.Length > PackedThreshold)
                {
                    int bits = EdgeMarl.Shared.Policy.PolicyFileLayout.BitsPerEntry(pair.GlobalActionCount);
                    byte[] body = new byte[EdgeMarl.Shared.Policy.PolicyFileLayout.GlobalTableLength(table.Length, bits)];
                    PolicyFileWriter.PackGlobalTable(table, table.Length, pair.KMin + i, pair.GlobalActionCount, bits, body);
                    w.WriteNumber("entries", table.Length);
                    w.WriteBase64String("actionsPacked", body);
                    w.WriteEndObject();
                    continue;
                }

                w.WriteStartArray("actions");
                for (int j = 0; j < table.Length; j++)
                {
                    w.WriteNumberValue(table[j]);
                    if ((j & 0xFFFF) == 0xFFFF)
                    {
                        w.Flush(); // the writer buffers until flushed: keep its buffer small
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("localPolicy");
            foreach (double p in pair.LocalPolicy)
            {
                // "R" gives the shortest text that parses back to the same double, in the invariant culture.
                w.WriteRawValue(p.ToString("R", CultureInfo.InvariantCulture));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    /// <summary>Parses the JSON text of a <c>policies.json</c>.</summary>
    /// <param name="json">The text.</param>
    /// <returns>The trained policy.</returns>
    /// <exception cref="InvalidDataException">The content is invalid; the message names the JSON path.</exception>
    public static TrainedPolicy Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("$: expected an object");
            }

            string format = String(root, "format", "$");
            if (format != Format && format != FormatPacked && format != FormatLifted)
            {
                throw new InvalidDataException($"$.format: \"{format}\" is not \"{Format}\", \"{FormatPacked}\" or \"{FormatLifted}\"");
            }

            string gameName = String(root, "gameName", "$");
            byte[] gameHash = Hash(root, "gameHash");
            byte[] configHash = Hash(root, "configHash");
            JsonElement sizes = Member(root, "sizes", "$", JsonValueKind.Object);
            int globalStates = Int(sizes, "globalStates", "$.sizes", 1);
            int globalActions = Int(sizes, "globalActions", "$.sizes", 1);
            int localStates = Int(sizes, "localStates", "$.sizes", 1);
            int localActions = Int(sizes, "localActions", "$.sizes", 1);
            int n = Int(sizes, "n", "$.sizes", 1);
            int robotTypes = sizes.TryGetProperty("robotTypes", out _) ? Int(sizes, "robotTypes", "$.sizes", 1) : 1;
            if (robotTypes > PolicyFileLayout.MaxRobotTypes || localStates % robotTypes != 0)
            {
                throw new InvalidDataException($"$.sizes.robotTypes: {robotTypes} must be at most {PolicyFileLayout.MaxRobotTypes} and divide localStates = {localStates} (T·|S_l|)");
            }
            int kMin = Int(root, "kMin", "$", 0);
            int k = Int(root, "k", "$", kMin);
            JsonElement tables = Member(root, "globalActions", "$", JsonValueKind.Array);
            if (tables.GetArrayLength() != k - kMin + 1)
            {
                throw new InvalidDataException($"$.globalActions: {tables.GetArrayLength()} tables, expected k - kMin + 1 = {k - kMin + 1}");
            }

            var globalPolicy = new int[k - kMin + 1][];
            int index = 0;
            foreach (JsonElement table in tables.EnumerateArray())
            {
                string path = $"$.globalActions[{index}]";
                if (table.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{path}: expected an object");
                }

                int kPrime = Int(table, "kPrime", path, 0);
                if (kPrime != kMin + index)
                {
                    throw new InvalidDataException($"{path}.kPrime: {kPrime}, expected {kMin + index}");
                }

                if (format == FormatLifted && table.TryGetProperty("stored", out JsonElement stored))
                {
                    if (stored.ValueKind != JsonValueKind.False)
                    {
                        throw new InvalidDataException($"{path}.stored: only false is allowed (a table that is not stored)");
                    }

                    globalPolicy[index++] = null!;
                    continue;
                }

                if (format != Format && table.TryGetProperty("actionsPacked", out _))
                {
                    globalPolicy[index++] = Unpack(table, path, globalActions);
                    continue;
                }

                JsonElement actions = Member(table, "actions", path, JsonValueKind.Array);
                var entries = new int[actions.GetArrayLength()];
                int e = 0;
                foreach (JsonElement a in actions.EnumerateArray())
                {
                    if (a.ValueKind != JsonValueKind.Number || !a.TryGetInt32(out int value) || value < 0 || value >= globalActions)
                    {
                        throw new InvalidDataException($"{path}.actions[{e}]: expected an integer in [0, {globalActions})");
                    }

                    entries[e++] = value;
                }

                globalPolicy[index++] = entries;
            }

            JsonElement local = Member(root, "localPolicy", "$", JsonValueKind.Array);
            var localPolicy = new double[local.GetArrayLength()];
            int l = 0;
            foreach (JsonElement p in local.EnumerateArray())
            {
                if (p.ValueKind != JsonValueKind.Number || !p.TryGetDouble(out double value) || !double.IsFinite(value))
                {
                    throw new InvalidDataException($"$.localPolicy[{l}]: expected a finite number");
                }

                localPolicy[l++] = value;
            }

            if (globalPolicy[^1] is null && Array.TrueForAll(globalPolicy, t => t is null))
            {
                throw new InvalidDataException("$.globalActions: no table is stored");
            }

            var pair = new PolicyPair(globalStates, globalActions, localStates, localActions, kMin, k, globalPolicy, localPolicy);
            return new TrainedPolicy(pair, gameName, gameHash, configHash, n, robotTypes);
        }
    }

    // "entries": n, "actionsPacked": base64 of n entries of ⌈log2 |A_g|⌉ bits, LSB first; every entry < |A_g|, padding zero.
    private static int[] Unpack(JsonElement table, string path, int globalActions)
    {
        int count = Int(table, "entries", path, 0);
        JsonElement packed = Member(table, "actionsPacked", path, JsonValueKind.String);
        if (!packed.TryGetBytesFromBase64(out byte[]? bytes))
        {
            throw new InvalidDataException($"{path}.actionsPacked: not base64");
        }

        int bits = EdgeMarl.Shared.Policy.PolicyFileLayout.BitsPerEntry(globalActions);
        if (bytes.Length != EdgeMarl.Shared.Policy.PolicyFileLayout.GlobalTableLength(count, bits))
        {
            throw new InvalidDataException($"{path}.actionsPacked: {bytes.Length} bytes, expected {EdgeMarl.Shared.Policy.PolicyFileLayout.GlobalTableLength(count, bits)} for {count} entries of {bits} bits");
        }

        var entries = new int[count];
        long bit = 0;
        for (int e = 0; e < count; e++)
        {
            int value = 0;
            for (int i = 0; i < bits; i++, bit++)
            {
                value |= ((bytes[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) << i;
            }

            if (value >= globalActions)
            {
                throw new InvalidDataException($"{path}.actionsPacked: entry {e} is {value}, expected an integer in [0, {globalActions})");
            }

            entries[e] = value;
        }

        return entries;
    }

    private static JsonElement Member(JsonElement parent, string name, string path, JsonValueKind kind)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            throw new InvalidDataException($"{path}.{name}: missing");
        }

        if (value.ValueKind != kind)
        {
            throw new InvalidDataException($"{path}.{name}: expected {kind.ToString().ToLowerInvariant()}, found {value.ValueKind.ToString().ToLowerInvariant()}");
        }

        return value;
    }

    private static string String(JsonElement parent, string name, string path) =>
        Member(parent, name, path, JsonValueKind.String).GetString()!;

    private static int Int(JsonElement parent, string name, string path, int min)
    {
        JsonElement value = Member(parent, name, path, JsonValueKind.Number);
        if (!value.TryGetInt32(out int result) || result < min)
        {
            throw new InvalidDataException($"{path}.{name}: expected an integer ≥ {min}, found {value.GetRawText()}");
        }

        return result;
    }

    private static byte[] Hash(JsonElement root, string name)
    {
        string hex = String(root, name, "$");
        try
        {
            byte[] bytes = Convert.FromHexString(hex);
            if (bytes.Length == 32)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
            // Reported below with the path.
        }

        throw new InvalidDataException($"$.{name}: expected 64 hex digits (SHA-256)");
    }
}
