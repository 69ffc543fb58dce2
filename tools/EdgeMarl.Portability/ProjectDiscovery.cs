using System.Xml.Linq;

namespace EdgeMarl.Portability;

/// <summary>A project under <c>shared/</c> or <c>firmware/</c> and where its Debug build should be.</summary>
/// <param name="ProjectPath">The .csproj.</param>
/// <param name="AssemblyPath"><c>bin/Debug/net10.0/&lt;AssemblyName or project name&gt;.dll</c> beside it.</param>
/// <param name="HostOnly">True when the project sets <c>&lt;EdgeMarlHostOnly&gt;true&lt;/EdgeMarlHostOnly&gt;</c>.</param>
internal sealed record PortableProject(string ProjectPath, string AssemblyPath, bool HostOnly);

/// <summary>
/// Finds the nanoFramework-portable projects of a solution folder: every <c>*.csproj</c> under <c>shared/</c> and
/// <c>firmware/</c>. The tool does not build them; it reads the Debug build that <c>dotnet build</c> /
/// <c>dotnet test</c> leave behind and fails if it is missing.
/// </summary>
internal static class ProjectDiscovery
{
    /// <summary>Folders whose projects must run on nanoFramework (docs/design.md §4).</summary>
    public static readonly string[] PortableRoots = ["shared", "firmware"];

    private const string Configuration = "Debug";
    private const string TargetFramework = "net10.0";

    public static IReadOnlyList<PortableProject> Find(string solutionDir)
    {
        var projects = new List<PortableProject>();
        foreach (string root in PortableRoots)
        {
            string dir = Path.Combine(solutionDir, root);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (string csproj in Directory.EnumerateFiles(dir, "*.csproj", SearchOption.AllDirectories))
            {
                if (IsUnderBuildOutput(Path.GetRelativePath(dir, csproj)))
                {
                    continue;
                }

                projects.Add(Describe(csproj));
            }
        }

        projects.Sort((a, b) => string.CompareOrdinal(a.ProjectPath, b.ProjectPath));
        return projects;
    }

    /// <summary>Reads the project's <c>AssemblyName</c> and <c>EdgeMarlHostOnly</c> (literal values only).</summary>
    public static PortableProject Describe(string csproj)
    {
        XDocument doc = XDocument.Load(csproj);
        string? assemblyName = Property(doc, "AssemblyName");
        if (string.IsNullOrWhiteSpace(assemblyName) || assemblyName.Contains("$(", StringComparison.Ordinal))
        {
            assemblyName = Path.GetFileNameWithoutExtension(csproj);
        }

        bool hostOnly = string.Equals(Property(doc, "EdgeMarlHostOnly"), "true", StringComparison.OrdinalIgnoreCase);
        string dll = Path.Combine(Path.GetDirectoryName(csproj)!, "bin", Configuration, TargetFramework, assemblyName + ".dll");
        return new PortableProject(csproj, dll, hostOnly);
    }

    /// <summary>The newest source file in the project folder that is newer than the built assembly, or null.</summary>
    public static string? NewerSource(PortableProject project)
    {
        DateTime built = File.GetLastWriteTimeUtc(project.AssemblyPath);
        string dir = Path.GetDirectoryName(project.ProjectPath)!;
        return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsUnderBuildOutput(Path.GetRelativePath(dir, f)))
            .Where(f => File.GetLastWriteTimeUtc(f) > built)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    private static string? Property(XDocument doc, string name) =>
        doc.Descendants().LastOrDefault(e => e.Name.LocalName == name)?.Value.Trim();

    private static bool IsUnderBuildOutput(string relativePath)
    {
        string[] parts = relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj");
    }
}
