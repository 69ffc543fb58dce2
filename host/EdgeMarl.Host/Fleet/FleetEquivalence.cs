using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Heterogeneity;

namespace EdgeMarl.Host.Fleet;

/// <summary>Outcome of <see cref="FleetEquivalence.Compare"/>.</summary>
/// <param name="Equal">Whether every compared field matched bit for bit.</param>
/// <param name="TicksCompared">Ticks compared before the first difference (all of them when equal).</param>
/// <param name="FirstDifference">Where and what differed, or null.</param>
/// <param name="FleetMean">The fleet's mean return.</param>
/// <param name="EvaluatorMean">The evaluator's mean return over the same rollouts.</param>
public sealed record EquivalenceReport(bool Equal, int TicksCompared, string? FirstDifference, double FleetMean, double EvaluatorMean);

/// <summary>
/// The "verified" check (docs/fleet.md): replays the evaluator (<see cref="RobotLevelSimulator"/>,
/// <see cref="RobotActionDraw.DeviceExact"/>) on the fleet's rollout seeds and compares, tick by tick, the sampled ids, the
/// count vector, <c>a_g</c>, every robot's <c>a_l</c> and next state, <c>s_g'</c> and the reward (doubles compared bitwise).
/// </summary>
public static class FleetEquivalence
{
    /// <summary>Compares a recorded fleet run with the evaluator.</summary>
    /// <param name="tables">The run's tables (<see cref="FleetRunner.Tables"/>).</param>
    /// <param name="seed">The run's base seed.</param>
    /// <param name="fleet">The run's result, recorded with <see cref="FleetOptions.RecordTrace"/>.</param>
    /// <returns>The report.</returns>
    public static EquivalenceReport Compare(EvaluationTables tables, ulong seed, FleetResult fleet)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(fleet);
        var simulator = new RobotLevelSimulator(tables, recordLocalActions: true, RobotActionDraw.DeviceExact);
        return CompareWith(new RobotLevelReference(simulator), tables.Gamma, seed, fleet);
    }

    /// <summary>
    /// Compares a recorded typed fleet run (<see cref="FleetRunner"/> on a <see cref="Games.TypedGame"/>) with
    /// <see cref="TypedFleetSimulator"/> in device-exact mode, each robot of its true type (docs/heterogeneity.md §8): the same fields
    /// as <see cref="Compare(EvaluationTables, ulong, FleetResult)"/>, counts over the <c>T·|S_l|</c> (type, state) classes.
    /// </summary>
    /// <param name="tables">The run's tables (<see cref="FleetRunner.TypedTables"/>).</param>
    /// <param name="robotTypes">Each robot's true type (<see cref="FleetRunner.RobotTypes"/>).</param>
    /// <param name="seed">The run's base seed.</param>
    /// <param name="fleet">The run's result, recorded with <see cref="FleetOptions.RecordTrace"/>.</param>
    /// <returns>The report.</returns>
    public static EquivalenceReport CompareTyped(TypedFleetTables tables, IReadOnlyList<int> robotTypes, ulong seed, FleetResult fleet)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(robotTypes);
        ArgumentNullException.ThrowIfNull(fleet);
        var simulator = new TypedFleetSimulator(tables, RobotActionDraw.DeviceExact, [.. robotTypes]);
        return CompareWith(new TypedReference(simulator), tables.Gamma, seed, fleet);
    }

    private static EquivalenceReport CompareWith(IReference simulator, double gamma, ulong seed, FleetResult fleet)
    {
        int compared = 0;
        int episode = -1;
        double discount = 1;
        double[] returns = new double[fleet.EpisodeReturns.Length];
        string? difference = null;
        foreach (FleetTickRecord record in fleet.Trace)
        {
            if (record.Episode != episode)
            {
                episode = record.Episode;
                simulator.Reset(EvaluationSeeds.Rollout(seed, 0, episode));
                discount = 1;
            }

            double reward = simulator.Step();
            returns[episode] += discount * reward;
            discount *= gamma;
            difference ??= Diff("sampled ids", record.SampledIds, simulator.SampledIds)
                ?? Diff("counts", record.Counts, simulator.SampleCounts)
                ?? Diff("a_g", [record.GlobalAction], [simulator.GlobalAction])
                ?? Diff("a_l", record.LocalActions, simulator.LocalActions)
                ?? Diff("next s_l", record.NextStates, simulator.LocalStates)
                ?? Diff("next s_g", [record.NextGlobalState], [simulator.GlobalState])
                ?? (BitConverter.DoubleToInt64Bits(record.Reward) == BitConverter.DoubleToInt64Bits(reward) ? null : $"reward {record.Reward:R} vs {reward:R}");
            if (difference is not null)
            {
                return new EquivalenceReport(false, compared, $"episode {record.Episode}, tick {record.Tick}: {difference}", fleet.MeanReturn, double.NaN);
            }

            compared++;
        }

        bool returnsEqual = returns.Zip(fleet.EpisodeReturns).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second));
        double evaluatorSum = 0;
        foreach (double r in returns)
        {
            evaluatorSum += r;
        }

        return new EquivalenceReport(returnsEqual && compared > 0, compared, returnsEqual ? null : "discounted returns differ", fleet.MeanReturn, evaluatorSum / returns.Length);
    }

    /// <summary>What the comparison reads from a reference simulator after each step.</summary>
    private interface IReference
    {
        int[] SampledIds { get; }

        int[] SampleCounts { get; }

        int GlobalAction { get; }

        int[] LocalActions { get; }

        int[] LocalStates { get; }

        int GlobalState { get; }

        void Reset(ulong rolloutSeed);

        double Step();
    }

    private sealed class RobotLevelReference(RobotLevelSimulator s) : IReference
    {
        public int[] SampledIds => s.SampledIds.ToArray();

        public int[] SampleCounts => s.SampleCounts.ToArray();

        public int GlobalAction => s.GlobalAction;

        public int[] LocalActions => s.LocalActions.ToArray();

        public int[] LocalStates => s.LocalStates.ToArray();

        public int GlobalState => s.GlobalState;

        public void Reset(ulong rolloutSeed) => s.Reset(rolloutSeed);

        public double Step() => s.Step();
    }

    private sealed class TypedReference(TypedFleetSimulator s) : IReference
    {
        public int[] SampledIds => s.SampledIds.ToArray();

        public int[] SampleCounts => s.SampleCounts.ToArray();

        public int GlobalAction => s.GlobalAction;

        public int[] LocalActions => s.LocalActions.ToArray();

        public int[] LocalStates => s.LocalStates.ToArray();

        public int GlobalState => s.GlobalState;

        public void Reset(ulong rolloutSeed) => s.Reset(rolloutSeed);

        public double Step() => s.Step();
    }

    private static string? Diff(string what, ReadOnlySpan<int> fleet, ReadOnlySpan<int> evaluator)
    {
        if (fleet.Length != evaluator.Length)
        {
            return $"{what}: {fleet.Length} entries vs {evaluator.Length}";
        }

        for (int i = 0; i < fleet.Length; i++)
        {
            if (fleet[i] != evaluator[i])
            {
                return $"{what}[{i}] = {fleet[i]} (fleet) vs {evaluator[i]} (evaluator)";
            }
        }

        return null;
    }
}
