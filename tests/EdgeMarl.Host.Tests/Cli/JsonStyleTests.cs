using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Host.Runs;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary>
/// One JSON style across every <c>--json</c> result and every JSON file the tool writes: camelCase keys, enum values as the
/// CLI's words (never a C# enum name), and a <c>toolVersion</c> at the top. The game format (<c>edgemarl.game/1</c>) is
/// the one exception: an input format whose keys are the paper's symbols (<c>P_g</c>, <c>r_l</c>; docs/game-spec.md).
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed partial class JsonStyleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) =>
        CliRunner.Run([TrainCommand.Create(), EvalCommand.Create(), GapCommand.Create(), ExportCommand.Create(), InspectCommand.Create(), SweepCommand.Create(), GamesCommand.Create()], args);

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();

    /// <summary>Every C# enum value name of the host and CLI assemblies, which no output may contain as a value.</summary>
    private static readonly HashSet<string> s_enumNames = [.. new[] { typeof(TrainingRunFolder).Assembly, typeof(CliJson).Assembly }
        .SelectMany(a => a.GetTypes()).Where(t => t.IsEnum && t.IsPublic).SelectMany(Enum.GetNames).Where(n => n.Length > 1 && char.IsUpper(n[0]))];

    [Fact]
    public void Every_output_is_camel_case_stamped_with_the_tool_version_and_says_enums_as_words()
    {
        var outputs = new List<(string Name, string Json)>();
        string run = Path.Combine(_dir, "run");
        var train = Run("train", "--game", "tiny", "--k", "2", "--preset", "reference", "--out", run, "--json");
        Assert.True(train.Code == 0, train.Err);
        outputs.Add(("train --json", train.Out));
        foreach (string file in new[] { "record.json", "config.json", "timings.json", "policies.json" })
        {
            outputs.Add((file, File.ReadAllText(Path.Combine(run, file))));
        }

        var eval = Run("eval", "--run", run, "--seeds", "2", "--rollouts", "3", "--horizon", "5", "--timing", "reference", "--json");
        Assert.True(eval.Code == 0, eval.Err);
        outputs.Add(("eval --json", eval.Out));
        var exact = Run("gap", "--run", run, "--exact", "--json");
        Assert.True(exact.Code == 0, exact.Err);
        outputs.Add(("gap --exact --json", exact.Out));
        var estimate = Run("gap", "--run", run, "--estimate", "--seeds", "11", "--rollouts", "2", "--horizon", "10", "--json");
        Assert.True(estimate.Code == 0, estimate.Err);
        outputs.Add(("gap --estimate --json", estimate.Out));
        Assert.Equal(0, Run("export", "--run", run).Code);
        var inspect = Run("inspect", Path.Combine(run, "policy.empol"), "--json");
        Assert.True(inspect.Code == 0, inspect.Err);
        outputs.Add(("inspect --json", inspect.Out));
        outputs.Add(("device-info --json", CliJson.Format(new DeviceInfo(true, 1, 3, 7, 2, 200, true, 0, 47800, 0xdeadbeef, "fleet", 0, 0, 202, 0x12345678, 1, 5, [0, 1, 0, 0, 0, 0, 0, 0], "1.0"))));

        string sweep = Path.Combine(_dir, "sweep");
        var swept = Run("sweep", "--game", "tiny", "--k", "1,2", "--seeds", "1", "--no-gap", "--out", sweep);
        Assert.True(swept.Code == 0, swept.Err);
        foreach (string file in Directory.GetFiles(sweep, "*.json", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != TrainingRunFolder.GameFileName))
        {
            outputs.Add(("sweep " + Path.GetRelativePath(sweep, file), File.ReadAllText(file)));
        }

        Assert.True(outputs.Count >= 16, $"only {outputs.Count} outputs walked");
        foreach ((string name, string json) in outputs)
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            Assert.True(doc.RootElement.TryGetProperty("toolVersion", out JsonElement version), $"{name}: no toolVersion");
            Assert.Equal(ToolVersion.Current, version.GetString());
            Walk(name, "$", doc.RootElement);
        }

        using JsonDocument evalDoc = JsonDocument.Parse(eval.Out);
        Assert.Equal("reference", evalDoc.RootElement.GetProperty("timing").GetString());
        using JsonDocument configDoc = JsonDocument.Parse(outputs.Single(o => o.Name == "config.json").Json);
        Assert.Equal("reference", configDoc.RootElement.GetProperty("settings").GetProperty("quickTiming").GetString());
        Assert.Equal("quickValue", configDoc.RootElement.GetProperty("settings").GetProperty("stop").GetString());
    }

    [Fact]
    public void The_game_format_is_the_documented_exception_and_says_its_format()
    {
        var show = Run("games", "show", "tiny", "--json");
        Assert.True(show.Code == 0, show.Err);
        using JsonDocument doc = JsonDocument.Parse(show.Out);
        Assert.Equal("edgemarl.game/1", doc.RootElement.GetProperty("format").GetString());
    }

    private static void Walk(string name, string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty p in element.EnumerateObject())
                {
                    Assert.True(CamelCase().IsMatch(p.Name), $"{name}: key {path}.{p.Name} is not camelCase");
                    Walk(name, path + "." + p.Name, p.Value);
                }

                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Walk(name, $"{path}[{i++}]", item);
                }

                break;
            case JsonValueKind.String:
                Assert.False(s_enumNames.Contains(element.GetString()!), $"{name}: {path} = \"{element.GetString()}\" is a C# enum name, not the CLI's word");
                break;
        }
    }
}
