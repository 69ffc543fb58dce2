using System.CommandLine;
using System.Diagnostics;
using EdgeMarl.Cli;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Tests.Games;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary>
/// Inputs that once ended in a stack trace: each now gives one line on stderr and a documented exit code.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ErrorPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_on_a_fleet_too_large_for_the_evaluator_is_refused_by_validation_in_one_line()
    {
        // n = 2^31 − 1 passed `games validate` and then died with OutOfMemoryException in RobotLevelSimulator..ctor.
        string path = WriteGame("huge-n.json", GameTestCopies.With(ZonesGame.Create(), n: int.MaxValue));

        var validate = CliRunner.Run([GamesCommand.Create()], "games", "validate", path);
        Assert.Equal(1, validate.Code);
        Assert.Contains("n is 2147483647 (must be ≤ 10,000,000", validate.Out, StringComparison.Ordinal);

        var train = CliRunner.Run([TrainCommand.Create()], "train", "--game", path, "--k", "2", "--out", Path.Combine(_dir, "run"));
        Assert.Equal(PolicyCommandSupport.InvalidData, train.Code);
        AssertOneLine(train.Err, "must be ≤ 10,000,000");
    }

    [Fact]
    public void Train_on_rewards_that_overflow_is_refused_by_validation_in_one_line()
    {
        // r_g = 1e308 passed `games validate` and then died with IndexOutOfRangeException in InducedGlobalTransition.AddRow.
        Game zones = ZonesGame.Create();
        Game huge = GameTestCopies.Copy(zones);
        Array.Fill(huge.GlobalReward, 1e308);
        string path = WriteGame("huge-r.json", huge);

        Assert.Equal(1, CliRunner.Run([GamesCommand.Create()], "games", "validate", path).Code);
        var train = CliRunner.Run([TrainCommand.Create()], "train", "--game", path, "--k", "2", "--out", Path.Combine(_dir, "run"));
        Assert.Equal(PolicyCommandSupport.InvalidData, train.Code);
        AssertOneLine(train.Err, "|reward| must be ≤ 1e9");
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_with_exit_70_and_the_trace_only_with_verbose()
    {
        var root = new RootCommand("test");
        var boom = new Command("boom");
        boom.SetAction(int (_) => throw new IndexOutOfRangeException("Index was outside the bounds of the array."));
        root.Subcommands.Add(boom);

        var err = new StringWriter();
        int code = TopLevelErrors.Invoke(root, ["boom"], new StringWriter(), err);
        Assert.Equal(TopLevelErrors.Unexpected, code);
        AssertOneLine(err.ToString(), "edgemarl boom: unexpected error: IndexOutOfRangeException: Index was outside the bounds of the array.");

        var verbose = new StringWriter();
        Assert.Equal(TopLevelErrors.Unexpected, TopLevelErrors.Invoke(root, ["boom", "--verbose"], new StringWriter(), verbose));
        Assert.Contains("   at ", verbose.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_root_has_every_command_and_a_verbose_option()
    {
        RootCommand root = Program.CreateRoot();
        Assert.Contains(root.Subcommands, c => c.Name == "fleet");
        var output = new StringWriter();
        Assert.Equal(0, TopLevelErrors.Invoke(root, ["train", "--help"], output, new StringWriter()));
        Assert.Contains("--verbose", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, 1024L, true)]
    [InlineData(1000, 2048L, false)]
    [InlineData(961, 1024L, true)]
    [InlineData(960, 1024L, false)]
    [InlineData(1000, null, false)]
    public void The_udp_socket_budget_counts_one_file_per_robot_plus_a_reserve(int robots, long? limit, bool refused)
    {
        string? message = UdpSocketBudget.Check(robots, limit);
        Assert.Equal(refused, message is not null);
        if (message is not null)
        {
            Assert.Contains("ulimit -n", message, StringComparison.Ordinal);
            Assert.Contains("--transport memory", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Fleet_over_udp_with_1000_robots_under_ulimit_1024_fails_in_one_line()
    {
        // The real process under the real limit: this was a 20-line SocketException (Too many open files).
        if (!OperatingSystem.IsLinux() || !File.Exists("/bin/sh"))
        {
            return;
        }

        string cli = Path.Combine(AppContext.BaseDirectory, "edgemarl.dll");
        string policy = Path.Combine(_dir, "h.empol");
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"ulimit -n 1024 && exec dotnet \"{cli}\" fleet --heuristic --policy \"{policy}\" --transport udp --n 1000 --k 5 --episodes 1 --ticks 2 --out \"{_dir}\""])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(PolicyCommandSupport.Io, process.ExitCode);
        AssertOneLine(stderr, "raise it (ulimit -n 2048) or use --transport memory");
    }

    private static void AssertOneLine(string stderr, string expected)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines, l => !l.StartsWith("training ", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private string WriteGame(string name, Game game)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, GameJson.Write(game));
        return path;
    }
}
