using System.Text;
using System.Text.Json.Nodes;
using EdgeMarl.Host.Games;
using static EdgeMarl.Host.Tests.Games.GameTestCopies;

namespace EdgeMarl.Host.Tests.Games;

public class GameJsonTests
{
    [Theory]
    [InlineData("zones")]
    [InlineData("tiny")]
    public void Writing_then_reading_gives_identical_tables(string name)
    {
        var game = BuiltInGames.Create(name);
        string json = GameJson.Write(game);
        AssertIdentical(game, GameJson.Parse(json));
        Assert.Equal(json, GameJson.Write(GameJson.Parse(json)));
    }

    [Fact]
    public void Awkward_doubles_survive_the_round_trip_bit_for_bit()
    {
        var tiny = TinyGame.Create();
        var game = With(
            tiny,
            pG: [1.0 / 3.0, 2.0 / 3.0, 0.1 + 0.2, 1 - (0.1 + 0.2), 5e-324, 1 - 5e-324, 0.7, 0.30000000000000004],
            // Rewards at the validator's bound |r| <= 1e9 (docs/game-spec.md "Limits"): the bound itself and the double just below it.
            rL: [-0.0, double.Epsilon, GameValidator.MaxRewardMagnitude, -Math.BitDecrement(GameValidator.MaxRewardMagnitude), 1e-300, 0.1 + 0.2, Math.PI, -1.0 / 7.0],
            gamma: 0.95 - 1e-17);
        Assert.Empty(GameValidator.Validate(game));
        AssertIdentical(game, GameJson.Parse(GameJson.Write(game)));
    }

    [Fact]
    public void Files_round_trip_and_load_errors_name_the_file()
    {
        string dir = Directory.CreateTempSubdirectory("edgemarl-games-").FullName;
        try
        {
            string path = Path.Combine(dir, "tiny.json");
            GameJson.WriteFile(TinyGame.Create(), path);
            AssertIdentical(TinyGame.Create(), GameJson.Load(path));
            using (var stream = File.OpenRead(path))
            {
                AssertIdentical(TinyGame.Create(), GameJson.Load(stream, path));
            }

            string bad = Path.Combine(dir, "bad.json");
            File.WriteAllText(bad, File.ReadAllText(path).Replace("\"gamma\": 0.9", "\"gamma\": 0.9e9", StringComparison.Ordinal));
            var ex = Assert.Throws<GameValidationException>(() => GameJson.Load(bad));
            Assert.Equal(bad, ex.Source);
            Assert.Contains(bad, ex.Message, StringComparison.Ordinal);
            Assert.Equal("$.gamma", Assert.Single(ex.Errors).JsonPath);

            var missing = Assert.Throws<GameSourceException>(() => GameJson.Load(Path.Combine(dir, "none.json")));
            Assert.Contains("none.json", missing.Message, StringComparison.Ordinal);
            Assert.Throws<GameSourceException>(() => GameJson.Load(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_byte_order_mark_and_comments_are_accepted()
    {
        string json = GameJson.Write(TinyGame.Create()).Replace("\"n\": 4,", "\"n\": 4, // four robots", StringComparison.Ordinal);
        byte[] bytes = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)];
        AssertIdentical(TinyGame.Create(), GameJson.Load(new MemoryStream(bytes), "bom.json"));
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        var errors = Errors(Edit(j => j.AsObject().Remove("gamma")));
        Assert.Equal(new GameError("$.gamma", "is missing (must be a number)"), Assert.Single(errors));
    }

    [Fact]
    public void An_unknown_format_version_stops_reading_with_one_error()
    {
        var error = Assert.Single(Errors(Edit(j => j["format"] = "edgemarl.game/3")));
        Assert.Equal("$.format", error.Path);
        Assert.Equal("is \"edgemarl.game/3\" (unknown format version; this reader knows \"edgemarl.game/1\" and \"edgemarl.game/2\")", error.Message);
        Assert.Equal("$.format", Assert.Single(Errors(Edit(j => j.AsObject().Remove("format")))).Path);
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_named_by_its_json_path()
    {
        var errors = Errors(Edit(j => j["P_l"]![1]![0]![1]!.AsArray().RemoveAt(0), "zones"));
        Assert.Equal(new GameError("$.P_l[1][0][1]", "has 4 entries (must be |S_l| = 5, one per s_l')"), Assert.Single(errors));
    }

    [Fact]
    public void A_wrong_type_is_named_with_what_was_found()
    {
        var errors = Errors(Edit(j =>
        {
            j["r_g"]![0]![1] = "NaN";
            j["r_l"]![1]![0]![1] = "12";
            j["P_g"]![1] = true;
            j["n"] = 4.5;
            j["sizes"]!["A_l"] = "2";
        }));
        Assert.Equal(
            [
                "$.sizes.A_l is the string \"2\" (must be an integer)",
                "$.n is 4.5 (must be an integer between -2147483648 and 2147483647, without fraction or exponent)",
            ],
            errors.Select(e => e.ToString()));

        errors = Errors(Edit(j =>
        {
            j["r_g"]![0]![1] = "NaN";
            j["r_l"]![1]![0]![1] = "12";
            j["P_g"]![1] = true;
        }));
        Assert.Equal(
            [
                "$.P_g[1] is true (must be an array of |A_g| = 2 arrays, one per a_g)",
                "$.r_g[0][1] is the string \"NaN\" (must be a finite number; JSON has no NaN or infinity)",
                "$.r_l[1][0][1] is the string \"12\" (must be a number, not a string)",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_number_too_large_for_a_double_is_not_finite()
    {
        string json = GameJson.Write(TinyGame.Create()).Replace("[0.3, 0.1]", "[0.3, 1e400]", StringComparison.Ordinal);
        var error = Assert.Single(Errors(json));
        Assert.Equal("$.r_g[1][1]", error.Path);
        Assert.StartsWith("is 1e400 (must be a finite number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_and_repeated_fields_are_errors()
    {
        string json = GameJson.Write(TinyGame.Create()).Replace("\"n\": 4,", "\"n\": 4, \"gama\": 0.9, \"n\": 4,", StringComparison.Ordinal);
        var errors = Errors(json);
        Assert.Equal(["$.gama", "$.n"], errors.Select(e => e.Path));
        Assert.StartsWith("is not a field of edgemarl.game/1 here (expected: format, name,", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("appears more than once", errors[1].Message);
    }

    [Fact]
    public void Syntax_errors_give_a_one_based_line_and_byte()
    {
        var error = Assert.Single(Errors("{\n  \"format\": \"edgemarl.game/1\",\n  \"name\": tiny\n}"));
        Assert.Equal("$", error.Path);
        Assert.StartsWith("is not valid JSON at line 3, byte ", error.Message, StringComparison.Ordinal);
        Assert.Equal("$ is an array (must be an object with \"format\": \"edgemarl.game/1\")", Assert.Single(Errors("[1, 2]")).ToString());
    }

    [Fact]
    public void Validator_errors_in_a_loaded_file_carry_the_json_path()
    {
        var errors = Errors(Edit(j => j["P_l"]![1]![0]![1]![0] = 0.5));
        var error = Assert.Single(errors);
        Assert.Equal("P_l[s_l=1, s_g=0, a_l=1, :] sums to 0.6 (must be 1 within 1e-9) [$.P_l[1][0][1]]", error.ToString());
    }

    [Fact]
    public void Wrong_sizes_report_at_most_a_screenful_per_table()
    {
        // |S_l| = 4 instead of 5 makes every one of P_l's 75 rows and more the wrong length.
        var errors = Errors(Edit(j => j["sizes"]!["S_l"] = 4, "zones"));
        var pL = errors.Where(e => e.Path.StartsWith("$.P_l", StringComparison.Ordinal)).ToList();
        Assert.Equal(GameJsonReaderLimit + 1, pL.Count);
        Assert.Equal("$.P_l", pL[^1].Path);
        Assert.StartsWith("has ", pL[^1].Message, StringComparison.Ordinal);
        Assert.Equal("$.P_l has 5 entries (must be |S_l| = 4, one per s_l)", pL[0].ToString());
    }

    [Fact]
    public void Absent_sizes_skip_the_tables_but_still_report_missing_ones()
    {
        var errors = Errors(Edit(j =>
        {
            j.AsObject().Remove("sizes");
            j.AsObject().Remove("r_l");
        }));
        Assert.Equal(["$.sizes", "$.r_l"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Optional_fields_may_be_left_out()
    {
        var game = GameJson.Parse(Edit(j =>
        {
            j.AsObject().Remove("labels");
            j.AsObject().Remove("description");
        }));
        Assert.Null(game.Labels);
        Assert.Null(game.Description);

        game = GameJson.Parse(Edit(j => j["labels"]!.AsObject().Remove("a_g")));
        Assert.Null(game.Labels!.GlobalActions);
        Assert.Equal(["calm", "rush"], game.Labels.GlobalStates);
    }

    private static int GameJsonReaderLimit => 20;

    private static string Edit(Action<JsonNode> edit, string name = "tiny")
    {
        var node = JsonNode.Parse(GameJson.Write(BuiltInGames.Create(name)))!;
        edit(node);
        return node.ToJsonString();
    }

    private static IReadOnlyList<GameError> Errors(string json)
    {
        var result = GameJson.Read(json, "test.json");
        Assert.False(result.IsValid);
        Assert.Null(result.Game);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }
}
