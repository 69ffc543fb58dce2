namespace EdgeMarl.Host.Games;

/// <summary>The games that ship with EdgeMarl, by name (case-insensitive).</summary>
public static class BuiltInGames
{
    private static readonly BuiltInGame[] s_all =
    [
        new(ZonesGame.Name, "the paper's multi-robot benchmark (docs/reference-benchmark.md): 5 zones, 1000 robots on a ring of 5", ZonesGame.Create),
        new(TinyGame.Name, "2 global states/actions, 2 local states/actions, n = 4; for tests and docs", TinyGame.Create),
    ];

    /// <summary>Gets every built-in game, in listing order.</summary>
    public static IReadOnlyList<BuiltInGame> All => s_all;

    /// <summary>Gets the built-in names, in listing order.</summary>
    public static IReadOnlyList<string> Names => [.. s_all.Select(g => g.Name)];

    /// <summary>Builds the built-in game called <paramref name="name"/> (case-insensitive), if there is one.</summary>
    public static bool TryCreate(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Game? game)
    {
        foreach (var entry in s_all)
        {
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                game = entry.Create();
                return true;
            }
        }

        game = null;
        return false;
    }

    /// <summary>Builds the built-in game called <paramref name="name"/>.</summary>
    /// <exception cref="GameSourceException">No built-in game has that name.</exception>
    public static Game Create(string name) =>
        TryCreate(name, out var game)
            ? game
            : throw new GameSourceException($"'{name}' is not a built-in game (built-in: {string.Join(", ", Names)})");
}

/// <summary>One built-in game: its name, a one-line description and its factory.</summary>
/// <param name="Name">The name used on the command line.</param>
/// <param name="Summary">A one-line description for <c>edgemarl games list</c>.</param>
/// <param name="Create">Builds a fresh instance (callers may keep it; nothing is shared).</param>
public sealed record BuiltInGame(string Name, string Summary, Func<Game> Create);
