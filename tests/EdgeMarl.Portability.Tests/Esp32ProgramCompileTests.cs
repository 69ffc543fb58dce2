using System.Collections.Immutable;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeMarl.Portability.Tests;

/// <summary>
/// CI cannot run the nanoFramework toolchain, so each ESP32 program is compiled here from the exact source list of its
/// <c>.nfproj</c> (its <c>Compile</c> items, globs expanded, obj/bin excluded), as one C# 9 assembly, against the .NET
/// reference assemblies plus compile-only stubs of the nanoFramework-only APIs (<c>Esp32CompileStubs/</c>, copied from the
/// API lists), then the portability checker runs over the result. A program that does not compile, or that calls
/// anything outside the nanoFramework API lists, fails this test.
/// </summary>
public sealed class Esp32ProgramCompileTests
{
    private static readonly CSharpParseOptions Parse = new(LanguageVersion.CSharp9);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_framework = new(() =>
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return [.. tpa.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var f
                && (f.StartsWith("System.", StringComparison.Ordinal) || f is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
                && f != "System.Net.NetworkInformation.dll" // nanoFramework's NetworkInterface differs: the stub stands in for it
                && f != "System.Device.Gpio.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            // nanoFramework's GPIO API is the subset of .NET IoT's System.Device.Gpio that EdgeMarl.Firmware builds against.
            .Append(MetadataReference.CreateFromFile(typeof(System.Device.Gpio.GpioController).Assembly.Location))];
    });

    private static readonly Lazy<MetadataReference> s_stubs = new(() =>
    {
        string folder = Path.Combine(Paths.RepositoryRoot, "tests", "EdgeMarl.Portability.Tests", "Esp32CompileStubs");
        var trees = Directory.EnumerateFiles(folder, "*.cs").Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), Parse, f));
        byte[] image = Emit("nanoFramework.CompileOnlyStubs", trees, s_framework.Value);
        return MetadataReference.CreateFromImage(image);
    });

    [Theory]
    [InlineData("firmware/EdgeMarl.Gateway.Esp32/EdgeMarl.Gateway.Esp32.nfproj")]
    [InlineData("firmware/EdgeMarl.Robot.Esp32/EdgeMarl.Robot.Esp32.nfproj")]
    public void The_program_compiles_from_its_nfproj_source_list_and_calls_only_nanoFramework_apis(string nfproj)
    {
        string path = Path.Combine(Paths.RepositoryRoot, nfproj);
        IReadOnlyList<string> sources = NfprojSources(path);
        Assert.Contains(sources, s => s.EndsWith("Program.cs", StringComparison.Ordinal) && s.Contains(".Esp32", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("Esp32Common", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains(Path.Combine("shared", "EdgeMarl.Shared"), StringComparison.Ordinal));

        var trees = sources.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), Parse, f));
        byte[] image = Emit(Path.GetFileNameWithoutExtension(path), trees, s_framework.Value.Add(s_stubs.Value));

        // One accepted exception: System.Random as an entropy source (not a seeded stream), in DeviceEntropy.Next only.
        CheckResult result = Portability.CheckImage(image);
        var offenders = result.Offenders.Where(o => !(o.Key.Contains("System.Random", StringComparison.Ordinal)
            && o.Locations.All(l => l.StartsWith("EdgeMarl.Esp32.DeviceEntropy::Next", StringComparison.Ordinal)))).ToList();
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders.Select(Cli.FormatOffender)));
        Assert.True(result.ReferencesChecked >= 100, $"only {result.ReferencesChecked} references checked");

        // The nanoFramework-only calls were seen and found in the lists (not skipped as internal).
        Assert.Contains("M nanoFramework.Hardware.Esp32.Configuration::SetPinFunction(System.Int32,nanoFramework.Hardware.Esp32.DeviceFunction)", result.Passed);
        Assert.Contains("M nanoFramework.Runtime.Native.Power::RebootDevice(nanoFramework.Runtime.Native.RebootOption)", result.Passed);
        Assert.Contains("M System.Net.NetworkInformation.NetworkInterface::GetIsNetworkAvailable()", result.Passed);
    }

    /// <summary>The nfproj's Compile items: plain files, <c>dir\*.cs</c> and <c>dir\**\*.cs</c>, minus <c>Exclude</c> folders (<c>dir\obj\**</c>).</summary>
    private static IReadOnlyList<string> NfprojSources(string nfproj)
    {
        string dir = Path.GetDirectoryName(nfproj)!;
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (XElement compile in XDocument.Load(nfproj).Descendants(ns + "Compile"))
        {
            string include = Normalize((string)compile.Attribute("Include")!);
            string[] excluded = ((string?)compile.Attribute("Exclude") ?? string.Empty)
                .Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(e => Path.GetFullPath(Path.Combine(dir, Normalize(e).Replace($"{Path.DirectorySeparatorChar}**", string.Empty, StringComparison.Ordinal))) + Path.DirectorySeparatorChar)
                .ToArray();
            int star = include.IndexOf('*', StringComparison.Ordinal);
            IEnumerable<string> matched;
            if (star < 0)
            {
                matched = [Path.GetFullPath(Path.Combine(dir, include))];
            }
            else
            {
                string root = Path.GetFullPath(Path.Combine(dir, include[..star]));
                string pattern = include[(include.LastIndexOf(Path.DirectorySeparatorChar) + 1)..];
                bool recursive = include.Contains("**", StringComparison.Ordinal);
                matched = Directory.EnumerateFiles(root, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly);
            }

            foreach (string file in matched)
            {
                Assert.True(File.Exists(file), $"{nfproj}: Compile item {file} does not exist");
                if (!excluded.Any(e => file.StartsWith(e, StringComparison.Ordinal)))
                {
                    files.Add(file);
                }
            }
        }

        return [.. files];
    }

    private static string Normalize(string msbuildPath) => msbuildPath.Replace('\\', Path.DirectorySeparatorChar);

    private static byte[] Emit(string name, IEnumerable<SyntaxTree> trees, IEnumerable<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            name,
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable, generalDiagnosticOption: ReportDiagnostic.Error));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(
            emitted.Success,
            $"{name} does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning))}");
        return image.ToArray();
    }
}
