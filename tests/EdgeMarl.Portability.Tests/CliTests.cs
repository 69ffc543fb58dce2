using EdgeMarl.Shared.Random;

namespace EdgeMarl.Portability.Tests;

/// <summary>Exit codes and messages of the command line, and project discovery under shared/ and firmware/.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("edgemarl-portability-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void A_missing_api_folder_fails_with_exit_2_and_one_line_naming_the_path()
    {
        string missing = Path.Combine(_temp, "no-such-api");
        var (exit, stdout, stderr) = Run("--api", missing, "--assembly", typeof(Pcg32).Assembly.Location);

        Assert.Equal(Cli.CannotCheck, exit);
        string line = Assert.Single(Lines(stderr));
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.DoesNotContain("assemblies", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_folder_with_only_preview_lists_is_refused_rather_than_used()
    {
        File.Copy(Path.Combine(Paths.ApiFolder, "mscorlib.2.0-preview.txt"), Path.Combine(_temp, "mscorlib.2.0-preview.txt"));

        var (exit, _, stderr) = Run("--api", _temp, "--assembly", typeof(Pcg32).Assembly.Location);

        Assert.Equal(Cli.CannotCheck, exit);
        Assert.Contains("mscorlib.txt", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void From_solution_skips_host_only_projects_and_fails_clearly_when_a_build_is_missing()
    {
        WriteProject("shared/Adapter/Adapter.csproj", "<EdgeMarlHostOnly>true</EdgeMarlHostOnly>");
        WriteProject("firmware/Node/Node.csproj", "<AssemblyName>Custom.Node</AssemblyName>");
        string expected = Path.Combine("firmware", "Node", "bin", "Debug", "net10.0", "Custom.Node.dll");

        var (exit, _, stderr) = Run("--api", Paths.ApiFolder, "--from-solution", _temp);

        Assert.Equal(Cli.CannotCheck, exit);
        Assert.Contains(expected, Assert.Single(Lines(stderr)), StringComparison.Ordinal);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_temp, expected))!);
        File.Copy(typeof(Pcg32).Assembly.Location, Path.Combine(_temp, expected));
        var (exit2, stdout2, _) = Run("--api", Paths.ApiFolder, "--from-solution", _temp);

        Assert.Equal(Cli.Portable, exit2);
        Assert.Contains(Lines(stdout2), l => l.StartsWith("skip ", StringComparison.Ordinal) && l.Contains("Adapter.csproj", StringComparison.Ordinal));
        Assert.Contains(Lines(stdout2), l => l.StartsWith("portability: 1 assemblies, ", StringComparison.Ordinal) && l.EndsWith(", 0 offenders", StringComparison.Ordinal));
    }

    [Fact]
    public void From_solution_with_no_portable_project_is_an_error_not_a_pass()
    {
        Directory.CreateDirectory(Path.Combine(_temp, "shared"));

        var (exit, _, stderr) = Run("--api", Paths.ApiFolder, "--from-solution", _temp);

        Assert.Equal(Cli.CannotCheck, exit);
        Assert.Contains("no *.csproj", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--api")]
    [InlineData("--bogus")]
    [InlineData("--assembly", "x.dll")]
    public void Bad_arguments_exit_2(params string[] args)
    {
        var (exit, _, stderr) = Run(args);

        Assert.Equal(Cli.CannotCheck, exit);
        Assert.Single(Lines(stderr));
    }

    [Fact]
    public void Api_folder_defaults_to_the_repository_copy_under_the_solution()
    {
        Options options = Cli.Parse(["--from-solution", Paths.RepositoryRoot]);

        Assert.Equal(Paths.ApiFolder, Path.GetFullPath(options.ApiFolder!));
        Assert.True(File.Exists(Path.Combine(Paths.ApiFolder, "mscorlib.txt")), "the API lists live in the repository");
    }

    [Fact]
    public void Help_exits_0_and_documents_the_options()
    {
        var (exit, stdout, _) = Run("--help");

        Assert.Equal(Cli.Portable, exit);
        Assert.Contains("--from-solution", stdout, StringComparison.Ordinal);
        Assert.Contains("--assembly", stdout, StringComparison.Ordinal);
        Assert.Contains("EdgeMarlHostOnly", stdout, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Cli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private void WriteProject(string relativePath, string properties)
    {
        string path = Path.Combine(_temp, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>{properties}</PropertyGroup></Project>");
    }
}
