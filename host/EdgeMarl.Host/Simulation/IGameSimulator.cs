// DESIGN.md §1 as a generative model: the learner sees samples s_g' ~ P_g(·|s_g,a_g), s_l' ~ P_l(·|s_l,s_g,a_l) and the
// rewards, never the tables. docs/simulator-protocol.md is the out-of-process form of this interface.
namespace EdgeMarl.Host.Simulation;

/// <summary>The sizes and constants a simulator announces (the protocol's <c>hello</c>).</summary>
/// <param name="Name">The game's name.</param>
/// <param name="GlobalStates"><c>|S_g|</c>.</param>
/// <param name="GlobalActions"><c>|A_g|</c>.</param>
/// <param name="LocalStates"><c>|S_l|</c>.</param>
/// <param name="LocalActions"><c>|A_l|</c>.</param>
/// <param name="Gamma">Discount <c>γ</c>.</param>
/// <param name="AgentCount">Fleet size <c>n</c>.</param>
/// <param name="InitialGlobal">Distribution of the initial global state, length <c>|S_g|</c>.</param>
/// <param name="InitialLocal">Distribution of a robot's initial state, length <c>|S_l|</c> (for a Dirichlet game: its mean).</param>
public sealed record SimulatorInfo(
    string Name,
    int GlobalStates,
    int GlobalActions,
    int LocalStates,
    int LocalActions,
    double Gamma,
    int AgentCount,
    double[] InitialGlobal,
    double[] InitialLocal)
{
    /// <summary>
    /// Gets the Dirichlet concentrations <c>α</c> when each rollout first draws <c>p ~ Dirichlet(α)</c> and then every robot's
    /// initial state from <c>p</c> (the zones benchmark); null when robots draw i.i.d. from <see cref="InitialLocal"/>.
    /// Only evaluation reads it (the protocol's optional hello field <c>initialLocalDirichlet</c>).
    /// </summary>
    public double[]? InitialLocalDirichlet { get; init; }
}

/// <summary>
/// A seeded, deterministic generative model of a game, batched: request arrays in, answer arrays out (caller-provided
/// buffers, index <c>i</c> answers request <c>i</c>). Every request carries a 32-bit uniform draw <c>u</c> from the
/// caller's seeded stream; a simulator must return a deterministic function of the request and <c>u</c> (the table
/// games draw by inversion of the cumulative row at <c>u·2⁻³²</c>), so the same seed gives the same bytes whatever
/// process or language answers.
/// </summary>
public interface IGameSimulator : IDisposable
{
    /// <summary>Gets the sizes and constants.</summary>
    SimulatorInfo Info { get; }

    /// <summary>Samples <c>s_g' ~ P_g(·|s_g, a_g)</c> and <c>r_g(s_g, a_g)</c> for each request.</summary>
    /// <param name="globalState">s_g per request.</param>
    /// <param name="globalAction">a_g per request.</param>
    /// <param name="uniform">32-bit uniform draw per request.</param>
    /// <param name="nextGlobalState">Receives s_g'.</param>
    /// <param name="reward">Receives r_g.</param>
    /// <exception cref="SimulatorException">The simulator failed or answered out of range.</exception>
    void StepGlobal(ReadOnlySpan<int> globalState, ReadOnlySpan<int> globalAction, ReadOnlySpan<uint> uniform, Span<int> nextGlobalState, Span<double> reward);

    /// <summary>Samples <c>s_l' ~ P_l(·|s_l, s_g, a_l)</c> and <c>r_l(s_l, s_g, a_l)</c> for each request.</summary>
    /// <param name="localState">s_l per request.</param>
    /// <param name="globalState">s_g per request.</param>
    /// <param name="localAction">a_l per request.</param>
    /// <param name="uniform">32-bit uniform draw per request.</param>
    /// <param name="nextLocalState">Receives s_l'.</param>
    /// <param name="reward">Receives r_l.</param>
    /// <exception cref="SimulatorException">The simulator failed or answered out of range.</exception>
    void StepLocal(ReadOnlySpan<int> localState, ReadOnlySpan<int> globalState, ReadOnlySpan<int> localAction, ReadOnlySpan<uint> uniform, Span<int> nextLocalState, Span<double> reward);
}

/// <summary>A simulator crashed, hung, or answered something malformed or out of range; the message names the call and the bad output.</summary>
/// <remarks>An <see cref="IOException"/>: the simulator is an input the host reads, and commands report it as an I/O failure.</remarks>
public sealed class SimulatorException(string message, Exception? inner = null) : IOException(message, inner);
