namespace EdgeMarl.Portability.Tests;

/// <summary>Where the repository and the nanoFramework API lists are, found from the test binary's folder.</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The repository's copy of the nanoFramework API lists, the portability tool's default.</summary>
    public static string ApiFolder => Path.GetFullPath(Path.Combine(RepositoryRoot, Cli.DefaultApiFolder));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeMarl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeMarl.sln not found above {AppContext.BaseDirectory}");
    }
}
