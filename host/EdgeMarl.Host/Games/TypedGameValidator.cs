using System.Globalization;

namespace EdgeMarl.Host.Games;

/// <summary>
/// Checks a <see cref="TypedGame"/> (docs/game-spec.md, <c>edgemarl.game/2</c>): the shared parts as
/// <see cref="GameValidator"/> does, every type's <c>P_l</c> and <c>r_l</c> with the same rules (named
/// <c>types[τ].P_l[…]</c>, JSON path <c>$.types[τ].P_l[…]</c>), shares finite, in <c>(0, 1]</c> and summing to 1 within
/// <see cref="GameValidator.RowSumTolerance"/>, names non-blank and unique, at most <see cref="MaxTypes"/> types.
/// </summary>
public static class TypedGameValidator
{
    /// <summary>Most types a game may have (the typed count space grows with <c>T·|S_l|</c>; docs/heterogeneity.md).</summary>
    public const int MaxTypes = 16;

    /// <summary>Returns every problem in <paramref name="game"/>; empty when it is valid.</summary>
    public static IReadOnlyList<GameError> Validate(TypedGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        var errors = new List<GameError>();
        if (game.TypeCount > MaxTypes)
        {
            errors.Add(new GameError("types", $"has {game.TypeCount} types (at most {MaxTypes})", "$.types"));
        }

        // Shared fields once (from type 0's view, without its local tables and its "NAME/TYPE" name), then each type's local tables.
        if (string.IsNullOrWhiteSpace(game.Name))
        {
            errors.Add(new GameError("name", "is empty (must name the game)", "$.name"));
        }

        errors.AddRange(GameValidator.Validate(game.TypeGame(0)).Where(e => !IsLocalTable(e) && e.JsonPath != "$.name"));
        var names = new HashSet<string>(StringComparer.Ordinal);
        double total = 0;
        bool sharesFinite = true;
        for (int t = 0; t < game.TypeCount; t++)
        {
            RobotType type = game.Types[t];
            string at = $"types[{t}]", json = $"$.types[{t}]";
            if (string.IsNullOrWhiteSpace(type.Name))
            {
                errors.Add(new GameError($"{at}.name", "is empty (must name the type)", $"{json}.name"));
            }
            else if (!names.Add(type.Name))
            {
                errors.Add(new GameError($"{at}.name", $"is \"{type.Name}\", the name of an earlier type (names must be unique)", $"{json}.name"));
            }

            if (!double.IsFinite(type.Share) || type.Share <= 0 || type.Share > 1)
            {
                errors.Add(new GameError($"{at}.share", $"is {GameValidator.Num(type.Share)} (must be a share in (0, 1])", $"{json}.share"));
                sharesFinite &= double.IsFinite(type.Share);
            }

            total += type.Share;
            foreach (var e in GameValidator.Validate(game.TypeGame(t)).Where(IsLocalTable))
            {
                errors.Add(new GameError($"{at}.{e.Path}", e.Message, e.JsonPath is { } p ? json + p[1..] : null));
            }
        }

        if (sharesFinite && Math.Abs(total - 1.0) > GameValidator.RowSumTolerance)
        {
            errors.Add(new GameError("types[*].share", string.Create(CultureInfo.InvariantCulture, $"sum to {GameValidator.Num(total)} (the shares must sum to 1 within 1e-9)"), "$.types"));
        }

        return errors;
    }

    /// <summary>Throws a <see cref="GameValidationException"/> listing every problem unless <paramref name="game"/> is valid.</summary>
    public static void EnsureValid(TypedGame game, string? source = null)
    {
        var errors = Validate(game);
        if (errors.Count > 0)
        {
            throw new GameValidationException(source ?? game.Name, errors);
        }
    }

    private static bool IsLocalTable(GameError e) =>
        e.JsonPath is { } p && (p.StartsWith("$.P_l", StringComparison.Ordinal) || p.StartsWith("$.r_l", StringComparison.Ordinal));
}
