using EdgeMarl.Host.Evaluation;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// The words outputs use: enum values as the CLI options spell them (so <c>"timing":"reference"</c>, never a C# enum
/// name), and the tool version every output file and <c>--json</c> result is stamped with.
/// </summary>
internal static class CliWords
{
    /// <summary>The tool's version (<see cref="EdgeMarl.Host.Runs.ToolVersion"/>: the package version and the source commit).</summary>
    public static string ToolVersion => EdgeMarl.Host.Runs.ToolVersion.Current;

    /// <summary>"design" (robots move with the current <c>s_g</c>) or "reference" (with the next one), as <c>--timing</c> takes them.</summary>
    public static string Timing(LocalTransitionTiming timing) => timing switch
    {
        LocalTransitionTiming.CurrentGlobalState => "design",
        LocalTransitionTiming.NextGlobalState => "reference",
        _ => timing.ToString().ToLowerInvariant(),
    };

}
