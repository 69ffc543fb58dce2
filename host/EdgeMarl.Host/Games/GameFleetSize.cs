namespace EdgeMarl.Host.Games;

/// <summary>Training, evaluating and simulating for the fleet one actually has: the game with another fleet size <c>n</c>.</summary>
public static class GameFleetSize
{
    /// <summary>Returns the game with fleet size <paramref name="n"/> (every table unchanged); the same game when n is its own.</summary>
    /// <param name="game">The game.</param>
    /// <param name="n">Fleet size, at least 1.</param>
    /// <returns>The game for n robots; its <see cref="GameHash"/> differs, as the trained policies do.</returns>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 1.</exception>
    public static Game WithAgentCount(this Game game, int n)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (n == game.AgentCount)
        {
            return game;
        }

        return new Game(
            game.Name, game.GlobalStates, game.GlobalActions, game.LocalStates, game.LocalActions, game.GlobalTransition, game.LocalTransition,
            game.GlobalReward, game.LocalReward, game.Gamma, n, game.InitialGlobal, game.InitialLocalKind, game.InitialLocal)
        {
            Labels = game.Labels,
            Description = game.Description,
        };
    }
}
