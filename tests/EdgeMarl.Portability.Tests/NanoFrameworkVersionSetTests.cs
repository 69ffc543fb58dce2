using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EdgeMarl.Portability.Tests;

/// <summary>
/// The ESP32 projects' nanoFramework packages form one set that the pinned firmware loads: each package is in the
/// table of docs/nanoframework-versions.md at exactly its version, and each managed native version equals the
/// firmware's (a mismatch is "Firmware version does not match managed code version" on the device).
/// </summary>
public sealed partial class NanoFrameworkVersionSetTests
{
    private static readonly string[] Projects = ["firmware/EdgeMarl.Gateway.Esp32", "firmware/EdgeMarl.Robot.Esp32"];

    public static TheoryData<string> ProjectFolders() => [.. Projects];

    [Theory]
    [MemberData(nameof(ProjectFolders))]
    public void Every_package_is_in_the_table_at_its_version_and_matches_the_firmware(string project)
    {
        Dictionary<string, Row> table = ReadTable();
        foreach ((string id, string version) in ReadPackagesConfig(project))
        {
            Assert.True(table.TryGetValue(id, out Row? row), $"{project}/packages.config: {id} is not in docs/nanoframework-versions.md");
            Assert.True(row!.Version == version, $"{project}/packages.config: {id} {version}, but the checked set has {row.Version}");
            Assert.True(row.ManagedNative == row.FirmwareNative, $"{id} {version}: managed native version {row.ManagedNative} != firmware {row.FirmwareNative}");
        }
    }

    [Theory]
    [MemberData(nameof(ProjectFolders))]
    public void Every_nfproj_hint_path_names_the_packages_config_version(string project)
    {
        Dictionary<string, string> packages = ReadPackagesConfig(project).ToDictionary(p => p.Id, p => p.Version);
        string nfproj = Directory.GetFiles(Path.Combine(Paths.RepositoryRoot, project), "*.nfproj").Single();
        MatchCollection hints = HintPath().Matches(File.ReadAllText(nfproj));
        Assert.NotEmpty(hints);
        foreach (Match hint in hints)
        {
            // ..\packages\<id>.<version>\lib\...: the id is the longest package id that prefixes the folder name.
            string folder = hint.Groups["folder"].Value;
            string? id = packages.Keys.Where(k => folder.StartsWith(k + ".", StringComparison.Ordinal)).OrderByDescending(k => k.Length).FirstOrDefault();
            Assert.True(id is not null, $"{nfproj}: HintPath folder {folder} names no package of packages.config");
            Assert.Equal($"{id}.{packages[id!]}", folder);
        }
    }

    [Fact]
    public void The_table_catches_the_cryptography_package_current_firmware_refuses()
    {
        // Negative control for the check above: 1.0.38 declares 100.0.0.3, which firmware since nf-interpreter
        // 6277a20a2 no longer implements; the table must not list it as a version that loads.
        Dictionary<string, Row> table = ReadTable();
        Row crypto = table["nanoFramework.System.Security.Cryptography"];
        Assert.NotEqual("1.0.38", crypto.Version);
        Assert.Equal("100.0.0.4", crypto.FirmwareNative);
    }

    private static List<(string Id, string Version)> ReadPackagesConfig(string project)
    {
        XDocument doc = XDocument.Load(Path.Combine(Paths.RepositoryRoot, project, "packages.config"));
        return doc.Root!.Elements("package").Select(p => ((string)p.Attribute("id")!, (string)p.Attribute("version")!)).ToList();
    }

    private static Dictionary<string, Row> ReadTable()
    {
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path.Combine(Paths.RepositoryRoot, "docs", "nanoframework-versions.md")))
        {
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 8 || !cells[1].StartsWith("nanoFramework.", StringComparison.Ordinal))
            {
                continue;
            }

            bool managedOnly = cells[4] == "managed only";
            rows[cells[1]] = new Row(cells[2], managedOnly ? "-" : cells[4], managedOnly ? "-" : cells[6]);
        }

        Assert.True(rows.Count >= 13, $"docs/nanoframework-versions.md: expected the 13-row table, read {rows.Count}");
        return rows;
    }

    [GeneratedRegex(@"<HintPath>\.\.\\packages\\(?<folder>[^\\]+)\\")]
    private static partial Regex HintPath();

    private sealed record Row(string Version, string ManagedNative, string FirmwareNative);
}
