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
    private readonly Game _game;
    private readonly double[] _globalCumulative;
    private readonly double[] _localCumulative;

    /// <summary>Initializes a new instance of the <see cref="TableGameSimulator"/> class.</summary>
    /// <param name="game">A validated game.</param>
    public TableGameSimulator(Game game)
    {
        ArgumentNullException.ThrowIfNull(game);
        _game = game;
        _globalCumulative = Inversion.Cumulative(game.GlobalTransition, game.GlobalStates);
        _localCumulative = Inversion.Cumulative(game.LocalTransition, game.LocalStates);
        double[] initialLocal = game.InitialLocal;
        if (game.InitialLocalKind == InitialLocalKind.Dirichlet)
        {
            double sum = initialLocal.Sum();
            initialLocal = [.. initialLocal.Select(a => a / sum)];
        }

        Info = new SimulatorInfo(game.Name, game.GlobalStates, game.GlobalActions, game.LocalStates, game.LocalActions, game.Gamma, game.AgentCount, game.InitialGlobal, initialLocal)
        {
            InitialLocalDirichlet = game.InitialLocalKind == InitialLocalKind.Dirichlet ? game.InitialLocal : null,
        };
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
            nextGlobalState[i] = Inversion.Draw(_globalCumulative, row, uniform[i]);
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
            nextLocalState[i] = Inversion.Draw(_localCumulative, row, uniform[i]);
            reward[i] = _game.LocalReward[_game.LocalRewardIndex(localState[i], globalState[i], localAction[i])];
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
