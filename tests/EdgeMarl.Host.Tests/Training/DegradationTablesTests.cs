using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>TrainingConfig.Tables: the default preset solves and stores only the geometric degradation tables (issue 14).</summary>
public class DegradationTablesTests
{
    private static readonly Game Game = RandomGame.Create(5, 2, 3, 3, 2, n: 40, sharpness: 4);

    [Fact]
    public void TheGeometricSetIsTheEveryTableRunsTablesAtThoseSizesAndNothingElse()
    {
        var evaluator = new RobotLevelEvaluator();
        TrainingConfig geometric = TrainingConfig.Default(12) with { Lift = LiftRule.None, QuickRollouts = 20 };
        Assert.Equal(DegradationTables.Geometric, geometric.Tables);
        TrainingResult stored = AlternatingMarl.Train(Game, geometric, evaluator);
        TrainingResult every = AlternatingMarl.Train(Game, geometric with { Tables = DegradationTables.Every }, evaluator);

        int[] kept = [.. Enumerable.Range(1, 12).Where(kp => stored.Policies.GlobalActions[kp - 1] is not null)];
        Assert.Equal([1, 3, 6, 12], kept);
        foreach (int kp in kept)
        {
            Assert.Equal(every.Policies.GlobalActions[kp - 1], stored.Policies.GlobalActions[kp - 1]); // the same G-steps, fewer of them
        }

        Assert.All(every.Policies.GlobalActions, t => Assert.NotNull(t));
        Assert.Equal(every.Policies.LocalPolicy, stored.Policies.LocalPolicy);
        Assert.Equal(every.Record.Rounds.Select(r => r.QuickValue), stored.Record.Rounds.Select(r => r.QuickValue));
        Assert.NotEqual(every.Record.ConfigHash, stored.Record.ConfigHash);
        Assert.DoesNotContain("\"tables\"", TrainingConfig.ReferenceCompatible(5).ToCanonicalJson(), StringComparison.Ordinal); // reference hashes unchanged
    }

    [Fact]
    public void TheEvaluatorAndThePolicyFileReduceRepliesToTheLargestStoredTable()
    {
        TrainingResult result = AlternatingMarl.Train(Game, TrainingConfig.Default(12) with { Lift = LiftRule.None, QuickRollouts = 20 }, new RobotLevelEvaluator());
        PolicyPair pair = result.Policies;

        // A gateway that got 5 (or 11) replies uses the table of 3 (or 6), as the firmware's ReplyReducer does.
        Assert.Equal(3, new EvaluationTables(Game, pair, 5).TableSampleSize);
        Assert.Equal(6, new EvaluationTables(Game, pair, 11).TableSampleSize);
        Assert.Equal(12, new EvaluationTables(Game, pair, 12).TableSampleSize);

        // The policy file (what edgemarl export writes) holds exactly the stored tables, entry for entry.
        var trained = new TrainedPolicy(pair, Game.Name, GameHash.Compute(Game), new byte[32], Game.AgentCount);
        byte[] bytes = PolicyExport.ToVerifiedBytes(trained, null);
        Assert.True(PolicyTable.TryOpen(bytes, 0, bytes.Length, out PolicyTable file, out PolicyFileError error), error.ToString());
        var ranker = new CountRanker(Game.LocalStates, 12);
        for (int kp = 1; kp <= 12; kp++)
        {
            int[]? table = pair.GlobalActions[kp - 1];
            int size = ranker.Count(kp);
            for (int sg = 0; sg < Game.GlobalStates; sg++)
            {
                for (int rank = 0; rank < size; rank++)
                {
                    bool found = file.TryGetGlobalActionByRank(sg, kp, rank, out int action);
                    Assert.Equal(table is not null, found);
                    if (table is not null)
                    {
                        Assert.Equal(table[(sg * size) + rank], action);
                    }
                }
            }
        }
    }
}
