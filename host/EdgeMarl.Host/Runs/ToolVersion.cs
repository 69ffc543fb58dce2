using System.Reflection;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// The version every output file and <c>--json</c> result is stamped with (key <c>toolVersion</c>): the package version
/// and, when built from a git checkout, <c>+</c> and the source commit (e.g. <c>0.1.0+b38ad06…</c>).
/// </summary>
public static class ToolVersion
{
    /// <summary>Gets the version text.</summary>
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString(3)
        ?? "unknown";
}
