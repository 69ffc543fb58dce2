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
}
