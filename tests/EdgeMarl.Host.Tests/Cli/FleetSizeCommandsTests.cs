using System.Text.Json;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary><c>--n</c>: train for the fleet one has, the n stamped in policies.json and the policy file, eval reads it back, fleet warns.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FleetSizeCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-n-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) =>
        CliRunner.Run([TrainCommand.Create(), EvalCommand.Create(), ExportCommand.Create(), GapCommand.Create(), FleetCommand.Create()], args);

    [Fact]
    public void Train_with_n_stamps_it_in_the_policy_file_and_eval_and_gap_use_it()
    {
        string run = Path.Combine(_dir, "tiny-n12");
        var train = Run("train", "--game", "tiny", "--k", "2", "--n", "12", "--preset", "reference", "--out", run);
        Assert.True(train.Code == 0, train.Err);
        Assert.Equal(12, PolicyPairJson.Load(Path.Combine(run, "policies.json")).AgentCount);

        Assert.Equal(0, Run("export", "--run", run).Code);
        byte[] file = File.ReadAllBytes(Path.Combine(run, "policy.empol"));
        Assert.True(PolicyTable.TryOpen(file, 0, file.Length, null, out PolicyTable table, out _));
        Assert.Equal(12, table.AgentCount);

        // eval finds the game for the trained n (its table hash includes n), and --n evaluates on another fleet size.
        var eval = Run("eval", "--run", run, "--seeds", "2", "--rollouts", "3", "--horizon", "5", "--json");
        Assert.True(eval.Code == 0, eval.Err);
        var other = Run("eval", "--run", run, "--n", "40", "--seeds", "2", "--rollouts", "3", "--horizon", "5", "--json");
        Assert.True(other.Code == 0, other.Err);
        Assert.NotEqual(JsonDocument.Parse(eval.Out).RootElement.GetProperty("perSeedMeans").ToString(), JsonDocument.Parse(other.Out).RootElement.GetProperty("perSeedMeans").ToString());

        var gap = Run("gap", "--run", run, "--estimate", "--seeds", "11", "--rollouts", "2", "--horizon", "5", "--kprime", "3", "--json");
        Assert.True(gap.Code == 0, gap.Err);
        Assert.Equal(12, JsonDocument.Parse(gap.Out).RootElement.GetProperty("agentCount").GetInt32());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void A_fleet_size_below_one_is_one_line_naming_the_option(string n)
    {
        var train = Run("train", "--game", "tiny", "--k", "1", "--n", n, "--out", Path.Combine(_dir, "bad"));
        Assert.NotEqual(0, train.Code);
        Assert.Contains("--n", train.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", train.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Fleet_warns_when_the_live_fleet_is_more_than_twice_or_less_than_half_the_trained_n()
    {
        string policy = Path.Combine(_dir, "h.empol");
        Assert.Equal(0, Run("fleet", "--policy", policy, "--heuristic", "--k", "3", "--n", "20", "--episodes", "1", "--ticks", "2", "--out", Path.Combine(_dir, "o1")).Code);

        var near = Run("fleet", "--policy", policy, "--k", "3", "--n", "40", "--episodes", "1", "--ticks", "2", "--out", Path.Combine(_dir, "o2"));
        Assert.True(near.Code == 0, near.Err);
        Assert.DoesNotContain("fleet size", near.Err, StringComparison.Ordinal);

        var far = Run("fleet", "--policy", policy, "--k", "3", "--n", "41", "--episodes", "1", "--ticks", "2", "--out", Path.Combine(_dir, "o3"));
        Assert.True(far.Code == 0, far.Err);
        Assert.Contains("policy trained for n = 20 robots, live fleet has 41", far.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, 50, false)]
    [InlineData(100, 49, true)]
    [InlineData(100, 200, false)]
    [InlineData(100, 201, true)]
    [InlineData(0, 5, false)]
    [InlineData(1_000_000_000, 1, true)]
    public void Fleet_size_check_tolerates_a_factor_of_two(int trained, int live, bool warns) =>
        Assert.Equal(warns, FleetSizeCheck.Differs(trained, live));
}
