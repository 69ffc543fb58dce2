// A simulator-only run has no tables: the alternation, the policy pair and the run folder still need the sizes, γ, n and
// the initial distributions, which the simulator's hello gives. The tables are left EMPTY on purpose: any code that
// reads P_g, P_l, r_g or r_l of such a game fails at once (index out of range) instead of computing with made-up numbers.
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Simulation;

/// <summary>The shape of a simulator's game (its hello) as a <see cref="Game"/> with empty tables (docs/model-free.md "Simulator-only runs").</summary>
public static class SimulatorShapeGame
{
    /// <summary>Returns a game with the hello's sizes, <c>γ</c>, <c>n</c> and initial distributions and no tables.</summary>
    /// <param name="info">The simulator's hello.</param>
    /// <returns>The shape-only game (<see cref="IsShapeOnly"/> is true).</returns>
    public static Game From(SimulatorInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        bool dirichlet = info.InitialLocalDirichlet is not null;
        return new Game(
            info.Name,
            info.GlobalStates,
            info.GlobalActions,
            info.LocalStates,
            info.LocalActions,
            [],
            [],
            [],
            [],
            info.Gamma,
            info.AgentCount,
            info.InitialGlobal,
            dirichlet ? InitialLocalKind.Dirichlet : InitialLocalKind.Fixed,
            dirichlet ? info.InitialLocalDirichlet! : info.InitialLocal)
        {
            Description = "shape only: the dynamics and rewards are the simulator's (no tables)",
        };
    }

    /// <summary>Whether <paramref name="game"/> has no tables (a simulator-only run's shape).</summary>
    /// <param name="game">A game.</param>
    /// <returns>True when its transition tables are empty.</returns>
    public static bool IsShapeOnly(Game game)
    {
        ArgumentNullException.ThrowIfNull(game);
        return game.GlobalTransition.Length == 0 || game.LocalTransition.Length == 0;
    }

    /// <summary>Throws when <paramref name="info"/>'s sizes differ from <paramref name="game"/>'s (the policies' shape).</summary>
    /// <param name="info">The simulator's hello.</param>
    /// <param name="game">The game whose policies it is to run.</param>
    /// <param name="command">The simulator's command line, for the message.</param>
    /// <exception cref="SimulatorException">The sizes differ.</exception>
    public static void EnsureSameSizes(SimulatorInfo info, Game game, string command)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(game);
        if (info.GlobalStates != game.GlobalStates || info.GlobalActions != game.GlobalActions || info.LocalStates != game.LocalStates || info.LocalActions != game.LocalActions)
        {
            throw new SimulatorException(
                $"simulator '{command}' hello: sizes |S_g|={info.GlobalStates} |A_g|={info.GlobalActions} |S_l|={info.LocalStates} |A_l|={info.LocalActions} differ from game '{game.Name}' "
                + $"({game.GlobalStates}, {game.GlobalActions}, {game.LocalStates}, {game.LocalActions})");
        }
    }
}
