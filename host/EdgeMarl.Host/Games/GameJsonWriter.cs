using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeMarl.Host.Games;

/// <summary>
/// Writes a <see cref="Game"/> in the JSON game format (docs/game-spec.md). Numbers use the shortest round-trip
/// form in the invariant culture, so reading the text back gives bit-identical doubles. Written by hand rather
/// than with <see cref="Utf8JsonWriter"/> so that each innermost row sits on one line and a table reads like the maths.
/// </summary>
internal static class GameJsonWriter
{
    private const string Indent = "  ";

    // A game file is never embedded in HTML, so only what JSON itself requires is escaped: labels such as
    // "move +1" or "robot's" stay readable.
    private static readonly JavaScriptEncoder s_encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static string Write(Game game) => Write(game, null);

    /// <summary>Writes a typed game (<c>edgemarl.game/2</c>): the shared fields, then <c>types</c> in place of <c>P_l</c> and <c>r_l</c>.</summary>
    public static string Write(TypedGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        return Write(game.Template, game);
    }

    private static string Write(Game game, TypedGame? typed)
    {
        ArgumentNullException.ThrowIfNull(game);
        var json = new StringBuilder();
        json.Append("{\n");
        Field(json, 1, "format").Append(Text(typed is null ? GameJson.FormatVersion : GameJson.TypedFormatVersion)).Append(",\n");
        Field(json, 1, "name").Append(Text(game.Name)).Append(",\n");
        if (game.Description is { } description)
        {
            Field(json, 1, "description").Append(Text(description)).Append(",\n");
        }

        Field(json, 1, "sizes").Append(Inv(
            $"{{ \"S_g\": {game.GlobalStates}, \"A_g\": {game.GlobalActions}, \"S_l\": {game.LocalStates}, \"A_l\": {game.LocalActions} }},\n"));
        Field(json, 1, "gamma").Append(Number(game.Gamma, "gamma")).Append(",\n");
        Field(json, 1, "n").Append(game.AgentCount.ToString(CultureInfo.InvariantCulture)).Append(",\n");

        if (game.Labels is { } labels)
        {
            var lists = new (string Symbol, IReadOnlyList<string>? Labels)[]
            {
                ("s_g", labels.GlobalStates), ("a_g", labels.GlobalActions), ("s_l", labels.LocalStates), ("a_l", labels.LocalActions),
            }.Where(l => l.Labels is not null).ToArray();
            Field(json, 1, "labels").Append("{\n");
            for (int i = 0; i < lists.Length; i++)
            {
                Field(json, 2, lists[i].Symbol).Append('[').AppendJoin(", ", lists[i].Labels!.Select(Text)).Append(']');
                json.Append(i < lists.Length - 1 ? ",\n" : "\n");
            }

            json.Append(Indent).Append("},\n");
        }

        Table(json, "P_g", game.GlobalTransition, [game.GlobalStates, game.GlobalActions, game.GlobalStates]);
        json.Append(",\n");
        int[] pLShape = [game.LocalStates, game.GlobalStates, game.LocalActions, game.LocalStates];
        int[] rLShape = [game.LocalStates, game.GlobalStates, game.LocalActions];
        if (typed is null)
        {
            Table(json, "P_l", game.LocalTransition, pLShape);
            json.Append(",\n");
        }

        Table(json, "r_g", game.GlobalReward, [game.GlobalStates, game.GlobalActions]);
        json.Append(",\n");
        if (typed is null)
        {
            Table(json, "r_l", game.LocalReward, rLShape);
            json.Append(",\n");
        }
        else
        {
            Types(json, typed, pLShape, rLShape);
        }


        string kind = game.InitialLocalKind switch
        {
            InitialLocalKind.Fixed => "fixed",
            InitialLocalKind.Dirichlet => "dirichlet",
            _ => throw new ArgumentException($"initial.local.kind {(int)game.InitialLocalKind} has no JSON name", nameof(game)),
        };
        Field(json, 1, "initial").Append("{\n");
        Field(json, 2, "global").Append(Row(game.InitialGlobal, 0, game.InitialGlobal.Length, "initial.global")).Append(",\n");
        Field(json, 2, "local").Append("{ \"kind\": ").Append(Text(kind)).Append(", \"values\": ")
            .Append(Row(game.InitialLocal, 0, game.InitialLocal.Length, "initial.local")).Append(" }\n");
        json.Append(Indent).Append("}\n");
        json.Append("}\n");
        return json.ToString();
    }

    /// <summary>Writes <c>"types": [ { "name", "share", "P_l", "r_l" }, … ]</c>, each type's tables indented one level deeper.</summary>
    private static void Types(StringBuilder json, TypedGame typed, int[] pLShape, int[] rLShape)
    {
        Field(json, 1, "types").Append("[\n");
        for (int t = 0; t < typed.TypeCount; t++)
        {
            RobotType type = typed.Types[t];
            json.Append(Indent).Append(Indent).Append("{\n");
            Field(json, 3, "name").Append(Text(type.Name)).Append(",\n");
            Field(json, 3, "share").Append(Number(type.Share, $"types[{t}].share")).Append(",\n");
            Table(json, "P_l", type.LocalTransition, pLShape, 3);
            json.Append(",\n");
            Table(json, "r_l", type.LocalReward, rLShape, 3);
            json.Append('\n').Append(Indent).Append(Indent).Append('}').Append(t < typed.TypeCount - 1 ? ",\n" : "\n");
        }

        json.Append(Indent).Append("],\n");
    }

    /// <summary>Writes a flat row-major table as nested arrays of the given shape, one innermost row per line.</summary>
    private static void Table(StringBuilder json, string field, double[] values, int[] shape, int depth = 1)
    {
        long expected = shape.Aggregate(1L, (product, size) => product * size);
        if (values.Length != expected)
        {
            throw new ArgumentException($"{field} has {values.Length} entries but its sizes say {expected}; validate the game before writing it", nameof(values));
        }

        Field(json, depth, field);
        int offset = 0;
        Level(json, field, values, shape, 0, ref offset, depth - 1);
    }

    private static void Level(StringBuilder json, string field, double[] values, int[] shape, int level, ref int offset, int extra = 0)
    {
        int rowLength = shape[^1];
        if (level == shape.Length - 1)
        {
            json.Append(Row(values, offset, rowLength, field));
            offset += rowLength;
            return;
        }

        json.Append("[\n");
        for (int i = 0; i < shape[level]; i++)
        {
            json.Append(string.Concat(Enumerable.Repeat(Indent, level + 2 + extra)));
            Level(json, field, values, shape, level + 1, ref offset, extra);
            json.Append(i < shape[level] - 1 ? ",\n" : "\n");
        }

        json.Append(string.Concat(Enumerable.Repeat(Indent, level + 1 + extra))).Append(']');
    }

    private static string Row(double[] values, int offset, int length, string field) =>
        "[" + string.Join(", ", Enumerable.Range(offset, length).Select(i => Number(values[i], field))) + "]";

    private static StringBuilder Field(StringBuilder json, int depth, string name) =>
        json.Append(string.Concat(Enumerable.Repeat(Indent, depth))).Append(Text(name)).Append(": ");

    private static string Text(string value) => "\"" + JsonEncodedText.Encode(value, s_encoder).ToString() + "\"";

    /// <summary>The shortest text that parses back to the same double ("R", invariant culture).</summary>
    private static string Number(double value, string field) =>
        double.IsFinite(value)
            ? value.ToString("R", CultureInfo.InvariantCulture)
            : throw new ArgumentException($"{field} holds {value}, which JSON cannot represent; validate the game before writing it", nameof(value));

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
