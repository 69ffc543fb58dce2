// DESIGN.md §1: the built-in and JSON games are generative models too: draw from P_g and P_l by inversion at u·2⁻³².
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Simulation;

/// <summary>
/// A <see cref="Game"/>'s tables as an <see cref="IGameSimulator"/>: <c>s' = min{j : u·2⁻³² &lt; F(j)}</c> over the
/// cumulative row <c>F</c> (last entry forced to 1), the convention of the sampled G-step, so a simulator in another
/// language that does the same inversion returns the same states.
/// </summary>
public sealed class TableGameSimulator : IGameSimulator
{
    private const double TwoToMinus32 = 1.0 / 4294967296.0;
    private readonly Game _game;
    private readonly double[] _globalCumulative;
    private readonly double[] _localCumulative;

    /// <summary>Initializes a new instance of the <see cref="TableGameSimulator"/> class.</summary>
    /// <param name="game">A validated game.</param>
    public TableGameSimulator(Game game)
    {
        ArgumentNullException.ThrowIfNull(game);
        _game = game;
        _globalCumulative = Cumulative(game.GlobalTransition, game.GlobalStates);
        _localCumulative = Cumulative(game.LocalTransition, game.LocalStates);
        double[] initialLocal = game.InitialLocal;
        if (game.InitialLocalKind == InitialLocalKind.Dirichlet)
        {
            double sum = initialLocal.Sum();
            initialLocal = [.. initialLocal.Select(a => a / sum)];
        }

        Info = new SimulatorInfo(game.Name, game.GlobalStates, game.GlobalActions, game.LocalStates, game.LocalActions, game.Gamma, game.AgentCount, game.InitialGlobal, initialLocal);
    }

    /// <inheritdoc/>
    public SimulatorInfo Info { get; }

    /// <inheritdoc/>
    public void StepGlobal(ReadOnlySpan<int> globalState, ReadOnlySpan<int> globalAction, ReadOnlySpan<uint> uniform, Span<int> nextGlobalState, Span<double> reward)
    {
        int g = _game.GlobalStates;
        for (int i = 0; i < globalState.Length; i++)
        {
            int row = ((globalState[i] * _game.GlobalActions) + globalAction[i]) * g;
            nextGlobalState[i] = Invert(_globalCumulative, row, g, uniform[i]);
            reward[i] = _game.GlobalRewardAt(globalState[i], globalAction[i]);
        }
    }

    /// <inheritdoc/>
    public void StepLocal(ReadOnlySpan<int> localState, ReadOnlySpan<int> globalState, ReadOnlySpan<int> localAction, ReadOnlySpan<uint> uniform, Span<int> nextLocalState, Span<double> reward)
    {
        int l = _game.LocalStates;
        for (int i = 0; i < localState.Length; i++)
        {
            int row = _game.LocalTransitionIndex(localState[i], globalState[i], localAction[i], 0);
            nextLocalState[i] = Invert(_localCumulative, row, l, uniform[i]);
            reward[i] = _game.LocalReward[_game.LocalRewardIndex(localState[i], globalState[i], localAction[i])];
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private static int Invert(double[] cumulative, int row, int width, uint draw)
    {
        double u = draw * TwoToMinus32;
        int next = 0;
        while (u >= cumulative[row + next])
        {
            next++;
        }

        return next;
    }

    private static double[] Cumulative(double[] table, int width)
    {
        var cumulative = new double[table.Length];
        for (int row = 0; row < table.Length; row += width)
        {
            double acc = 0;
            for (int j = 0; j < width; j++)
            {
                acc += table[row + j];
                cumulative[row + j] = j == width - 1 ? 1.0 : acc;
            }
        }

        return cumulative;
    }
}
