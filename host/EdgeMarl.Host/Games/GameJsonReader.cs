using System.Globalization;
using System.Text.Json;

namespace EdgeMarl.Host.Games;

/// <summary>
/// Reads the JSON game format (docs/game-spec.md) from a <see cref="JsonDocument"/>, so every problem can be named by
/// its JSON path (<c>$.P_l[2][0][1]</c>) instead of surfacing as a serializer exception. Collects all problems it
/// can find; builds a <see cref="Game"/> only when there are none.
/// </summary>
internal sealed class GameJsonReader
{
    /// <summary>
    /// Problems listed per table before the rest are only counted: one wrong size in <c>sizes</c> makes every row of a
    /// table the wrong length, and a thousand identical lines would hide the one that matters.
    /// </summary>
    internal const int MaxErrorsPerTable = 20;

    private static readonly string[] s_topFields = ["format", "name", "description", "sizes", "gamma", "n", "labels", "P_g", "P_l", "r_g", "r_l", "initial"];
    private static readonly string[] s_typedTopFields = [.. s_topFields, "types"];
    private static readonly string[] s_typeFields = ["name", "share", "P_l", "r_l"];
    private static readonly string[] s_sizeFields = ["S_g", "A_g", "S_l", "A_l"];
    private static readonly string[] s_labelFields = ["s_g", "a_g", "s_l", "a_l"];
    private static readonly string[] s_initialFields = ["global", "local"];
    private static readonly string[] s_initialLocalFields = ["kind", "values"];

    private static readonly JsonDocumentOptions s_options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 32,
    };

    private readonly List<GameError> _errors = [];
    private int _tableErrors;
    private int _tableSuppressed;
    private string _format = GameJson.FormatVersion;
    private List<RobotType>? _types;

    private GameJsonReader()
    {
    }

    /// <summary>Reads UTF-8 JSON text (a leading byte-order mark is allowed).</summary>
    public static GameReadResult Read(ReadOnlyMemory<byte> utf8, string source)
    {
        if (utf8.Span.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        var reader = new GameJsonReader();
        var game = reader.ReadDocument(utf8);
        if (game is null)
        {
            if (reader._errors.Count == 0)
            {
                reader._errors.Add(new GameError("$", "could not be read as a game"));
            }

            return new GameReadResult(source, null, reader._errors);
        }

        if (reader._types is { } types)
        {
            var typed = new TypedGame(game, types);
            var typedProblems = TypedGameValidator.Validate(typed);
            return typedProblems.Count == 0 ? new GameReadResult(source, null, []) { Typed = typed } : new GameReadResult(source, null, typedProblems);
        }

        var problems = GameValidator.Validate(game);
        return problems.Count == 0 ? new GameReadResult(source, game, []) : new GameReadResult(source, null, problems);
    }

    private Game? ReadDocument(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_options);
        }
        catch (JsonException ex)
        {
            _errors.Add(new GameError("$", DescribeSyntaxError(ex)));
            return null;
        }
        catch (ArgumentException ex)
        {
            // Invalid UTF-8 surfaces as ArgumentException from the reader in some paths.
            _errors.Add(new GameError("$", $"is not valid UTF-8 JSON: {ex.Message}"));
            return null;
        }

        using (document)
        {
            return ReadRoot(document.RootElement);
        }
    }

    private Game? ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("$", $"is {Kind(root)} (must be an object with \"format\": \"{GameJson.FormatVersion}\")");
            return null;
        }

        // The format decides which fields exist, so read it first.
        if (root.TryGetProperty("format", out var declared) && declared.ValueKind == JsonValueKind.String && declared.GetString() == GameJson.TypedFormatVersion)
        {
            _format = GameJson.TypedFormatVersion;
        }

        bool v2 = _format == GameJson.TypedFormatVersion;
        var fields = Fields(root, "$", v2 ? s_typedTopFields : s_topFields);
        bool typed = v2 && fields.ContainsKey("types");

        if (!fields.TryGetValue("format", out var format))
        {
            Error("$.format", $"is missing (must be \"{GameJson.FormatVersion}\")");
        }
        else if (format.ValueKind != JsonValueKind.String)
        {
            Error("$.format", $"is {Kind(format)} (must be the string \"{GameJson.FormatVersion}\")");
        }
        else if (format.GetString() != GameJson.FormatVersion && format.GetString() != GameJson.TypedFormatVersion)
        {
            // Another version's fields may mean other things: reading on would only produce misleading errors.
            Error("$.format", $"is \"{Shorten(format.GetString() ?? string.Empty)}\" (unknown format version; this reader knows \"{GameJson.FormatVersion}\" and \"{GameJson.TypedFormatVersion}\")");
            return null;
        }

        string? name = ReadString(fields, "$", "name", required: true);
        string? description = ReadString(fields, "$", "description", required: false);
        int? gS = null, aG = null, sL = null, aL = null;
        if (Required(fields, "$", "sizes", "an object with S_g, A_g, S_l, A_l") is { } sizesElement)
        {
            if (sizesElement.ValueKind != JsonValueKind.Object)
            {
                Error("$.sizes", $"is {Kind(sizesElement)} (must be an object with S_g, A_g, S_l, A_l)");
            }
            else
            {
                var sizes = Fields(sizesElement, "$.sizes", s_sizeFields);
                gS = ReadSize(sizes, "S_g");
                aG = ReadSize(sizes, "A_g");
                sL = ReadSize(sizes, "S_l");
                aL = ReadSize(sizes, "A_l");
            }
        }

        double? gamma = Required(fields, "$", "gamma", "a number") is { } g ? ReadNumber(g, "$.gamma") : null;
        int? n = Required(fields, "$", "n", "an integer") is { } nElement ? ReadInt(nElement, "$.n") : null;
        var labels = ReadLabels(fields);

        double[]? pG = null, pL = null, rG = null, rL = null, initialGlobal = null, initialLocal = null;
        InitialLocalKind? kind = null;
        if (gS is int s && aG is int a && sL is int l && aL is int b)
        {
            var gsAxis = new Axis("s_g", "|S_g|", s);
            var gaAxis = new Axis("a_g", "|A_g|", a);
            var lsAxis = new Axis("s_l", "|S_l|", l);
            var laAxis = new Axis("a_l", "|A_l|", b);
            pG = ReadTable(fields, "P_g", [gsAxis, gaAxis, gsAxis with { Symbol = "s_g'" }]);
            Axis[] pLShape = [lsAxis, gsAxis, laAxis, lsAxis with { Symbol = "s_l'" }];
            Axis[] rLShape = [lsAxis, gsAxis, laAxis];
            if (!typed)
            {
                pL = ReadTable(fields, "P_l", pLShape);
            }

            rG = ReadTable(fields, "r_g", [gsAxis, gaAxis]);
            (pL, rL) = typed ? ReadTypes(fields, pLShape, rLShape) : (pL, ReadTable(fields, "r_l", rLShape));
            (initialGlobal, kind, initialLocal) = ReadInitial(fields, gsAxis, lsAxis);
        }
        else
        {
            // The tables' shapes come from the sizes; without them there is nothing to check the tables against.
            foreach (string table in typed ? (string[])["P_g", "r_g", "initial", "types"] : ["P_g", "P_l", "r_g", "r_l", "initial"])
            {
                Required(fields, "$", table, "a table");
            }
        }

        if (_errors.Count > 0)
        {
            return null;
        }

        return new Game(
            name!, gS!.Value, aG!.Value, sL!.Value, aL!.Value, pG!, pL!, rG!, rL!, gamma!.Value, n!.Value, initialGlobal!, kind!.Value, initialLocal!)
        {
            Description = description,
            Labels = labels,
        };
    }

    /// <summary>
    /// Reads <c>$.types</c> (format 2): an array of <c>{ name, share, P_l, r_l }</c>, the tables shaped as the homogeneous
    /// <c>P_l</c> and <c>r_l</c>, which must then be absent at the top level. Returns type 0's tables for the template game.
    /// </summary>
    private (double[]? PL, double[]? RL) ReadTypes(Dictionary<string, JsonElement> fields, Axis[] pLShape, Axis[] rLShape)
    {
        foreach (string table in (string[])["P_l", "r_l"])
        {
            if (fields.ContainsKey(table))
            {
                Error($"$.{table}", "is not allowed next to $.types (each type has its own P_l and r_l)");
            }
        }

        var element = fields["types"];
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            Error("$.types", $"is {Kind(element)} (must be a non-empty array of {{ \"name\", \"share\", \"P_l\", \"r_l\" }} objects)");
            return (null, null);
        }

        var types = new List<RobotType>();
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            string path = $"$.types[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"is {Kind(item)} (must be an object with name, share, P_l, r_l)");
                continue;
            }

            var typeFields = Fields(item, path, s_typeFields);
            string? name = ReadString(typeFields, path, "name", required: true);
            double? share = Required(typeFields, path, "share", "a number in (0, 1]") is { } shareElement ? ReadNumber(shareElement, $"{path}.share") : null;
            double[]? pL = ReadTable(typeFields, "P_l", pLShape, path);
            double[]? rL = ReadTable(typeFields, "r_l", rLShape, path);
            if (name is not null && share is double w && pL is not null && rL is not null)
            {
                types.Add(new RobotType(name, w, pL, rL));
            }
        }

        _types = types;
        return types.Count > 0 ? (types[0].LocalTransition, types[0].LocalReward) : (null, null);
    }

    private int? ReadSize(Dictionary<string, JsonElement> sizes, string symbol)
    {
        if (Required(sizes, "$.sizes", symbol, "an integer ≥ 1") is not { } element)
        {
            return null;
        }

        int? size = ReadInt(element, $"$.sizes.{symbol}");
        if (size is < 1)
        {
            Error($"$.sizes.{symbol}", $"is {size} (|{symbol}| must be ≥ 1)");
            return null;
        }

        return size;
    }

    private GameLabels? ReadLabels(Dictionary<string, JsonElement> fields)
    {
        if (!fields.TryGetValue("labels", out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            Error("$.labels", $"is {Kind(element)} (must be an object with optional s_g, a_g, s_l, a_l arrays of strings)");
            return null;
        }

        var labels = Fields(element, "$.labels", s_labelFields);
        return new GameLabels
        {
            GlobalStates = ReadStrings(labels, "s_g"),
            GlobalActions = ReadStrings(labels, "a_g"),
            LocalStates = ReadStrings(labels, "s_l"),
            LocalActions = ReadStrings(labels, "a_l"),
        };
    }

    private string[]? ReadStrings(Dictionary<string, JsonElement> labels, string symbol)
    {
        if (!labels.TryGetValue(symbol, out var element))
        {
            return null;
        }

        string path = $"$.labels.{symbol}";
        if (element.ValueKind != JsonValueKind.Array)
        {
            Error(path, $"is {Kind(element)} (must be an array of strings, one per {symbol})");
            return null;
        }

        var result = new string[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                result[i] = item.GetString()!;
            }
            else
            {
                Error($"{path}[{i}]", $"is {Kind(item)} (must be a string)");
            }

            i++;
        }

        return result;
    }

    private (double[]? Global, InitialLocalKind? Kind, double[]? Local) ReadInitial(Dictionary<string, JsonElement> fields, Axis gsAxis, Axis lsAxis)
    {
        if (Required(fields, "$", "initial", "an object with global and local") is not { } element)
        {
            return (null, null, null);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            Error("$.initial", $"is {Kind(element)} (must be an object with global and local)");
            return (null, null, null);
        }

        var initial = Fields(element, "$.initial", s_initialFields);
        double[]? global = ReadTable(initial, "global", [gsAxis], "$.initial");
        if (Required(initial, "$.initial", "local", "an object with kind and values") is not { } localElement)
        {
            return (global, null, null);
        }

        if (localElement.ValueKind != JsonValueKind.Object)
        {
            Error("$.initial.local", $"is {Kind(localElement)} (must be an object with kind and values)");
            return (global, null, null);
        }

        var local = Fields(localElement, "$.initial.local", s_initialLocalFields);
        InitialLocalKind? kind = null;
        if (ReadString(local, "$.initial.local", "kind", required: true) is { } kindText)
        {
            kind = kindText switch
            {
                "fixed" => InitialLocalKind.Fixed,
                "dirichlet" => InitialLocalKind.Dirichlet,
                _ => null,
            };
            if (kind is null)
            {
                Error("$.initial.local.kind", $"is \"{Shorten(kindText)}\" (must be \"fixed\" or \"dirichlet\")");
            }
        }

        double[]? values = ReadTable(local, "values", [lsAxis], "$.initial.local");
        return (global, kind, values);
    }

    /// <summary>
    /// Reads a nested array of the given shape into a flat row-major array. The shape is checked in full before
    /// anything is allocated, so a corrupted size cannot make the reader allocate more than the file holds.
    /// </summary>
    private double[]? ReadTable(Dictionary<string, JsonElement> fields, string field, Axis[] shape, string parent = "$")
    {
        string description = shape.Length == 1 ? $"an array of {shape[0].SizeSymbol} numbers" : $"a {shape.Length}-level nested array";
        if (Required(fields, parent, field, description) is not { } element)
        {
            return null;
        }

        string path = $"{parent}.{field}";
        _tableErrors = 0;
        _tableSuppressed = 0;
        bool ok = CheckShape(element, path, shape, 0);
        if (_tableSuppressed > 0)
        {
            _errors.Add(new GameError(path, $"has {_tableSuppressed} more problems not listed (first {MaxErrorsPerTable} shown)"));
        }

        if (!ok)
        {
            return null;
        }

        long length = 1;
        foreach (var axis in shape)
        {
            length *= axis.Size;
        }

        var values = new double[length];
        int next = 0;
        Fill(element, values, ref next);
        return values;
    }

    private bool CheckShape(JsonElement element, string path, Axis[] shape, int level)
    {
        if (level == shape.Length)
        {
            return CheckNumber(element, path);
        }

        var axis = shape[level];
        string expected = level == shape.Length - 1
            ? $"an array of {axis.SizeSymbol} = {axis.Size} numbers, one per {axis.Symbol}"
            : $"an array of {axis.SizeSymbol} = {axis.Size} arrays, one per {axis.Symbol}";
        if (element.ValueKind != JsonValueKind.Array)
        {
            TableError(path, $"is {Kind(element)} (must be {expected})");
            return false;
        }

        int count = element.GetArrayLength();
        bool ok = true;
        if (count != axis.Size)
        {
            TableError(path, $"has {count} entries (must be {axis.SizeSymbol} = {axis.Size}, one per {axis.Symbol})");
            ok = false;
        }

        // Look inside even when the length is wrong: a bad number further down is worth reporting too.
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            ok &= CheckShape(item, $"{path}[{i}]", shape, level + 1);
            i++;
        }

        return ok;
    }

    private bool CheckNumber(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (element.TryGetDouble(out double value) && double.IsFinite(value))
                {
                    return true;
                }

                TableError(path, $"is {Shorten(element.GetRawText())} (must be a finite number within ±1.7e308)");
                return false;
            case JsonValueKind.String:
                string text = element.GetString() ?? string.Empty;
                TableError(path, double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && !double.IsFinite(parsed)
                    ? $"is the string \"{Shorten(text)}\" (must be a finite number; JSON has no NaN or infinity)"
                    : $"is the string \"{Shorten(text)}\" (must be a number, not a string)");
                return false;
            default:
                TableError(path, $"is {Kind(element)} (must be a finite number)");
                return false;
        }
    }

    private static void Fill(JsonElement element, double[] values, ref int next)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            values[next++] = element.GetDouble();
            return;
        }

        foreach (var item in element.EnumerateArray())
        {
            Fill(item, values, ref next);
        }
    }

    private double? ReadNumber(JsonElement element, string path)
    {
        _tableErrors = 0;
        return CheckNumber(element, path) ? element.GetDouble() : null;
    }

    private int? ReadInt(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value))
        {
            return value;
        }

        Error(path, element.ValueKind == JsonValueKind.Number
            ? $"is {Shorten(element.GetRawText())} (must be an integer between {int.MinValue} and {int.MaxValue}, without fraction or exponent)"
            : $"is {Kind(element)} (must be an integer)");
        return null;
    }

    private string? ReadString(Dictionary<string, JsonElement> fields, string parent, string field, bool required)
    {
        if (!fields.TryGetValue(field, out var element))
        {
            if (required)
            {
                Error($"{parent}.{field}", "is missing (must be a string)");
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            Error($"{parent}.{field}", $"is {Kind(element)} (must be a string)");
            return null;
        }

        return element.GetString();
    }

    private JsonElement? Required(Dictionary<string, JsonElement> fields, string parent, string field, string what)
    {
        if (fields.TryGetValue(field, out var element))
        {
            return element;
        }

        Error($"{parent}.{field}", $"is missing (must be {what})");
        return null;
    }

    /// <summary>Collects an object's fields, reporting any that appear twice or that the format does not define.</summary>
    private Dictionary<string, JsonElement> Fields(JsonElement element, string path, string[] known)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            string propertyPath = PropertyPath(path, property.Name);
            if (Array.IndexOf(known, property.Name) < 0)
            {
                Error(propertyPath, property.Name == "types" && _format == GameJson.FormatVersion && path == "$"
                    ? $"is not a field of {_format} (a game with robot types needs \"format\": \"{GameJson.TypedFormatVersion}\")"
                    : $"is not a field of {_format} here (expected: {string.Join(", ", known)})");
            }
            else if (!fields.TryAdd(property.Name, property.Value))
            {
                Error(propertyPath, "appears more than once");
            }
        }

        return fields;
    }

    private void Error(string path, string message) => _errors.Add(new GameError(path, message));

    private void TableError(string path, string message)
    {
        if (_tableErrors++ < MaxErrorsPerTable)
        {
            Error(path, message);
        }
        else
        {
            _tableSuppressed++;
        }
    }

    private static string PropertyPath(string parent, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"{parent}.{name}"
            : $"{parent}['{Shorten(name.Replace("'", "\\'", StringComparison.Ordinal))}']";

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Shorten(element.GetString() ?? string.Empty)}\"",
        JsonValueKind.Number => $"the number {Shorten(element.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    private static string DescribeSyntaxError(JsonException ex)
    {
        // The parser's message ends with its own 0-based "LineNumber: x | BytePositionInLine: y."; say it 1-based.
        string reason = ex.Message;
        int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            reason = reason[..cut];
        }

        string where = ex.LineNumber is long line
            ? $" at line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}"
            : string.Empty;
        return $"is not valid JSON{where}: {reason}";
    }

    private readonly record struct Axis(string Symbol, string SizeSymbol, int Size);
}
