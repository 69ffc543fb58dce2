using System.Globalization;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Support;

/// <summary>A typed game from the command line: <c>zones-mixed</c> or <c>tiny-mixed</c> with <c>--h</c>, or an <c>edgemarl.game/2</c> file.</summary>
internal static class TypedGameOption
{
    /// <summary>Whether <paramref name="name"/> names a built-in typed game (which needs an <c>h</c>).</summary>
    public static bool IsBuiltIn(string name) =>
        string.Equals(name, ZonesMixedGame.Name, StringComparison.OrdinalIgnoreCase) || string.Equals(name, ZonesMixedGame.TinyName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves the game; <paramref name="n"/> replaces the fleet size when given.</summary>
    /// <exception cref="ArgumentException">A built-in without <c>--h</c>, or <c>h</c> outside [0, 1].</exception>
    public static TypedGame Resolve(string name, double? h, int? n)
    {
        TypedGame game;
        if (IsBuiltIn(name))
        {
            if (h is not double value || !(value >= 0 && value <= 1))
            {
                throw new ArgumentException($"--h: {name} needs a heterogeneity h in [0, 1]{(h is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (got {h})"))}");
            }

            game = string.Equals(name, ZonesMixedGame.TinyName, StringComparison.OrdinalIgnoreCase) ? ZonesMixedGame.CreateTiny(value) : ZonesMixedGame.Create(value);
        }
        else if (!File.Exists(name))
        {
            throw new ArgumentException($"--game {name}: a typed game is zones-mixed or tiny-mixed (with --h) or an edgemarl.game/2 file with robot types (a typed run folder's game.json)");
        }
        else
        {
            game = GameJson.LoadTyped(name);
        }

        return n is null ? game : new TypedGame(FleetSizeOption.Apply(game.Template, n), game.Types);
    }
}
