using System.CommandLine;
using System.Globalization;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl games list | show NAME [--json] | validate FILE</c>: the built-in games, and checking users' own
/// game files (docs/game-spec.md).
/// </summary>
/// <remarks>Exit codes: 0 fine; 1 the game is invalid (every problem printed with its path); 2 it cannot be read.</remarks>
internal static class GamesCommand
{
    public const int ExitInvalid = 1;
    public const int ExitUnreadable = 2;

    public static Command Create()
    {
        var list = new Command("list", "List the built-in games.");
        list.SetAction(parse => List(parse.InvocationConfiguration.Output));

        var name = new Argument<string>("NAME") { Description = "A built-in game name (see 'games list') or the path of a JSON game file." };
        var json = new Option<bool>("--json") { Description = $"Write the whole game to stdout in the JSON game format ({GameJson.FormatVersion}, docs/game-spec.md) instead of a summary." };
        var show = new Command("show", "Show a game: sizes, γ, n, initial state and excerpts of its tables.") { name, json };
        show.SetAction(parse => Show(parse.GetValue(name)!, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));

        var file = new Argument<string>("FILE") { Description = "The JSON game file to check." };
        var validate = new Command("validate", "Check a JSON game file; print OK with its sizes, or every problem with its JSON path (exit 1; exit 2 if unreadable).") { file };
        validate.SetAction(parse => Validate(parse.GetValue(file)!, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));

        return new Command("games", "Built-in games and JSON game files.") { list, show, validate };
    }

    private static int List(TextWriter output)
    {
        int width = BuiltInGames.All.Max(g => g.Name.Length);
        foreach (var game in BuiltInGames.All)
        {
            output.WriteLine($"{game.Name.PadRight(width)}  {game.Summary}");
        }

        return 0;
    }

    private static int Show(string nameOrPath, bool asJson, TextWriter output, TextWriter error)
    {
        Game game;
        try
        {
            game = GameResolver.Resolve(nameOrPath);
        }
        catch (GameSourceException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitUnreadable;
        }
        catch (GameValidationException ex)
        {
            WriteErrors(error, ex.Source ?? nameOrPath, ex.Errors);
            return ExitInvalid;
        }

        if (asJson)
        {
            output.Write(GameJson.Write(game));
        }
        else
        {
            GameSummary.Write(output, game);
        }

        return 0;
    }

    private static int Validate(string path, TextWriter output, TextWriter error)
    {
        GameReadResult result;
        try
        {
            result = GameJson.ReadFile(path);
        }
        catch (GameSourceException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitUnreadable;
        }

        if (result.IsValid)
        {
            var g = result.Game;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"OK {path}: game '{g.Name}', |S_g| = {g.GlobalStates}, |A_g| = {g.GlobalActions}, |S_l| = {g.LocalStates}, |A_l| = {g.LocalActions}, γ = {g.Gamma}, n = {g.AgentCount}"));
            return 0;
        }

        if (result.Typed is { } typed)
        {
            var g = typed.Template;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"OK {path}: typed game '{g.Name}' ({GameJson.TypedFormatVersion}), {typed.TypeCount} robot types ({string.Join(", ", typed.Types.Select(t => $"{t.Name} {t.Share:R}"))}), |S_g| = {g.GlobalStates}, |A_g| = {g.GlobalActions}, |S_l| = {g.LocalStates}, |A_l| = {g.LocalActions}, γ = {g.Gamma}, n = {g.AgentCount}; train it with 'edgemarl hetero'"));
            return 0;
        }

        WriteErrors(output, path, result.Errors);
        return ExitInvalid;
    }

    private static void WriteErrors(TextWriter writer, string source, IReadOnlyList<GameError> errors)
    {
        foreach (var problem in errors)
        {
            writer.WriteLine($"{source}: {problem}");
        }

        writer.WriteLine($"INVALID {source}: {errors.Count} {(errors.Count == 1 ? "error" : "errors")}");
    }
}
