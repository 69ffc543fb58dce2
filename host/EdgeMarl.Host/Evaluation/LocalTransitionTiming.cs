namespace EdgeMarl.Host.Evaluation;

/// <summary>Which global state conditions the robots' move <c>s_l' ~ P_l(· | s_l, s_g, a_l)</c> in an evaluation step.</summary>
public enum LocalTransitionTiming
{
    /// <summary>The step's current <c>s_g</c>, as docs/design.md §1 defines the game (the default).</summary>
    CurrentGlobalState = 0,

    /// <summary>
    /// The next global state <c>s_g'</c>, drawn before the robots move. This is what the public reference
    /// implementation's evaluator does (it draws <c>s_g'</c> first and then indexes <c>P_l</c> with it); only the
    /// reference-compatible reproduction uses it, to compare like with like (docs/reproduction.md).
    /// </summary>
    NextGlobalState = 1,
}
