using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Tests.Cli;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Tests.Simulation;

[Collection(nameof(ConsoleCollection))]
public class JsonLinesSimulatorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void ExampleZonesSimulatorAnswersExactlyAsTheBuiltInTables()
    {
        using var process = JsonLinesSimulatorProcess.Start(PythonSimulators.ZonesCommand(), Timeout, maxBatch: 1000); // several lines per call
        using var table = new TableGameSimulator(ZonesGame.Create());
        Assert.Equal(table.Info with { InitialGlobal = [], InitialLocal = [], InitialLocalDirichlet = null }, process.Info with { InitialGlobal = [], InitialLocal = [], InitialLocalDirichlet = null });
        Assert.Equal(table.Info.InitialLocal, process.Info.InitialLocal);
        Assert.Equal(table.Info.InitialLocalDirichlet, process.Info.InitialLocalDirichlet); // the benchmark's α, for evaluation

        const int n = 5000;
        var rng = new Pcg32(7);
        int[] sl = new int[n], sg = new int[n], al = new int[n], ag = new int[n];
        uint[] u = new uint[n];
        for (int i = 0; i < n; i++)
        {
            (sl[i], sg[i], al[i], ag[i], u[i]) = ((int)rng.NextBelow(5), (int)rng.NextBelow(5), (int)rng.NextBelow(3), (int)rng.NextBelow(5), rng.NextUInt32());
        }

        u[0] = 0;
        u[1] = uint.MaxValue; // both ends of the inversion
        int[] next1 = new int[n], next2 = new int[n];
        double[] reward1 = new double[n], reward2 = new double[n];
        table.StepLocal(sl, sg, al, u, next1, reward1);
        process.StepLocal(sl, sg, al, u, next2, reward2);
        Assert.Equal(next1, next2);
        Assert.Equal(reward1, reward2);
        table.StepGlobal(sg, ag, u, next1, reward1);
        process.StepGlobal(sg, ag, u, next2, reward2);
        Assert.Equal(next1, next2);
        Assert.Equal(reward1, reward2);
    }

    [Fact]
    public void CrashNamesTheCallAndTheExit()
    {
        using var simulator = JsonLinesSimulatorProcess.Start(PythonSimulators.AfterHello("sys.stderr.write('boom: model diverged\\n'); sys.exit(3)"), Timeout);
        var e = Assert.Throws<SimulatorException>(() => StepOne(simulator));
        Assert.Contains("step_local", e.Message);
        Assert.Contains("exited (code 3)", e.Message);
        Assert.Contains("boom: model diverged", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void HangTimesOut()
    {
        using var simulator = JsonLinesSimulatorProcess.Start(PythonSimulators.AfterHello("time.sleep(60)"), TimeSpan.FromSeconds(0.5));
        var e = Assert.Throws<SimulatorException>(() => StepOne(simulator));
        Assert.Contains("step_local", e.Message);
        Assert.Contains("timeout", e.Message);
    }

    [Theory]
    [InlineData("print(json.dumps({'type':'result','id':msg['id'],'next':[7],'reward':[1.0]}), flush=True)", "next[0] = 7 is out of range [0, 5)")]
    [InlineData("print(json.dumps({'type':'result','id':msg['id'],'next':[1],'reward':['x']}), flush=True)", "reward[0] is not a number")]
    [InlineData("print(json.dumps({'type':'result','id':msg['id'],'next':[1,2],'reward':[1.0,2.0]}), flush=True)", "has more than 1 entries")]
    [InlineData("print(json.dumps({'type':'result','id':msg['id']+1,'next':[1],'reward':[1.0]}), flush=True)", "does not match request id")]
    [InlineData("print('this is not json', flush=True)", "malformed answer")]
    [InlineData("print(json.dumps({'type':'error','id':msg['id'],'message':'state 9 unknown'}), flush=True)", "the simulator reported an error: state 9 unknown")]
    public void BadAnswersNameTheCallAndTheOutput(string answer, string expected)
    {
        using var simulator = JsonLinesSimulatorProcess.Start(PythonSimulators.AfterHello(answer), Timeout);
        var e = Assert.Throws<SimulatorException>(() => StepOne(simulator));
        Assert.Contains("step_local (request id 1)", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void WrongProtocolVersionIsRefusedAtHello()
    {
        string command = PythonSimulators.Script("import sys\nsys.stdin.readline()\nprint('{\"type\":\"hello\",\"protocol\":2}', flush=True)\nsys.stdin.readline()\n");
        var e = Assert.Throws<SimulatorException>(() => JsonLinesSimulatorProcess.Start(command, Timeout));
        Assert.Contains("hello", e.Message);
        Assert.Contains("protocol version 2 is not supported", e.Message);
    }

    [Fact]
    public void TrainWithACrashingSimulatorFailsInOneLineAndWritesNoRunFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "edgemarl-simfail-" + Guid.NewGuid().ToString("N"));
        string command = PythonSimulators.AfterHello("sys.exit(5)");
        (int code, _, string err) = CliRunner.Run([TrainCommand.Create()], "train", "--game", "zones", "--k", "2", "--simulator", command, "--samples", "2", "--out", folder);

        Assert.Equal(2, code);
        Assert.Contains("edgemarl train: simulator", err);
        Assert.Contains("exited (code 5)", err);
        Assert.False(File.Exists(Path.Combine(folder, "record.json")), "a failed run must not leave a record.json");
        Assert.False(File.Exists(Path.Combine(folder, "policies.json")), "a failed run must not leave a policies.json");
    }

    [Fact]
    public void TrainWithQLearningWritesTheSamplesAndSettingsIntoTheRecord()
    {
        string folder = Path.Combine(Path.GetTempPath(), "edgemarl-qlearning-" + Guid.NewGuid().ToString("N"));
        (int code, _, string err) = CliRunner.Run([TrainCommand.Create()], "train", "--game", "tiny", "--k", "2", "--learner", "qlearning", "--samples", "5", "--l-samples", "20", "--out", folder);

        Assert.True(code == 0, err);
        string record = File.ReadAllText(Path.Combine(folder, "record.json"));
        Assert.Contains("\"gSamplesPerPair\": 5", record);
        Assert.Contains("\"localSamples\":", record);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void ExplorationIsASettingOfTheRunAndChangesItsHash()
    {
        string greedy = Path.Combine(Path.GetTempPath(), "edgemarl-eps-" + Guid.NewGuid().ToString("N"));
        string generative = greedy + "-gen";
        var a = CliRunner.Run([TrainCommand.Create()], "train", "--game", "tiny", "--k", "2", "--learner", "qlearning", "--exploration", "epsilon-greedy", "--samples", "5", "--l-samples", "20", "--out", greedy);
        var b = CliRunner.Run([TrainCommand.Create()], "train", "--game", "tiny", "--k", "2", "--learner", "qlearning", "--samples", "5", "--l-samples", "20", "--out", generative);
        Assert.True(a.Code == 0, a.Err);
        Assert.True(b.Code == 0, b.Err);
        string config = File.ReadAllText(Path.Combine(greedy, "config.json"));
        Assert.Contains("\"exploration\": \"epsilonGreedy\"", config, StringComparison.Ordinal);
        Assert.NotEqual(
            System.Text.Json.JsonDocument.Parse(config).RootElement.GetProperty("configHash").GetString(),
            System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(generative, "config.json"))).RootElement.GetProperty("configHash").GetString());
        Directory.Delete(greedy, recursive: true);
        Directory.Delete(generative, recursive: true);
    }

    [Fact]
    public void SamplesWithoutTheQLearningLearnerIsRefused()
    {
        (int code, _, string err) = CliRunner.Run([TrainCommand.Create()], "train", "--game", "tiny", "--k", "2", "--samples", "5", "--out", Path.GetTempPath());
        Assert.Equal(3, code);
        Assert.Contains("--samples, --l-samples, --lr-exponent and --exploration need --learner qlearning", err);
    }

    private static void StepOne(IGameSimulator simulator) =>
        simulator.StepLocal([0], [0], [0], [123u], new int[1], new double[1]);
}
