using EdgeMarl.Host.Games;
using static EdgeMarl.Host.Tests.Games.GameTestCopies;

namespace EdgeMarl.Host.Tests.Games;

public class GameValidatorTests
{
    private static readonly Game s_zones = ZonesGame.Create();
    private static readonly Game s_tiny = TinyGame.Create();

    [Fact]
    public void Built_in_games_are_valid()
    {
        Assert.Empty(GameValidator.Validate(s_zones));
        Assert.Empty(GameValidator.Validate(s_tiny));
    }

    [Fact]
    public void A_row_that_does_not_sum_to_one_is_named_by_its_indices_and_sum()
    {
        var game = Copy(s_zones);
        int start = game.LocalTransitionIndex(2, 0, 1, 0);
        for (int j = 0; j < game.LocalStates; j++)
        {
            game.LocalTransition[start + j] *= 0.93;
        }

        var error = Assert.Single(GameValidator.Validate(game));
        Assert.Equal("P_l[s_l=2, s_g=0, a_l=1, :]", error.Path);
        Assert.Equal("sums to 0.93 (must be 1 within 1e-9)", error.Message);
        Assert.Equal("$.P_l[2][0][1]", error.JsonPath);
    }

    [Fact]
    public void A_negative_probability_is_named_by_every_index_with_its_value()
    {
        // Distinct index on every axis, so a mixed-up decode shows.
        var game = Copy(s_zones);
        int at = game.LocalTransitionIndex(3, 1, 2, 4);
        double old = game.LocalTransition[at];
        game.LocalTransition[at] = -0.25;
        game.LocalTransition[game.LocalTransitionIndex(3, 1, 2, 0)] += old + 0.25; // keep the row sum at 1

        var error = Assert.Single(GameValidator.Validate(game));
        Assert.Equal("P_l[s_l=3, s_g=1, a_l=2, s_l'=4]", error.Path);
        Assert.Equal("is -0.25 (must be ≥ 0)", error.Message);
        Assert.Equal("$.P_l[3][1][2][4]", error.JsonPath);
    }

    [Fact]
    public void Global_transition_errors_name_s_g_a_g_and_the_next_state()
    {
        var game = Copy(s_zones);
        game.GlobalTransition[game.GlobalTransitionIndex(4, 2, 3)] = double.NaN;
        game.GlobalTransition[game.GlobalTransitionIndex(1, 3, 0)] += 0.01;

        var errors = GameValidator.Validate(game);
        Assert.Equal(2, errors.Count);
        Assert.Equal("P_g[s_g=1, a_g=3, :]", errors[0].Path);
        Assert.StartsWith("sums to 1.01", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("P_g[s_g=4, a_g=2, s_g'=3]", errors[1].Path);
        Assert.Equal("is NaN (must be a finite probability)", errors[1].Message);
    }

    [Theory]
    [InlineData(5e-10, true)]
    [InlineData(-5e-10, true)]
    [InlineData(2e-9, false)]
    [InlineData(-2e-9, false)]
    public void Row_sums_are_accepted_within_1e_minus_9_only(double deviation, bool valid)
    {
        var game = Copy(s_tiny);
        game.GlobalTransition[0] += deviation;
        Assert.Equal(valid, GameValidator.Validate(game).Count == 0);
    }

    [Fact]
    public void Non_finite_rewards_are_errors_with_their_index()
    {
        var game = Copy(s_zones);
        game.GlobalReward[(3 * game.GlobalActions) + 1] = double.PositiveInfinity;
        game.LocalReward[game.LocalRewardIndex(4, 2, 1)] = double.NaN;

        var errors = GameValidator.Validate(game);
        Assert.Equal(["r_g[s_g=3, a_g=1]", "r_l[s_l=4, s_g=2, a_l=1]"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.EndsWith("(must be a finite reward)", e.Message, StringComparison.Ordinal));
        Assert.Equal("$.r_l[4][2][1]", errors[1].JsonPath);
    }

    [Fact]
    public void Negative_and_large_rewards_up_to_the_bound_are_allowed()
    {
        var game = Copy(s_tiny);
        game.GlobalReward[0] = -GameValidator.MaxRewardMagnitude;
        game.LocalReward[3] = GameValidator.MaxRewardMagnitude;
        Assert.Empty(GameValidator.Validate(game));
    }

    [Fact]
    public void Rewards_beyond_the_bound_are_errors_with_their_index()
    {
        // 1e308 passed the finite check but made value iteration overflow to ∞/NaN, and training crashed.
        var game = Copy(s_tiny);
        game.GlobalReward[0] = 1e308;
        game.LocalReward[3] = -2e9;
        var errors = GameValidator.Validate(game);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("|reward| must be ≤ 1e9", e.Message, StringComparison.Ordinal));
        Assert.Equal("$.r_g[0][0]", errors[0].JsonPath);
    }

    [Fact]
    public void The_fleet_may_not_exceed_the_evaluator_limit()
    {
        Assert.Empty(GameValidator.Validate(With(s_tiny, n: GameValidator.MaxAgentCount)));
        var error = Assert.Single(GameValidator.Validate(With(s_tiny, n: int.MaxValue)));
        Assert.Equal("n", error.Path);
        Assert.Contains("must be ≤ 10,000,000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Gamma_must_lie_strictly_between_zero_and_one(double gamma)
    {
        var error = Assert.Single(GameValidator.Validate(With(s_tiny, gamma: gamma)));
        Assert.Equal("γ", error.Path);
        Assert.Equal("$.gamma", error.JsonPath);
        Assert.Contains("must satisfy 0 < γ < 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void The_fleet_needs_at_least_one_robot(int n)
    {
        var error = Assert.Single(GameValidator.Validate(With(s_tiny, n: n)));
        Assert.Equal("n", error.Path);
        Assert.Equal($"is {n} (must be ≥ 1)", error.Message);
    }

    [Fact]
    public void A_table_of_the_wrong_length_is_reported_with_the_expected_formula()
    {
        var game = With(s_zones, rL: new double[74], pG: new double[26]);
        var errors = GameValidator.Validate(game);
        Assert.Equal(2, errors.Count);
        Assert.Equal(new GameError("P_g", "has 26 entries (must be |S_g|·|A_g|·|S_g| = 125)", "$.P_g"), errors[0]);
        Assert.Equal(new GameError("r_l", "has 74 entries (must be |S_l|·|S_g|·|A_l| = 75)", "$.r_l"), errors[1]);
    }

    [Fact]
    public void Sizes_must_be_at_least_one_and_every_bad_size_is_listed()
    {
        var errors = GameValidator.Validate(With(s_tiny, globalActions: 0, localActions: -1));
        Assert.Equal(["|A_g|", "|A_l|"], errors.Select(e => e.Path));
        Assert.Equal("is -1 (must be ≥ 1)", errors[1].Message);
    }

    [Fact]
    public void Sizes_that_disagree_with_the_tables_make_every_dependent_table_an_error()
    {
        // |S_l| = 3 instead of 2: P_l, r_l, the initial local distribution and the s_l labels no longer fit.
        var errors = GameValidator.Validate(With(s_tiny, localStates: 3));
        Assert.Equal(["P_l", "r_l", "initial.local", "labels.s_l"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Dirichlet_alphas_must_be_positive()
    {
        var errors = GameValidator.Validate(With(s_zones, initialLocal: [0.3, 0.3, 0.0, -1, double.NaN]));
        Assert.Equal(["initial.local[s_l=2]", "initial.local[s_l=3]", "initial.local[s_l=4]"], errors.Select(e => e.Path));
        Assert.Equal("$.initial.local.values[3]", errors[1].JsonPath);
    }

    [Fact]
    public void Dirichlet_alphas_need_not_sum_to_one_but_a_fixed_distribution_must()
    {
        Assert.Empty(GameValidator.Validate(With(s_tiny, kind: InitialLocalKind.Dirichlet, initialLocal: [2.0, 5.0])));
        var error = Assert.Single(GameValidator.Validate(With(s_tiny, kind: InitialLocalKind.Fixed, initialLocal: [2.0, 5.0])));
        Assert.Equal(new GameError("initial.local", "sums to 7 (must be 1 within 1e-9)", "$.initial.local.values"), error);
    }

    [Fact]
    public void The_initial_global_distribution_must_be_a_distribution()
    {
        var errors = GameValidator.Validate(With(s_tiny, initialGlobal: [1.5, -0.5]));
        Assert.Equal(new GameError("initial.global[s_g=1]", "is -0.5 (must be ≥ 0)", "$.initial.global[1]"), Assert.Single(errors));
    }

    [Fact]
    public void An_unknown_initial_kind_is_an_error()
    {
        var error = Assert.Single(GameValidator.Validate(With(s_tiny, kind: (InitialLocalKind)7)));
        Assert.Equal("initial.local.kind", error.Path);
    }

    [Fact]
    public void Labels_must_match_the_sizes()
    {
        var labels = new GameLabels { GlobalStates = ["a"], LocalActions = ["x", "y", "z"] };
        var errors = GameValidator.Validate(With(s_tiny, labels: labels));
        Assert.Equal(["labels.s_g", "labels.a_l"], errors.Select(e => e.Path));
        Assert.Equal("has 1 labels (must be |S_g| = 2)", errors[0].Message);
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var game = With(s_tiny, name: " ", gamma: 1, n: 0, initialGlobal: [0.5, 0.4]);
        game.GlobalTransition[1] = -0.1;
        game.LocalReward[0] = double.NaN;

        var errors = GameValidator.Validate(game);
        Assert.Equal(["name", "γ", "n", "P_g[s_g=0, a_g=0, s_g'=1]", "P_g[s_g=0, a_g=0, :]", "r_l[s_l=0, s_g=0, a_l=0]", "initial.global"], errors.Select(e => e.Path));
    }

    [Fact]
    public void EnsureValid_throws_with_the_same_errors_and_names_the_source()
    {
        var game = With(s_tiny, gamma: 2, n: 0);
        var ex = Assert.Throws<GameValidationException>(() => GameValidator.EnsureValid(game, "my.json"));
        Assert.Equal(GameValidator.Validate(game), ex.Errors);
        Assert.Equal("my.json", ex.Source);
        Assert.StartsWith("game 'my.json' is invalid (2 errors): γ is 2", ex.Message, StringComparison.Ordinal);
        GameValidator.EnsureValid(s_tiny);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(-1, false)]
    public void K_must_satisfy_one_at_most_k_at_most_n(int k, bool valid)
    {
        var errors = GameValidator.ValidateK(s_tiny, k);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Equal(new GameError("k", $"is {k} (must satisfy 1 ≤ k ≤ n = 4)"), Assert.Single(errors));
            Assert.Throws<GameValidationException>(() => GameValidator.EnsureValidK(s_tiny, k));
        }
    }

    [Fact]
    public void Errors_print_as_path_then_message_then_json_path()
    {
        Assert.Equal("γ is 1 (must satisfy 0 < γ < 1) [$.gamma]", new GameError("γ", "is 1 (must satisfy 0 < γ < 1)", "$.gamma").ToString());
        Assert.Equal("$.n is missing", new GameError("$.n", "is missing").ToString());
    }
}
