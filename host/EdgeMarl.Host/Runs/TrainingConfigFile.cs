// docs/run-folder.md "config.json": every training setting, readable back by `edgemarl train --config`.
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeMarl.Host.Training;
using EdgeMarl.Host.Training.ModelFree;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// <c>config.json</c> of a run folder (format <see cref="Format"/>): the tool version, the config hash and every setting of
/// <see cref="TrainingConfig"/> that can change results (all but <see cref="TrainingConfig.Threads"/>), keys camelCase and
/// sorted, enum values as <see cref="SettingWords"/>. The settings are found by reflection, so a setting added to
/// <see cref="TrainingConfig"/> is written, read and reachable through <c>train --set</c> without a change here.
/// Reading is strict: a missing, unknown or mistyped key is an error naming its JSON path, and a stored
/// <c>configHash</c> must match the settings read (so a file from a version with other settings cannot rerun silently
/// with different ones).
/// </summary>
public static class TrainingConfigFile
{
    /// <summary>The format tag, first key of the file.</summary>
    public const string Format = "edgemarl.config/1";

    private const string ThreadsName = nameof(TrainingConfig.Threads);

    /// <summary>Every setting as (key, property), keys like <c>gTolerance</c> and <c>modelFree.gSamplesPerPair</c>, sorted; the property belongs to <see cref="TrainingConfig"/> or <see cref="ModelFreeSettings"/>.</summary>
    public static IReadOnlyList<(string Key, PropertyInfo Property)> Settings { get; } = [.. Properties(typeof(TrainingConfig), string.Empty).OrderBy(s => s.Key, StringComparer.Ordinal)];

    /// <summary>Writes <paramref name="config"/> as <c>config.json</c> text (indented, "\n" line ends, trailing newline).</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>UTF-8 JSON text.</returns>
    public static string Write(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("toolVersion", ToolVersion.Current);
            w.WriteString("configHash", config.ConfigHash());
            w.WritePropertyName("settings");
            WriteObject(w, config);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Returns the settings of <paramref name="config"/> as a JSON element (what <c>record.json</c> embeds as <c>config</c>).</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>A detached JSON object.</returns>
    public static JsonElement SettingsElement(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            WriteObject(w, config);
        }

        using JsonDocument document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Rebuilds a configuration from its canonical JSON (<see cref="TrainingConfig.ToCanonicalJson"/>: enum names, keys that
    /// are written only when set, such as <c>lift</c> and <c>modelFree</c>, absent otherwise), as <c>record.json</c> embeds
    /// it for a lifted source's training.
    /// </summary>
    /// <param name="canonical">The canonical JSON object.</param>
    /// <returns>The configuration, whose <see cref="TrainingConfig.ConfigHash"/> is the hash of <paramref name="canonical"/>.</returns>
    /// <exception cref="FormatException">A key or value the configuration does not have.</exception>
    public static TrainingConfig FromCanonical(JsonElement canonical) => (TrainingConfig)FromCanonical(canonical, typeof(TrainingConfig));

    /// <summary>Reads a <c>config.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The configuration (with <see cref="TrainingConfig.Threads"/> 0).</returns>
    /// <exception cref="InvalidDataException">Not a valid config file: names the file and the JSON path.</exception>
    public static TrainingConfig Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = File.ReadAllText(path);
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON ({e.Message})", e);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Returns <paramref name="config"/> with one setting changed, as <c>train --set KEY=VALUE</c> does.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="key">A key of <see cref="Settings"/>.</param>
    /// <param name="value">The value as text: a number, <c>true</c>/<c>false</c>, an enum word, or <c>null</c> for <c>modelFree</c>.</param>
    /// <returns>The changed configuration (not validated).</returns>
    /// <exception cref="FormatException">Unknown key or bad value (names both).</exception>
    public static TrainingConfig Set(TrainingConfig config, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        string where = "--set " + key;
        if (key == "modelFree")
        {
            return value == "null" ? config with { ModelFree = null }
                : value == "default" ? config with { ModelFree = new ModelFreeSettings() }
                : throw new FormatException($"{where}: '{value}' is not one of null, default (set its fields as modelFree.NAME)");
        }

        PropertyInfo property = Settings.FirstOrDefault(s => s.Key == key).Property
            ?? throw new FormatException($"--set: unknown setting '{key}'; settings: {string.Join(", ", Settings.Select(s => s.Key))}");
        object parsed = ParseText(property.PropertyType, value, where);
        TrainingConfig copy = config with { };
        if (property.DeclaringType == typeof(ModelFreeSettings))
        {
            ModelFreeSettings inner = (config.ModelFree ?? new ModelFreeSettings()) with { };
            property.SetValue(inner, parsed);
            return copy with { ModelFree = inner };
        }

        property.SetValue(copy, parsed);
        return copy;
    }

    /// <summary>Describes the values a setting takes: <c>integer</c>, <c>number</c>, <c>true|false</c> or its enum words.</summary>
    /// <param name="property">A property of <see cref="Settings"/>.</param>
    /// <returns>The description.</returns>
    public static string Values(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        Type t = property.PropertyType;
        return t.IsEnum ? string.Join("|", SettingWords.All(t))
            : t == typeof(bool) ? "true|false"
            : t == typeof(double) ? "number"
            : "integer";
    }

    /// <summary>Returns the value of a setting of <paramref name="config"/> as <c>--set</c> would take it.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="property">A property of <see cref="Settings"/>.</param>
    /// <returns>The text.</returns>
    public static string ValueText(TrainingConfig config, PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(property);
        object? owner = property.DeclaringType == typeof(ModelFreeSettings) ? config.ModelFree ?? new ModelFreeSettings() : config;
        return property.GetValue(owner) switch
        {
            Enum e => SettingWords.Of(e),
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other?.ToString() ?? "null",
        };
    }

    private static IEnumerable<(string Key, PropertyInfo Property)> Properties(Type type, string prefix)
    {
        foreach (PropertyInfo p in Writable(type))
        {
            if (p.PropertyType == typeof(ModelFreeSettings))
            {
                foreach (var inner in Properties(p.PropertyType, Name(p) + "."))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (prefix + Name(p), p);
            }
        }
    }

    private static IEnumerable<PropertyInfo> Writable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.Name != ThreadsName)
            .OrderBy(Name, StringComparer.Ordinal);

    private static string Name(PropertyInfo p) => JsonNamingPolicy.CamelCase.ConvertName(p.Name);

    private static void WriteObject(Utf8JsonWriter w, object owner)
    {
        w.WriteStartObject();
        foreach (PropertyInfo p in Writable(owner.GetType()))
        {
            w.WritePropertyName(Name(p));
            switch (p.GetValue(owner))
            {
                case null: w.WriteNullValue(); break;
                case ModelFreeSettings inner: WriteObject(w, inner); break;
                case Enum e: w.WriteStringValue(SettingWords.Of(e)); break;
                case bool b: w.WriteBooleanValue(b); break;
                case int i: w.WriteNumberValue(i); break;
                case long l: w.WriteNumberValue(l); break;
                case ulong u: w.WriteNumberValue(u); break;
                case double d: w.WriteNumberValue(d); break;
                case var other: throw new NotSupportedException($"config setting {p.Name} has type {other.GetType().Name}, which config.json cannot write");
            }
        }

        w.WriteEndObject();
    }

    private static TrainingConfig Parse(JsonElement root)
    {
        Expect(root, JsonValueKind.Object, "$");
        string format = root.TryGetProperty("format", out JsonElement f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : string.Empty;
        if (format != Format)
        {
            throw new FormatException($"$.format: '{format}' is not '{Format}'");
        }

        foreach (JsonProperty p in root.EnumerateObject())
        {
            if (p.Name is not ("format" or "toolVersion" or "configHash" or "settings"))
            {
                throw new FormatException($"$.{p.Name}: unknown key (expected format, toolVersion, configHash, settings)");
            }
        }

        if (!root.TryGetProperty("settings", out JsonElement settings))
        {
            throw new FormatException("$.settings: missing");
        }

        var config = (TrainingConfig)ReadObject(settings, typeof(TrainingConfig), "$.settings");
        if (root.TryGetProperty("configHash", out JsonElement hash))
        {
            Expect(hash, JsonValueKind.String, "$.configHash");
            if (hash.GetString() != config.ConfigHash())
            {
                throw new FormatException(
                    $"$.configHash: {hash.GetString()} is not the hash of the settings read ({config.ConfigHash()}): the file was written by a version with other settings, "
                    + "or edited; to train with edited settings on purpose, delete the configHash line");
            }
        }

        return config;
    }

    private static object ReadObject(JsonElement element, Type type, string where)
    {
        Expect(element, JsonValueKind.Object, where);
        object owner = Activator.CreateInstance(type)!;
        PropertyInfo[] properties = [.. Writable(type)];
        foreach (JsonProperty p in element.EnumerateObject())
        {
            if (!properties.Any(q => Name(q) == p.Name))
            {
                throw new FormatException($"{where}.{p.Name}: unknown setting (settings: {string.Join(", ", properties.Select(Name))})");
            }
        }

        foreach (PropertyInfo p in properties)
        {
            string at = where + "." + Name(p);
            if (!element.TryGetProperty(Name(p), out JsonElement value))
            {
                throw new FormatException($"{at}: missing (a config.json lists every setting; values: {Values(p)})");
            }

            p.SetValue(owner, ReadValue(value, p.PropertyType, at));
        }

        return owner;
    }

    private static object? ReadValue(JsonElement value, Type type, string at)
    {
        if (type == typeof(ModelFreeSettings))
        {
            return value.ValueKind == JsonValueKind.Null ? null : ReadObject(value, type, at);
        }

        if (type.IsEnum)
        {
            Expect(value, JsonValueKind.String, at);
            return SettingWords.Parse(type, value.GetString()!, at);
        }

        if (type == typeof(bool))
        {
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new FormatException($"{at}: expected true or false, found {value.ValueKind.ToString().ToLowerInvariant()}"),
            };
        }

        Expect(value, JsonValueKind.Number, at);
        return ParseText(type, value.GetRawText(), at);
    }

    private static object ParseText(Type type, string text, string at)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        if (type.IsEnum)
        {
            return SettingWords.Parse(type, text, at);
        }

        bool ok;
        object result;
        if (type == typeof(bool))
        {
            ok = text is "true" or "false";
            result = text == "true";
        }
        else if (type == typeof(int))
        {
            ok = int.TryParse(text, NumberStyles.Integer, c, out int v);
            result = v;
        }
        else if (type == typeof(long))
        {
            ok = long.TryParse(text, NumberStyles.Integer, c, out long v);
            result = v;
        }
        else if (type == typeof(ulong))
        {
            ok = ulong.TryParse(text, NumberStyles.None, c, out ulong v);
            result = v;
        }
        else if (type == typeof(double))
        {
            ok = double.TryParse(text, NumberStyles.Float, c, out double v) && double.IsFinite(v);
            result = v;
        }
        else
        {
            throw new NotSupportedException($"{at}: settings of type {type.Name} cannot be read");
        }

        return ok ? result : throw new FormatException($"{at}: '{text}' is not {(type == typeof(double) ? "a finite number" : type == typeof(bool) ? "true or false" : "an integer in range")}");
    }

    private static object FromCanonical(JsonElement canonical, Type type)
    {
        object owner = Activator.CreateInstance(type)!;
        PropertyInfo[] properties = [.. Writable(type)];
        foreach (JsonProperty p in canonical.EnumerateObject())
        {
            PropertyInfo property = properties.FirstOrDefault(q => Name(q) == p.Name)
                ?? throw new FormatException($"canonical config: unknown setting '{p.Name}'");
            Type t = property.PropertyType;
            object? value = t == typeof(ModelFreeSettings) ? FromCanonical(p.Value, t)
                : t.IsEnum ? Enum.Parse(t, p.Value.GetString() ?? string.Empty)
                : ReadValue(p.Value, t, "canonical config." + p.Name);
            property.SetValue(owner, value);
        }

        return owner;
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string at)
    {
        if (element.ValueKind != kind)
        {
            throw new FormatException($"{at}: expected {kind.ToString().ToLowerInvariant()}, found {element.ValueKind.ToString().ToLowerInvariant()}");
        }
    }
}
