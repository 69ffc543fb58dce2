using EdgeMarl.Cli.Commands;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary>
/// Typed fleets through the CLI, as an operator runs them (docs/heterogeneity.md §8): <c>train-typed</c> → <c>export</c> (format 5) →
/// <c>fleet --check-equivalence</c> with robots provisioned by type; a policy for another fleet is refused.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class TypedFleetCommandTests
{
    [Fact]
    public void Train_export_and_a_bit_exact_typed_fleet_run()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"typed-cli-{Guid.NewGuid():N}");
        try
        {
            string run = Path.Combine(dir, "run"), file = Path.Combine(dir, "typed.empol");
            var (code, output, err) = CliRunner.Run([TrainTypedCommand.Create()], "train-typed", "--game", "zones-mixed", "--h", "0.5", "--k", "3", "--n", "30", "--threads", "1", "--out", run);
            Assert.True(code == 0, err);
            Assert.Contains("T = 2", output, StringComparison.Ordinal);
            Assert.Contains("\"robotTypes\": 2", File.ReadAllText(Path.Combine(run, "policies.json")), StringComparison.Ordinal);

            (code, output, err) = CliRunner.Run([ExportCommand.Create()], "export", "--run", run, "--out", file);
            Assert.True(code == 0, err);
            Assert.Contains("format version 5", output, StringComparison.Ordinal);

            (code, output, err) = CliRunner.Run(
                [FleetCommand.Create()], "fleet", "--policy", file, "--game", "zones-mixed", "--h", "0.5", "--n", "30", "--episodes", "2", "--ticks", "10", "--check-equivalence", "--out", Path.Combine(dir, "fleet"));
            Assert.True(code == 0, err + output);
            Assert.Contains("15 fresh, 15 worn", output, StringComparison.Ordinal);
            Assert.Contains("equivalence: OK, 20 ticks equal bit for bit to the typed fleet simulator", output, StringComparison.Ordinal);

            // The same file against zones-mixed at another h is a policy for another fleet: refused at the game hash.
            (code, _, err) = CliRunner.Run([FleetCommand.Create()], "fleet", "--policy", file, "--game", "zones-mixed", "--h", "1", "--n", "30", "--episodes", "1", "--ticks", "2", "--out", Path.Combine(dir, "fleet2"));
            Assert.Equal(3, code);
            Assert.Contains("byte 36 (header game hash): the policy was trained for another fleet", err, StringComparison.Ordinal);

            // Robot types that are not the fleet's: one per robot, each below T.
            (code, _, err) = CliRunner.Run([FleetCommand.Create()], "fleet", "--policy", file, "--game", "zones-mixed", "--h", "0.5", "--n", "30", "--robot-types", "0,1,2", "--out", Path.Combine(dir, "fleet3"));
            Assert.Equal(1, code);
            Assert.Contains("--robot-types: need n = 30 types", err, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Train_typed_refuses_a_k_beyond_the_count_space_limit_before_any_work()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"typed-cli-refuse-{Guid.NewGuid():N}");
        var (code, _, err) = CliRunner.Run([TrainTypedCommand.Create()], "train-typed", "--h", "1", "--k", "12", "--out", dir);

        Assert.Equal(1, code);
        Assert.Contains("largest typed k for this game is 11", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}
