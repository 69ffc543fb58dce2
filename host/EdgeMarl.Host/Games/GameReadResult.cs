namespace EdgeMarl.Host.Games;

/// <summary>
/// The outcome of reading a game file: either a valid <see cref="Game"/>, a valid <see cref="TypedGame"/> (format
/// <c>edgemarl.game/2</c> with <c>types</c>), or every problem found (JSON syntax, format structure, then the
/// <see cref="GameValidator"/>'s or <see cref="TypedGameValidator"/>'s checks).
/// </summary>
/// <param name="Source">Where the text came from (file path or a caller's label), for messages.</param>
/// <param name="Game">The game, when it is a valid homogeneous game; otherwise <see langword="null"/>.</param>
/// <param name="Errors">Every problem found; empty exactly when <paramref name="Game"/> or <see cref="Typed"/> is not <see langword="null"/>.</param>
public sealed record GameReadResult(string Source, Game? Game, IReadOnlyList<GameError> Errors)
{
    /// <summary>Gets the typed game, when the file held a valid game with robot types (then <see cref="Game"/> is null).</summary>
    public TypedGame? Typed { get; init; }

    /// <summary>Gets a value indicating whether the file held a valid homogeneous game.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Game))]
    public bool IsValid => Game is not null;

    /// <summary>
    /// Returns the game, or throws a <see cref="GameValidationException"/> listing every problem. A typed game is refused
    /// here (naming <c>$.types</c>): commands that take a <see cref="Game"/> train and evaluate homogeneous fleets, and
    /// silently pooling the types would evaluate the wrong fleet.
    /// </summary>
    public Game GetGameOrThrow() => Game ?? throw new GameValidationException(Source, Typed is { } t
        ? [new GameError("types", $"holds {t.TypeCount} robot types: this command needs a homogeneous fleet; use 'edgemarl hetero' (docs/heterogeneity.md)", "$.types")]
        : Errors);

    /// <summary>Returns the typed game (a homogeneous game as one type of share 1), or throws listing every problem.</summary>
    public TypedGame GetTypedGameOrThrow() =>
        Typed ?? (Game is { } game ? TypedGame.Untyped(game) : throw new GameValidationException(Source, Errors));
}
