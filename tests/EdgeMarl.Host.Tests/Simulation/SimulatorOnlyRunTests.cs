using System.Text.Json;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Tests.Cli;

namespace EdgeMarl.Host.Tests.Simulation;

/// <summary>
/// A user with a simulator and no tables (docs/model-free.md "Simulator-only runs"): <c>train --simulator CMD</c> without
/// <c>--game</c>, then <c>eval --run DIR</c>, which restarts the simulator that <c>simulator.json</c> records.
/// </summary>
public sealed class SimulatorOnlyRunTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgemarl-simonly-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void TrainAndEvalThroughTheSimulatorAloneGiveTheTableGamesNumbers()
    {
        string command = PythonSimulators.ZonesCommand() + " --robots 30";
        string run = Path.Combine(_dir, "run");
        (int code, _, string err) = CliRunner.Run(
            [TrainCommand.Create()],
            "train", "--k", "1", "--simulator", command, "--samples", "3", "--l-samples", "10", "--set", "modelFree.meanFieldSteps=40", "--set", "modelFree.meanFieldBurnIn=5",
            "--set", "maxRounds=2", "--set", "quickRollouts=4", "--set", "quickHorizon=10", "--out", run);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(run, SimulatorRunFile.FileName)));
        Assert.False(File.Exists(Path.Combine(run, TrainingRunFolder.GameFileName)), "a simulator-only run has no tables to write");

        (code, string output, err) = CliRunner.Run([EvalCommand.Create()], "eval", "--run", run, "--seeds", "2", "--rollouts", "3", "--horizon", "10", "--json");
        Assert.True(code == 0, err);
        double mean = JsonDocument.Parse(output).RootElement.GetProperty("mean").GetDouble();

        // The same pair on the built-in zones tables (n = 30), through the same rollouts: the Python simulator answers as the tables.
        PolicyPair pair = TrainingRunFolder.ReadPolicies(run).Pair;
        Game zones = BuiltInGames.Create("zones").WithAgentCount(30);
        double expected = new GenerativeModelEvaluator(new TableGameSimulator(zones)).Evaluate(zones, pair, new EvaluationSettings(1, 10, 3, 2, 0)).Mean;
        Assert.Equal(expected, mean);

        // gap needs the tables: one clear line, not a wrong game.
        (code, _, err) = CliRunner.Run([GapCommand.Create()], "gap", "--run", run);
        Assert.Equal(3, code);
        Assert.Contains("trained from a simulator only", err);
    }

    [Fact]
    public void EvalNamesARecordedSimulatorThatNoLongerStarts()
    {
        string run = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(run);
        Game zones = BuiltInGames.Create("zones");
        PolicyPair pair = EdgeMarl.Host.Tests.Evaluation.GenerativeModelEvaluatorTests.RandomPair(zones, 1, seed: 4);
        PolicyPairJson.Save(new TrainedPolicy(pair, "zones", GameHash.Compute(SimulatorShapeGame.From(new TableGameSimulator(zones).Info)), new byte[32], zones.AgentCount), Path.Combine(run, PolicyPairJson.FileName));
        string missing = PythonSimulators.Python() + " " + Path.Combine(_dir, "gone.py");
        new SimulatorRunFile(missing, _dir, 30, new TableGameSimulator(zones).Info).Write(run);

        (int code, _, string err) = CliRunner.Run([EvalCommand.Create()], "eval", "--run", run, "--seeds", "1", "--rollouts", "1", "--horizon", "1");

        Assert.Equal(2, code);
        Assert.Contains("could not restart the simulator recorded in", err);
        Assert.Contains("--simulator-command", err);
    }
}
