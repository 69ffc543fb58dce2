using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Cli.Support;

/// <summary>The named choices several commands share (<c>--preset</c>, <c>--timing</c>), parsed in one place.</summary>
internal static class CliChoices
{
    /// <summary>Returns the training preset called <paramref name="name"/>: <c>default</c> or <c>reference</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name (names the option).</exception>
    public static Func<int, TrainingConfig> Preset(string name) => name switch
    {
        "default" => TrainingConfig.Default,
        "reference" => TrainingConfig.ReferenceCompatible,
        _ => throw new ArgumentException($"--preset: '{name}' is not one of default, reference"),
    };

    /// <summary>
    /// Returns the robot-move timing called <paramref name="name"/>: <c>design</c> (current <c>s_g</c>, docs/design.md §1) or
    /// <c>reference</c> (next <c>s_g'</c>, the reference's evaluator); <c>current</c> and <c>next</c> are accepted as synonyms.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name (names the option).</exception>
    public static LocalTransitionTiming Timing(string name) => name switch
    {
        "design" or "current" => LocalTransitionTiming.CurrentGlobalState,
        "reference" or "next" => LocalTransitionTiming.NextGlobalState,
        _ => throw new ArgumentException($"--timing: '{name}' is not one of design, reference"),
    };

    /// <summary>Returns the lift rule called <paramref name="name"/> (<c>--lift</c>): <c>none</c>, <c>halving</c>, <c>every</c> or <c>budgeted</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name (names the option).</exception>
    public static LiftRule Lift(string name) => name switch
    {
        "none" => LiftRule.None,
        "halving" => LiftRule.Halving,
        "every" => LiftRule.Every,
        "budgeted" => LiftRule.Budgeted,
        _ => throw new ArgumentException($"--lift: '{name}' is not one of none, halving, every, budgeted"),
    };

    /// <summary>The description of <c>--lift</c>, shared by train, quickstart and sweep.</summary>
    public const string LiftDescription = "Lifted candidates (docs/design.md §2): also consider the pair trained at a smaller k', its gateway subsampling its k replies to k', "
        + "and an alternation at k warm started from it: none, halving (k' = k/2), every (k' = k − 1: every smaller k, as a sweep trains them) or budgeted (the default preset's: k − 1 while "
        + "training every smaller k is cheap by an estimate from the game's sizes, n and the settings, else k/2; record.json liftChoice says which). Default: the preset's.";
}
