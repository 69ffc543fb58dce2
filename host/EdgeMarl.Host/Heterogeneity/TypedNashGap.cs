// docs/heterogeneity.md "Nash gap": the estimated gap of docs/nash-gap.md §6, with every term played on the TRUE typed fleet
// (TypedFleetSimulator), and gateway deviations that may count types.
using EdgeMarl.Host.Equilibrium;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Heterogeneity;

/// <summary>Settings of <see cref="TypedNashGap.Estimate"/>.</summary>
/// <param name="Horizon">Steps per rollout.</param>
/// <param name="RolloutsPerSeed">Rollouts per paired seed.</param>
/// <param name="Seeds">Paired seeds (at least <see cref="PairedGain.MinSeeds"/>).</param>
/// <param name="Seed">Base seed of the rollouts and of the best responses.</param>
/// <param name="LargestBlindK">The blind "more information" deviation's <c>k'</c> (capped at <c>n</c>).</param>
/// <param name="TypedK">The typed deviation's <c>k'</c> (capped at <see cref="TypedTraining.LargestTypedK"/>).</param>
public sealed record TypedGapSettings(int Horizon, int RolloutsPerSeed, int Seeds, ulong Seed, int LargestBlindK = 50, int TypedK = 6);

/// <summary>One gateway deviation's paired gain with what it was.</summary>
/// <param name="Label">e.g. <c>blind k'=50</c>, <c>typed full obs k'=6</c>.</param>
/// <param name="Gain">Paired gain over the base pair, 99.9% interval.</param>
public sealed record LabelledGain(string Label, GainEstimate Gain);

/// <summary>The estimated gap on a typed fleet: <c>ε̂ = max(best gateway gain, robot gain)</c>, each a lower bound of the true term.</summary>
/// <param name="JointValue"><c>J_H</c> of the pair on the typed fleet (the baseline of every paired gain).</param>
/// <param name="JointValueStd">Standard deviation of <c>J_H</c> over the paired seeds.</param>
/// <param name="GatewayGains">Every gateway deviation tried.</param>
/// <param name="RobotGain">Robot 0 on <c>σ̂</c> (its own type's row).</param>
public sealed record TypedGapEstimate(double JointValue, double JointValueStd, IReadOnlyList<LabelledGain> GatewayGains, GainEstimate RobotGain)
{
    /// <summary>
    /// Gets what type information is worth to a gateway that sees everything: the paired difference between the typed and
    /// the blind full-observation deviations at the same <c>k'</c> (<see cref="TypedGapSettings.TypedK"/>), each a converged
    /// G-step of its own observation; null for one type or in exact mode. Not part of <see cref="Epsilon"/> (both terms are).
    /// </summary>
    public GainEstimate? TypeInformationGain { get; init; }

    /// <summary>Gets the largest gateway gain.</summary>
    public LabelledGain BestGateway => GatewayGains.MaxBy(g => g.Gain.Mean)!;

    /// <summary>Gets <c>ε̂</c>.</summary>
    public double Epsilon => Math.Max(BestGateway.Gain.Mean, RobotGain.Mean);

    /// <summary>Gets the 99.9% half-width of the maximising term.</summary>
    public double EpsilonHalfWidth => BestGateway.Gain.Mean >= RobotGain.Mean ? BestGateway.Gain.HalfWidth999 : RobotGain.HalfWidth999;
}

/// <summary>
/// Estimates the Nash gap of a blind or typed pair on the true typed fleet. Gateway deviations (robots keep <c>π_l</c>):
/// the blind G-step (state counts, on <see cref="TypedPairs.InducedBlindGame"/>) at the pair's <c>k</c> (blind pairs) and at
/// <see cref="TypedGapSettings.LargestBlindK"/>, and that table with full observation; the typed G-step (per (type, state)
/// counts, on <see cref="TypedGame.Expanded"/>) at the pair's <c>k</c> (typed pairs) and at
/// <see cref="TypedGapSettings.TypedK"/>, and that table with full observation. Robot deviation: the L-step of robot 0's own
/// type (blind pairs: on that type's game, its mean field that type's stationary law; typed pairs: on the expanded game).
/// Every deviation is feasible, so every gain is a lower bound of the true one (up to its interval).
/// </summary>
public static class TypedNashGap
{
    /// <summary>Estimates every term (see the class remarks).</summary>
    public static TypedGapEstimate Estimate(TypedGame game, PolicyPair pair, int k, TypedGapSettings settings, int threads = -1)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(settings);
        Game b = game.Template;
        int t = game.TypeCount, l = b.LocalStates, g = b.GlobalStates, a = b.LocalActions;
        bool typedPair = pair.LocalStates == t * l && t > 1;
        EvaluationSettings At(int size) => new(size, settings.Horizon, settings.RolloutsPerSeed, settings.Seeds, settings.Seed);
        EvaluationResult baseline = new TypedFleetEvaluator(game, maxDegreeOfParallelism: threads).Evaluate(pair, At(k));
        var best = new TrainerBestResponses(GStepMode.Rounded, settings.Seed, Math.Max(0, threads));
        var gains = new List<LabelledGain>();

        EvaluationResult Run(GatewayTable table, bool all) => new TypedFleetEvaluator(game, null, all, threads, table).Evaluate(pair, At(table.K));
        GainEstimate Play(GatewayTable table, bool all) => PairedGain.FromResults(baseline, Run(table, all));

        // Blind deviations: state counts, the mean-field model of the population on π_l.
        Game induced = TypedPairs.InducedBlindGame(game, pair.LocalPolicy);
        double[] trivial = Enumerable.Repeat(1.0, g * l).ToArray();
        int blindMax = Math.Min(b.AgentCount, Math.Max(k, settings.LargestBlindK));
        GatewayTable? widest = null;
        foreach (int kPrime in (typedPair ? [blindMax] : new[] { k, blindMax }).Distinct())
        {
            widest = new GatewayTable(TypedObservation.Blind, kPrime, best.GatewayBestResponse(induced, trivial, kPrime));
            gains.Add(new LabelledGain($"blind k'={kPrime}", Play(widest, all: false)));
        }

        gains.Add(new LabelledGain($"blind full obs k'={widest!.K}", Play(widest, all: true)));

        // Typed deviations: per (type, state) counts, on the expanded game.
        GainEstimate? typeInformation = null;
        if (t > 1)
        {
            Game expanded = game.Expanded();
            double[] typedPolicy = typedPair ? pair.LocalPolicy : TypedPairs.Replicate(pair.LocalPolicy, g, l, a, t);
            int typedMax = Math.Min(Math.Min(b.AgentCount, settings.TypedK), TypedTraining.LargestTypedK(game));
            GatewayTable? typedWidest = null;
            foreach (int kPrime in (typedPair ? new[] { k, typedMax } : [typedMax]).Distinct().Where(x => x >= 1))
            {
                typedWidest = new GatewayTable(TypedObservation.Typed, kPrime, best.GatewayBestResponse(expanded, typedPolicy, kPrime));
                gains.Add(new LabelledGain($"typed k'={kPrime}", Play(typedWidest, all: false)));
            }

            if (typedWidest is not null)
            {
                // The same k' without types: the difference of the two full-observation deviations is the value of type information.
                var blindSame = new GatewayTable(TypedObservation.Blind, typedWidest.K, best.GatewayBestResponse(induced, trivial, typedWidest.K));
                EvaluationResult typedFull = Run(typedWidest, all: true), blindFull = Run(blindSame, all: true);
                gains.Add(new LabelledGain($"typed full obs k'={typedWidest.K}", PairedGain.FromResults(baseline, typedFull)));
                gains.Add(new LabelledGain($"blind full obs k'={blindSame.K}", PairedGain.FromResults(baseline, blindFull)));
                typeInformation = PairedGain.FromResults(blindFull, typedFull);
            }
        }

        double[] sigma = RobotDeviation(game, pair, k, settings.Seed, typedPair);
        GainEstimate robot = PairedGain.FromResults(baseline, new TypedFleetEvaluator(game, sigma, false, threads).Evaluate(pair, At(k)));
        return new TypedGapEstimate(baseline.Mean, baseline.StdOverSeeds, gains, robot) { TypeInformationGain = typeInformation };
    }

    /// <summary>Robot 0's deviation in the typed layout <c>[s_g, τ·|S_l| + s_l, a_l]</c> (class remarks).</summary>
    internal static double[] RobotDeviation(TypedGame game, PolicyPair pair, int k, ulong seed, bool typedPair)
    {
        Game b = game.Template;
        int t = game.TypeCount, l = b.LocalStates, g = b.GlobalStates, a = b.LocalActions, x = t * l;
        int[] table = pair.GlobalActions[k - pair.KMin] ?? throw new ArgumentException($"the pair has no table for k = {k}", nameof(k));
        byte[] actions = TypedPairs.ToGStepLayout(table, g);
        TrainingConfig config = TrainingConfig.Default(k) with
        {
            LocalOutput = LocalPolicyOutput.Greedy,
            InducedGlobal = InducedTransition.Exact,
            MeanField = typedPair ? MeanFieldEstimate.Reference : MeanFieldEstimate.StationaryConditional,
            LTolerance = 1e-10,
            LMaxSweeps = 20_000,
            Seed = seed,
        };
        if (typedPair)
        {
            return new LStep(game.Expanded(), config).Solve(pair.LocalPolicy, actions, seed).LocalPolicy;
        }

        var sigma = new double[g * x * a];
        for (int type = 0; type < t; type++)
        {
            double[] own = new LStep(game.TypeGame(type), config).Solve(pair.LocalPolicy, actions, seed).LocalPolicy;
            for (int sg = 0; sg < g; sg++)
            {
                Array.Copy(own, sg * l * a, sigma, ((sg * x) + (type * l)) * a, l * a);
            }
        }

        return sigma;
    }
}
