using System.Text.Json.Nodes;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Tests.Heterogeneity;

/// <summary>The JSON game format with robot types (docs/game-spec.md, <c>edgemarl.game/2</c>).</summary>
public class TypedGameJsonTests
{
    [Fact]
    public void A_typed_game_round_trips_bit_for_bit_and_keeps_its_hash()
    {
        TypedGame game = ZonesMixedGame.Create(0.5);
        string text = GameJson.Write(game);
        Assert.Contains("\"format\": \"edgemarl.game/2\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  \"P_l\"", text, StringComparison.Ordinal);
        TypedGame back = GameJson.ParseTyped(text);
        Assert.Equal(2, back.TypeCount);
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(game.Types[t].Name, back.Types[t].Name);
            Assert.Equal(game.Types[t].Share, back.Types[t].Share);
            Assert.Equal(game.Types[t].LocalTransition, back.Types[t].LocalTransition);
            Assert.Equal(game.Types[t].LocalReward, back.Types[t].LocalReward);
        }

        Assert.Equal(TypedGameHash.Compute(game), TypedGameHash.Compute(back));
        Assert.Equal(text, GameJson.Write(back));
    }

    [Fact]
    public void Format_1_files_load_unchanged_and_a_format_2_file_without_types_is_the_same_game()
    {
        Game zones = ZonesGame.Create();
        string v1 = GameJson.Write(zones);
        Assert.Contains("\"format\": \"edgemarl.game/1\"", v1, StringComparison.Ordinal);
        Assert.Equal(GameHash.Compute(zones), GameHash.Compute(GameJson.Parse(v1)));
        Game v2 = GameJson.Parse(v1.Replace("edgemarl.game/1", "edgemarl.game/2", StringComparison.Ordinal));
        Assert.Equal(GameHash.Compute(zones), GameHash.Compute(v2));

        // A homogeneous game read as a typed one is one type of share 1 with the very same hash.
        TypedGame wrapped = GameJson.ParseTyped(v1);
        Assert.Equal(1, wrapped.TypeCount);
        Assert.Equal(GameHash.Compute(zones), TypedGameHash.Compute(wrapped));
    }

    [Fact]
    public void Typed_hashes_differ_when_a_share_or_a_types_table_differs()
    {
        byte[] h = TypedGameHash.Compute(ZonesMixedGame.Create(0.5));
        Assert.NotEqual(h, TypedGameHash.Compute(ZonesMixedGame.Create(0.5000001)));
        TypedGame g = ZonesMixedGame.Create(0.5);
        var swapped = new TypedGame(g.Template, [g.Types[0] with { Share = 0.25 }, g.Types[1] with { Share = 0.75 }]);
        Assert.NotEqual(h, TypedGameHash.Compute(swapped));
    }

    [Fact]
    public void Shares_that_do_not_sum_to_1_are_named_with_their_sum()
    {
        string text = GameJson.Write(ZonesMixedGame.Create(0.5)).Replace("\"share\": 0.5,\n", "\"share\": 0.4,\n", StringComparison.Ordinal);
        var result = GameJson.Read(text);
        Assert.Null(result.Typed);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.types", error.JsonPath);
        Assert.Contains("sum to 0.8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_row_or_shape_in_one_type_is_reported_at_that_types_json_path()
    {
        TypedGame g = ZonesMixedGame.Create(1);
        double[] bad = (double[])g.Types[1].LocalTransition.Clone();
        bad[g.Template.LocalTransitionIndex(2, 0, 1, 3)] += 0.1;
        var broken = new TypedGame(g.Template, [g.Types[0], g.Types[1] with { LocalTransition = bad }]);
        var errors = GameJson.Read(GameJson.Write(broken)).Errors;
        var error = Assert.Single(errors);
        Assert.Equal("$.types[1].P_l[2][0][1]", error.JsonPath);
        Assert.StartsWith("types[1].P_l[s_l=2, s_g=0, a_l=1, :]", error.Path, StringComparison.Ordinal);

        var node = JsonNode.Parse(GameJson.Write(TinyTypedGames.Create(1, 2)))!;
        node["types"]![1]!["r_l"]![0]![0] = new JsonArray(0.5);
        node["types"]![0]!["share"] = "half";
        var shapeErrors = GameJson.Read(node.ToJsonString()).Errors;
        Assert.Contains(shapeErrors, e => e.Path == "$.types[0].share" && e.Message.Contains("must be a number", StringComparison.Ordinal));

        // A blank game name is the game's, not the "NAME/TYPE" of the per-type views the validator checks.
        var blank = JsonNode.Parse(GameJson.Write(TinyTypedGames.Create(1, 2)))!;
        blank["name"] = " ";
        Assert.Equal("$.name", Assert.Single(GameJson.Read(blank.ToJsonString()).Errors).JsonPath);
        Assert.Contains(shapeErrors, e => e.Path == "$.types[1].r_l[0][0]" && e.Message.Contains("has 1 entries", StringComparison.Ordinal));
    }

    [Fact]
    public void Types_in_a_format_1_file_and_top_level_local_tables_next_to_types_are_refused()
    {
        string v2 = GameJson.Write(TinyTypedGames.Create(3, 2));
        var v1 = GameJson.Read(v2.Replace("edgemarl.game/2", "edgemarl.game/1", StringComparison.Ordinal));
        Assert.Contains(v1.Errors, e => e.Path == "$.types" && e.Message.Contains("needs \"format\": \"edgemarl.game/2\"", StringComparison.Ordinal));

        string both = v2.Replace("\"types\": [", "\"r_l\": [[[0, 0], [0, 0]], [[0, 0], [0, 0]]],\n  \"types\": [", StringComparison.Ordinal);
        Assert.Contains(GameJson.Read(both).Errors, e => e.Path == "$.r_l" && e.Message.Contains("not allowed next to $.types", StringComparison.Ordinal));
    }

    [Fact]
    public void Commands_that_need_a_homogeneous_game_refuse_a_typed_file_naming_types()
    {
        var result = GameJson.Read(GameJson.Write(ZonesMixedGame.Create(0.5)));
        Assert.NotNull(result.Typed);
        var ex = Assert.Throws<GameValidationException>(() => result.GetGameOrThrow());
        Assert.Equal("$.types", Assert.Single(ex.Errors).JsonPath);
        Assert.Contains("edgemarl hetero", ex.Message, StringComparison.Ordinal);
    }
}
