using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Tests.Games;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary>A run folder carries its game and training curve: eval and gap need nothing outside it.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class RunFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) =>
        CliRunner.Run([TrainCommand.Create(), EvalCommand.Create(), GapCommand.Create(), ExportCommand.Create()], args);

    [Fact]
    public void A_json_game_trained_elsewhere_evaluates_from_the_run_folder_alone()
    {
        // Before: eval --run said "'charging' is neither a built-in game … nor an existing JSON game file" (exit 2).
        string gameFile = Path.Combine(_dir, "charging.json");
        File.WriteAllText(gameFile, GameJson.Write(GameTestCopies.With(TinyGame.Create(), name: "charging")));
        string run = Path.Combine(_dir, "run");
        var train = Run("train", "--game", gameFile, "--k", "2", "--out", run);
        Assert.True(train.Code == 0, train.Err);
        File.Delete(gameFile);

        Assert.True(File.Exists(Path.Combine(run, TrainingRunFolder.GameFileName)));
        var eval = Run("eval", "--run", run, "--seeds", "2", "--rollouts", "3", "--horizon", "5");
        Assert.True(eval.Code == 0, eval.Err);
        var gap = Run("gap", "--run", run, "--exact");
        Assert.True(gap.Code == 0, gap.Err);
        Assert.Equal(0, Run("export", "--run", run).Code);
    }

    [Fact]
    public void Another_initial_distribution_is_accepted_but_other_rewards_are_not()
    {
        string run = Path.Combine(_dir, "tiny");
        Assert.Equal(0, Run("train", "--game", "tiny", "--k", "2", "--out", run).Code);
        Game tiny = TinyGame.Create();

        string otherStart = Path.Combine(_dir, "start.json");
        double[] initial = new double[tiny.GlobalStates];
        initial[^1] = 1;
        if (initial.AsSpan().SequenceEqual(tiny.InitialGlobal))
        {
            initial = [.. Enumerable.Repeat(1.0 / tiny.GlobalStates, tiny.GlobalStates)];
        }
        File.WriteAllText(otherStart, GameJson.Write(GameTestCopies.With(tiny, initialGlobal: initial)));
        Assert.False(GameHash.Compute(GameJson.Load(otherStart)).AsSpan().SequenceEqual(GameHash.Compute(tiny)), "the start must change the full hash");
        var eval = Run("eval", "--run", run, "--game", otherStart, "--seeds", "2", "--rollouts", "3", "--horizon", "5");
        Assert.True(eval.Code == 0, eval.Err);

        string otherReward = Path.Combine(_dir, "reward.json");
        Game changed = GameTestCopies.Copy(tiny);
        changed.LocalReward[0] += 1;
        File.WriteAllText(otherReward, GameJson.Write(changed));
        var refused = Run("eval", "--run", run, "--game", otherReward);
        Assert.Equal(3, refused.Code);
        Assert.Contains("transitions or rewards differ", refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Rounds_csv_has_one_row_per_recorded_round()
    {
        string run = Path.Combine(_dir, "curve");
        Assert.Equal(0, Run("train", "--game", "tiny", "--k", "2", "--out", run).Code);
        string[] lines = File.ReadAllLines(Path.Combine(run, RoundsCsv.FileName));
        Assert.Equal(RoundsCsv.Header, lines[0]);
        using var record = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, TrainingRunFolder.RecordFileName)));
        var rounds = record.RootElement.GetProperty("rounds");
        Assert.Equal(rounds.GetArrayLength(), lines.Length - 1);
        Assert.Equal(rounds[0].GetProperty("quickValue").GetDouble(), double.Parse(lines[1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Gap_and_eval_give_the_same_exit_code_for_an_unknown_game()
    {
        string run = Path.Combine(_dir, "tiny2");
        Assert.Equal(0, Run("train", "--game", "tiny", "--k", "2", "--out", run).Code);
        Assert.Equal(2, Run("eval", "--run", run, "--game", "nosuchgame").Code);
        Assert.Equal(2, Run("gap", "--run", run, "--game", "nosuchgame").Code);
    }
}
