using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>
/// Issue 18, the promise: polling more robots never hurts. With the default preset's lifted candidates the trained return at k is at
/// least the return at every k' &lt; k up to the evaluation interval (95%, 15 seeds × 50 rollouts, horizon 50). The larger corpus (more games,
/// sizes, zones) is <c>edgemarl monotone</c> (docs/sweep.md "Lifted candidates").
/// </summary>
public class MonotonicityTests
{
    private static readonly EvaluationSettings Evaluation = EvaluationSettings.Reference(1, 0);

    /// <summary>The largest k of the random-game checks (every k' below it is compared).</summary>
    private const int MaxK = 16;

    public static TheoryData<ulong, int, int, int, int> Games => new()
    {
        { 0, 2, 3, 3, 2 },
        { 2, 2, 3, 3, 2 },
        { 3, 2, 2, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Games))]
    public void TheDefaultPresetsReturnNeverFallsBelowAnySmallerKs(ulong seed, int g, int ag, int l, int al)
    {
        // The default preset (LiftRule.Budgeted) lifts from k − 1 on these games up to k = 20 (LiftBudgetTests): the promise at every k' < k.
        Game game = RandomGame.Create(seed, g, ag, l, al, n: 50, sharpness: 6);
        IReadOnlyList<MonotonicityCell> cells = MonotonicityCheck.Run(game, [.. Enumerable.Range(1, MaxK)], TrainingConfig.Default(1).Lift, 0, Evaluation);

        Assert.Empty(MonotonicityCheck.Falls(cells));
    }

    [Fact]
    public void WithoutLiftingTheSameGamesDoFall()
    {
        // Negative control: the check above can fail. Without lifted candidates the alternation lands lower at some k (game 0:
        // k = 5 below k = 3 and 4, docs/sweep.md), beyond both intervals.
        Game game = RandomGame.Create(0, 2, 3, 3, 2, n: 50, sharpness: 6);
        IReadOnlyList<MonotonicityCell> cells = MonotonicityCheck.Run(game, [.. Enumerable.Range(1, 8)], LiftRule.None, 0, Evaluation);

        Assert.NotEmpty(MonotonicityCheck.Falls(cells));
    }

    [Fact]
    public void LiftingByHalvingTheReturnNeverFallsBelowItsHalvingChain()
    {
        // LiftRule.Halving (what the budgeted rule does above its switch point) lifts from ⌊k/2⌋ (itself lifted from ⌊k/4⌋ …): the
        // promise holds along that chain.
        Game game = RandomGame.Create(0, 2, 3, 3, 2, n: 50, sharpness: 6);
        IReadOnlyList<MonotonicityCell> cells = MonotonicityCheck.Run(game, [.. Enumerable.Range(1, 12)], LiftRule.Halving, 0, Evaluation);

        Assert.Empty(ChainFalls(cells));
    }

    [Fact]
    public void WithoutLiftingTheSameGameFallsBelowItsHalvingChain()
    {
        // Negative control of the test above: the chain check fails without the defence (k = 5 below k' = 2 on game 0).
        Game game = RandomGame.Create(0, 2, 3, 3, 2, n: 50, sharpness: 6);
        IReadOnlyList<MonotonicityCell> cells = MonotonicityCheck.Run(game, [.. Enumerable.Range(1, 12)], LiftRule.None, 0, Evaluation);

        Assert.NotEmpty(ChainFalls(cells));
    }

    /// <summary>Every (k, k') with k' on the chain ⌊k/2⌋, ⌊k/4⌋, … whose return at k lies below that at k' beyond both intervals.</summary>
    private static List<string> ChainFalls(IReadOnlyList<MonotonicityCell> cells)
    {
        var falls = new List<string>();
        foreach (MonotonicityCell cell in cells)
        {
            for (int kPrime = cell.K / 2; kPrime >= 1; kPrime /= 2)
            {
                if (cell.FallsBelow(cells[kPrime - 1]))
                {
                    falls.Add($"k = {cell.K} ({cell.Return:F3} ± {cell.HalfWidth:F3}) below k' = {kPrime} ({cells[kPrime - 1].Return:F3} ± {cells[kPrime - 1].HalfWidth:F3})");
                }
            }
        }

        return falls;
    }

    [Fact]
    public void OnZonesWithASmallFleetTheReturnDoesNotFallWithK()
    {
        // Zones with n = 100 (the same tables; n = 1000 is the `edgemarl monotone --games zones` run in docs/sweep.md). Zones is
        // monotone without lifting too (the negative control is WithoutLiftingTheSameGamesDoFall); this guards the default preset on it.
        Game game = ZonesGame.Create().WithAgentCount(100);
        IReadOnlyList<MonotonicityCell> cells = MonotonicityCheck.Run(game, [1, 2, 3, 4], TrainingConfig.Default(1).Lift, 0, Evaluation);

        Assert.Empty(MonotonicityCheck.Falls(cells));
    }

    [Fact]
    public void OnTheTinyGameTheDefaultPresetsExactReturnDoesNotFallWithK()
    {
        // n = 4, so k ≤ 4; the default preset lifts from k − 1 here (LiftBudgetTests). The exact return (ExactNashGap) at k is compared
        // with every smaller k's, not only the next.
        Game game = TinyGame.Create();
        IReadOnlyList<MonotonicityCell> cells = MonotonicityCheck.Run(game, [1, 2, 3, 4], TrainingConfig.Default(1).Lift, 0, Evaluation);

        Assert.Empty(MonotonicityCheck.Falls(cells));
        Assert.All(cells, c => Assert.NotNull(c.ExactReturn));
        for (int i = 1; i < cells.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.True(cells[i].ExactReturn >= cells[j].ExactReturn - 1e-9, $"exact J at k = {cells[i].K} below k = {cells[j].K}");
            }
        }
    }
}
