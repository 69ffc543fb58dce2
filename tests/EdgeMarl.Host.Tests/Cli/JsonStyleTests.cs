using System.Text.Json;
using EdgeMarl.Cli.Commands;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary>One JSON style: camelCase keys, enum values as the CLI's words, a tool version stamp.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class JsonStyleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("design")]
    [InlineData("reference")]
    public void Eval_json_is_camel_case_says_the_timing_as_the_option_does_and_names_the_tool(string timing)
    {
        string run = Path.Combine(_dir, timing);
        Assert.Equal(0, CliRunner.Run([TrainCommand.Create()], "train", "--game", "tiny", "--k", "2", "--out", run).Code);
        var eval = CliRunner.Run([EvalCommand.Create()], "eval", "--run", run, "--seeds", "2", "--rollouts", "3", "--horizon", "5", "--timing", timing, "--json");
        Assert.True(eval.Code == 0, eval.Err);

        using JsonDocument doc = JsonDocument.Parse(eval.Out);
        Assert.All(doc.RootElement.EnumerateObject(), p => Assert.True(char.IsLower(p.Name[0]), $"key '{p.Name}' is not camelCase"));
        Assert.Equal(timing, doc.RootElement.GetProperty("timing").GetString());
        Assert.StartsWith("edgemarl ", doc.RootElement.GetProperty("tool").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, doc.RootElement.GetProperty("horizon").GetInt32());
    }
}
