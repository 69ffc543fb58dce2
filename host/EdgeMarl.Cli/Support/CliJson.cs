using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeMarl.Host.Runs;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// The one JSON style of every <c>--json</c> result (docs/run-folder.md "JSON style"): indented, camelCase keys, enum values
/// as <see cref="SettingWords"/>, <c>toolVersion</c> first.
/// </summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new WordEnumConverter() },
    };

    /// <summary>Returns <paramref name="value"/> as JSON text, stamped with <c>toolVersion</c> as its first key.</summary>
    public static string Format(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonNode? node = JsonSerializer.SerializeToNode(value, value.GetType(), s_options);
        if (node is not JsonObject body)
        {
            throw new ArgumentException("a --json result must be an object", nameof(value));
        }

        var stamped = new JsonObject { ["toolVersion"] = ToolVersion.Current };
        foreach (string key in body.Select(p => p.Key).ToArray())
        {
            JsonNode? child = body[key];
            body.Remove(key);
            stamped[key] = child;
        }

        return stamped.ToJsonString(s_options);
    }

    /// <summary>Writes <see cref="Format"/> of <paramref name="value"/> to stdout.</summary>
    public static void Print(object value) => Console.WriteLine(Format(value));

    /// <summary>Writes any enum as its <see cref="SettingWords"/> word.</summary>
    private sealed class WordEnumConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Words<>).MakeGenericType(typeToConvert))!;

        private sealed class Words<T> : JsonConverter<T>
            where T : struct, Enum
        {
            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                (T)SettingWords.Parse(typeof(T), reader.GetString() ?? string.Empty, "$");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(SettingWords.Of(value));
        }
    }
}
