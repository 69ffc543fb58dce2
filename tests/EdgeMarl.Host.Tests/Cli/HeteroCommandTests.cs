using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Tests.Heterogeneity;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary><c>edgemarl hetero</c> (docs/heterogeneity.md): deterministic by seed, refuses infeasible typed k before any work.</summary>
[Collection(nameof(ConsoleCollection))]
public class HeteroCommandTests
{
    private static readonly string[] s_small =
        ["--k", "1,2,3", "--typed-k", "1", "--seeds", "1", "--n", "30", "--kprime", "4", "--typed-kprime", "2", "--horizon", "20", "--rollouts", "2"];

    [Fact]
    public void Typed_k_beyond_the_count_space_limit_is_refused_with_the_size_and_the_largest_k_before_any_work()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"hetero-refuse-{Guid.NewGuid():N}");
        var (code, _, err) = CliRunner.Run([HeteroCommand.Create()], "hetero", "--h", "1", "--k", "5", "--typed-k", "12", "--out", dir);
        Assert.Equal(1, code);
        Assert.Contains("C(21, 9) = 293,930 count vectors", err, StringComparison.Ordinal);
        Assert.Contains("largest typed k for this game is 11", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Same_seeds_give_the_same_numbers_and_every_file_is_written()
    {
        string a = Path.Combine(Path.GetTempPath(), $"hetero-a-{Guid.NewGuid():N}"), b = Path.Combine(Path.GetTempPath(), $"hetero-b-{Guid.NewGuid():N}");
        try
        {
            Assert.Equal(0, CliRunner.Run([HeteroCommand.Create()], ["hetero", "--h", "0.5", .. s_small, "--out", a]).Code);
            Assert.Equal(0, CliRunner.Run([HeteroCommand.Create()], ["hetero", "--h", "0.5", .. s_small, "--out", b]).Code);
            Assert.Equal(WithoutTimes(Path.Combine(a, "hetero.csv")), WithoutTimes(Path.Combine(b, "hetero.csv")));
            Assert.Equal(5, WithoutTimes(Path.Combine(a, "hetero.csv")).Length); // header, blind k = 1, 2, 3, typed k = 1
            foreach (string file in new[] { "summary.txt", "gap_vs_k.png", "return_vs_k.png", "slope_vs_h.png" })
            {
                Assert.True(File.Exists(Path.Combine(a, file)), file);
            }
        }
        finally
        {
            foreach (string d in new[] { a, b })
            {
                if (Directory.Exists(d))
                {
                    Directory.Delete(d, recursive: true);
                }
            }
        }
    }

    [Fact]
    public void A_typed_game_file_runs_both_methods()
    {
        string file = Path.Combine(Path.GetTempPath(), $"typed-{Guid.NewGuid():N}.json");
        string dir = Path.Combine(Path.GetTempPath(), $"hetero-file-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(file, GameJson.Write(TinyTypedGames.Create(2, 12)));
            var (code, output, err) = CliRunner.Run([HeteroCommand.Create()], "hetero", "--game", file, "--k", "1,2", "--typed-k", "1,2", "--seeds", "1", "--horizon", "20", "--rollouts", "2", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("h = -, blind", output, StringComparison.Ordinal);
            Assert.Contains("h = -, typed", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Exact_mode_runs_on_tiny_mixed_and_is_refused_where_the_expanded_game_is_not_the_fleet()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"hetero-exact-{Guid.NewGuid():N}");
        try
        {
            var (code, output, err) = CliRunner.Run([HeteroCommand.Create()], "hetero", "--game", "tiny-mixed", "--exact", "--h", "1", "--k", "2", "--typed-k", "2", "--seeds", "1", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("exact gap and infinite-horizon J", output, StringComparison.Ordinal);
            Assert.Contains("exact BR_g full obs", File.ReadAllText(Path.Combine(dir, "hetero.csv")), StringComparison.Ordinal);

            var refused = CliRunner.Run([HeteroCommand.Create()], "hetero", "--exact", "--h", "1", "--k", "2", "--typed-k", "2", "--out", dir + "-z");
            Assert.Equal(1, refused.Code);
            Assert.Contains("--exact:", refused.Err, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dir + "-z"));
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
    public void Games_validate_accepts_a_typed_file_and_names_a_bad_share_by_json_path()
    {
        string file = Path.Combine(Path.GetTempPath(), $"typed-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, GameJson.Write(ZonesMixedGame.Create(0.5)));
            var ok = CliRunner.Run([GamesCommand.Create()], "games", "validate", file);
            Assert.Equal(0, ok.Code);
            Assert.Contains("2 robot types (fresh 0.5, worn 0.5)", ok.Out, StringComparison.Ordinal);

            File.WriteAllText(file, GameJson.Write(ZonesMixedGame.Create(0.5)).Replace("\"share\": 0.5,", "\"share\": -0.5,", StringComparison.Ordinal));
            var bad = CliRunner.Run([GamesCommand.Create()], "games", "validate", file);
            Assert.Equal(GamesCommand.ExitInvalid, bad.Code);
            Assert.Contains("[$.types[0].share]", bad.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The CSV without its wall-clock columns (train_s, gap_s).</summary>
    private static string[] WithoutTimes(string csv)
    {
        string[] lines = File.ReadAllLines(csv);
        string[] header = lines[0].Split(',');
        int train = Array.IndexOf(header, "train_s"), gap = Array.IndexOf(header, "gap_s");
        return [.. lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != train && i != gap)))];
    }
}
