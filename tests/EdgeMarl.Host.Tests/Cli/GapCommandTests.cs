using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Tests.Equilibrium;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary><c>edgemarl gap</c> on a run folder: the exact report for a tiny game, documented exit codes otherwise.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class GapCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-gap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run([GapCommand.Create()], args);

    private string SaveTinyRun(Game game)
    {
        PolicyPairJson.Save(new TrainedPolicy(ExactNashGapTests.TinyPair(), game.Name, GameHash.Compute(game), new byte[32], game.AgentCount), Path.Combine(_dir, PolicyPairJson.FileName));
        return _dir;
    }

    [Fact]
    public void Tiny_run_gets_the_exact_gap_as_text_and_json()
    {
        Game game = TinyGame.Create();
        string run = SaveTinyRun(game);
        NashGapReport exact = ExactNashGap.Compute(game, ExactNashGapTests.TinyPair(), 2);

        var (code, text, err) = Run("gap", "--run", run);
        Assert.True(code == 0, err);
        Assert.Contains("method exact", text, StringComparison.Ordinal);
        Assert.Contains(exact.Epsilon.ToString("F6", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

        (code, text, err) = Run("gap", "--run", run, "--json");
        Assert.True(code == 0, err);
        using JsonDocument doc = JsonDocument.Parse(text);
        Assert.Equal(exact.Epsilon, doc.RootElement.GetProperty("epsilon").GetDouble(), 12);
        Assert.Equal(exact.GatewayGain, doc.RootElement.GetProperty("gatewayGain").GetDouble(), 12);
        Assert.Equal(exact.RobotGain, doc.RootElement.GetProperty("robotGain").GetDouble(), 12);
    }

    [Fact]
    public void Errors_are_one_line_with_their_exit_code()
    {
        var (code, _, err) = Run("gap", "--run", Path.Combine(_dir, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("policies.json", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        string run = SaveTinyRun(TinyGame.Create());
        (code, _, err) = Run("gap", "--run", run, "--game", "zones");
        Assert.Equal(3, code);
        Assert.Contains("not the game these policies were trained on", err, StringComparison.Ordinal);

        (code, _, err) = Run("gap", "--run", run, "--exact", "--estimate");
        Assert.Equal(1, code);
        Assert.Contains("exclude each other", err, StringComparison.Ordinal);
    }
}
