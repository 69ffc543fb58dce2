using System.Text;

namespace EdgeMarl.Host.Games;

/// <summary>
/// The JSON game format (docs/game-spec.md, format <c>edgemarl.game/1</c>): users' own games, and the built-in ones
/// written out. Reading reports every problem with the file and JSON path, then runs <see cref="GameValidator"/>;
/// writing then reading gives bit-identical tables.
/// </summary>
public static class GameJson
{
    /// <summary>The value of the <c>format</c> field of homogeneous games: written for every game without types, read.</summary>
    public const string FormatVersion = "edgemarl.game/1";

    /// <summary>The format with robot types (docs/game-spec.md, revision 2): written for typed games; read, with or without types.</summary>
    public const string TypedFormatVersion = "edgemarl.game/2";

    /// <summary>Reads and validates the game file at <paramref name="path"/>.</summary>
    /// <exception cref="GameSourceException">The file cannot be read.</exception>
    /// <exception cref="GameValidationException">The file is not a valid game; lists every problem.</exception>
    public static Game Load(string path) => ReadFile(path).GetGameOrThrow();

    /// <summary>Reads and validates a game file with or without robot types (docs/heterogeneity.md).</summary>
    /// <exception cref="GameSourceException">The file cannot be read.</exception>
    /// <exception cref="GameValidationException">The file is not a valid game; lists every problem.</exception>
    public static TypedGame LoadTyped(string path) => ReadFile(path).GetTypedGameOrThrow();

    /// <summary>Reads and validates a game, with or without robot types, from JSON text.</summary>
    /// <exception cref="GameValidationException">The text is not a valid game; lists every problem.</exception>
    public static TypedGame ParseTyped(string json, string source = "<text>") => Read(json, source).GetTypedGameOrThrow();

    /// <summary>Returns a typed game as JSON text (<c>edgemarl.game/2</c>; a game of one type of share 1 as <c>edgemarl.game/1</c>).</summary>
    public static string Write(TypedGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        return game.TypeCount == 1 && game.Types[0].Share == 1.0 ? GameJsonWriter.Write(game.Pooled) : GameJsonWriter.Write(game);
    }

    /// <summary>Reads and validates a game from <paramref name="stream"/>.</summary>
    /// <param name="stream">UTF-8 JSON; read to its end, not closed.</param>
    /// <param name="source">What to call the stream in messages (e.g. its file name).</param>
    /// <exception cref="GameSourceException">The stream cannot be read.</exception>
    /// <exception cref="GameValidationException">The text is not a valid game; lists every problem.</exception>
    public static Game Load(Stream stream, string source) => Read(stream, source).GetGameOrThrow();

    /// <summary>Reads and validates a game from JSON text.</summary>
    /// <exception cref="GameValidationException">The text is not a valid game; lists every problem.</exception>
    public static Game Parse(string json, string source = "<text>") => Read(json, source).GetGameOrThrow();

    /// <summary>Reads the game file at <paramref name="path"/> without throwing for its content.</summary>
    /// <exception cref="GameSourceException">The file cannot be read (missing, a directory, no permission, I/O error).</exception>
    public static GameReadResult ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GameSourceException($"{path}: cannot read the game file: {ex.Message}", ex);
        }

        return GameJsonReader.Read(bytes, path);
    }

    /// <summary>Reads a game from <paramref name="stream"/> without throwing for its content.</summary>
    /// <exception cref="GameSourceException">The stream cannot be read.</exception>
    public static GameReadResult Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        try
        {
            stream.CopyTo(buffer);
        }
        catch (IOException ex)
        {
            throw new GameSourceException($"{source}: cannot read the game: {ex.Message}", ex);
        }

        return GameJsonReader.Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), source);
    }

    /// <summary>Reads a game from JSON text without throwing for its content.</summary>
    public static GameReadResult Read(string json, string source = "<text>")
    {
        ArgumentNullException.ThrowIfNull(json);
        return GameJsonReader.Read(Encoding.UTF8.GetBytes(json), source);
    }

    /// <summary>Writes <paramref name="game"/> as UTF-8 JSON to <paramref name="stream"/> (left open).</summary>
    /// <exception cref="ArgumentException">A table's length disagrees with the sizes, or a number is not finite.</exception>
    public static void Write(Game game, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encoding.UTF8.GetBytes(GameJsonWriter.Write(game)));
    }

    /// <summary>Returns <paramref name="game"/> as JSON text.</summary>
    /// <exception cref="ArgumentException">A table's length disagrees with the sizes, or a number is not finite.</exception>
    public static string Write(Game game) => GameJsonWriter.Write(game);

    /// <summary>Writes <paramref name="game"/> to the file at <paramref name="path"/> (created or replaced).</summary>
    public static void WriteFile(Game game, string path)
    {
        File.WriteAllText(path, GameJsonWriter.Write(game), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
