using System.Diagnostics;
using System.Globalization;
using EdgeMarl.Host.Evaluation;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// Progress for an n-robot evaluation, which has no inner progress hook: a line on stderr when it starts (what it runs)
/// and when it ends (how long it took), so a terminal is never silent for the whole evaluation.
/// </summary>
internal static class EvaluationProgress
{
    public static EvaluationResult Run(string label, EvaluationSettings settings, Func<EvaluationResult> evaluate)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {settings.Seeds} seeds x {settings.RolloutsPerSeed} rollouts x horizon {settings.Horizon} ..."));
        var watch = Stopwatch.StartNew();
        EvaluationResult result = evaluate();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {result.Mean:F2} in {watch.Elapsed.TotalSeconds:F1} s"));
        return result;
    }
}
