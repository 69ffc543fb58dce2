using System.Text.Json;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary>Issue 18 through the real CLI: a run whose lifted pair won exports a file the firmware fleet replays bit for bit at k.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class LiftedRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-lift-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TrainExportAndFleetCheckEquivalenceAgreeOnALiftedRun()
    {
        string game = Path.Combine(_dir, "game.json");
        File.WriteAllText(game, GameJson.Write(RandomGame.Create(18, 2, 3, 3, 2, n: 50, sharpness: 6)));
        string run = Path.Combine(_dir, "run");

        var train = CliRunner.Run([TrainCommand.Create()], "train", "--game", game, "--k", "6", "--out", run);
        Assert.True(train.Code == 0, train.Err + train.Out);
        using (JsonDocument record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "record.json"))))
        {
            // The default preset lifts from k − 1 = 5 on this game (LiftRule.Budgeted); the pair that wins was trained at 4 (the
            // k = 5 training's own lifted winner), so the file stores tables up to 4.
            Assert.Equal(5, record.RootElement.GetProperty("liftChoice").GetProperty("fromK").GetInt32());
            Assert.Equal(4, record.RootElement.GetProperty("liftedFrom").GetInt32());
        }

        var export = CliRunner.Run([ExportCommand.Create()], "export", "--run", run);
        Assert.True(export.Code == 0, export.Err + export.Out);
        Assert.Contains("lifted pair: trained for k = 6, no table above k' = 4", export.Out, StringComparison.Ordinal);

        var fleet = CliRunner.Run([FleetCommand.Create()], "fleet", "--policy", Path.Combine(run, "policy.empol"), "--game", game, "--k", "6", "--episodes", "2", "--ticks", "6", "--check-equivalence");
        Assert.True(fleet.Code == 0, fleet.Err + fleet.Out);
        Assert.Contains("equivalence: OK, 12 ticks", fleet.Out, StringComparison.Ordinal);
    }
}
