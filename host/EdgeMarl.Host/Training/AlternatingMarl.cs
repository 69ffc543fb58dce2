// docs/design.md §2 Alternation (docs/reference-benchmark.md "Reference training settings"):
//   start π_l uniform, π_g ≡ 0; each round: π_g ← G-step(π_l), π_l ← L-step(π_g), v ← quick value(π_g, π_l);
//   v > best → best := pair; v < best − rtol·|best| → revert to best; stop when |v − v_prev| < rtol·max(|v_prev|, 1e-6)
//   (reference) or when a round returns the previous round's pair unchanged (StopRule.FixedPoint).
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training;

/// <summary>ALTERNATING-MARL: alternating global and local best responses with a measured accept/revert rule.</summary>
/// <remarks>
/// Export: the returned pair keeps the π_g table for k exactly as it was measured. The tables for k' &lt; k are
/// G-steps against the same π_l that this π_g answered (not the returned π_l), so every k' table is the same kind of
/// best response as the measured one. Seeds: every random stream is <c>DeriveSeed(config.Seed, tag)</c>; the L-step
/// uses one stream for all rounds (as the reference's fixed generator), the sampled G-step one per round.
/// </remarks>
public static class AlternatingMarl
{
    private const ulong LStepTag = 1, GStepTag = 2, QuickTag = 3, ExportTag = 4;

    /// <summary>Trains a policy pair.</summary>
    /// <param name="game">The game.</param>
    /// <param name="config">The settings (k, modes, tolerances, seed).</param>
    /// <param name="quickEvaluator">Measures each round's pair (with <c>config.QuickSimulator = ComposedCount</c> on a game with tables, the composed count simulator does instead).</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <returns>The policies and the training record.</returns>
    public static TrainingResult Train(Game game, TrainingConfig config, IPolicyEvaluator quickEvaluator, IProgress<TrainingProgress>? progress = null) =>
        TrainWith(game, config, quickEvaluator, simulator: null, progress);

    /// <summary>Trains a policy pair, taking lifted smaller-k pairs from <paramref name="lifts"/> when it has them (a sweep trains each k once).</summary>
    /// <param name="game">The game.</param>
    /// <param name="config">The settings.</param>
    /// <param name="quickEvaluator">Measures each round's pair (the same one for every call sharing <paramref name="lifts"/>).</param>
    /// <param name="lifts">Results already trained on this game, by config; this call adds the ones it trains.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <returns>The policies and the training record.</returns>
    public static TrainingResult Train(Game game, TrainingConfig config, IPolicyEvaluator quickEvaluator, LiftCache lifts, IProgress<TrainingProgress>? progress = null) =>
        TrainWith(game, config, quickEvaluator, simulator: null, progress, lifts);

    /// <summary>Trains a policy pair; with <c>config.ModelFree</c> set, the G-step and L-step learn from <paramref name="simulator"/> (or the game's tables as one).</summary>
    /// <param name="game">The game (the quick value's rollouts use its tables).</param>
    /// <param name="config">The settings.</param>
    /// <param name="quickEvaluator">Measures each round's pair (with <c>config.QuickSimulator = ComposedCount</c> on a game with tables, the composed count simulator does instead).</param>
    /// <param name="simulator">The generative model the model-free learners read, or null.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <returns>The policies and the training record.</returns>
    public static TrainingResult TrainWith(Game game, TrainingConfig config, IPolicyEvaluator quickEvaluator, Simulation.IGameSimulator? simulator, IProgress<TrainingProgress>? progress = null) =>
        TrainWith(game, config, quickEvaluator, simulator, progress, lifts: null);

    private static TrainingResult TrainWith(Game game, TrainingConfig config, IPolicyEvaluator quickEvaluator, Simulation.IGameSimulator? simulator, IProgress<TrainingProgress>? progress, LiftCache? lifts)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(quickEvaluator);
        config.Validate();
        if (config.K > game.AgentCount)
        {
            throw new ArgumentException($"training config: k={config.K} exceeds the fleet size n={game.AgentCount}", nameof(config));
        }

        quickEvaluator = QuickEvaluator(game, config, quickEvaluator);
        var total = Stopwatch.StartNew();
        if (!config.RobotOutputPortfolio)
        {
            return Complete(game, config, RunRounds(game, config, quickEvaluator, simulator, progress), total, progress, simulator);
        }

        return TrainPortfolio(game, config, quickEvaluator, simulator, progress, total, lifts);
    }

    /// <summary>
    /// Trains with softmax and with greedy robots and keeps the pair with the higher final quick value; both quick values
    /// use the same seed (QuickSeedRule.Common), so the comparison is on common random numbers. Ties go to softmax. The
    /// candidates are independent, so they run side by side (results never depend on the thread count; the quick evaluator
    /// must be thread-safe, as the library's evaluators are), and only the winner's k' tables are exported.
    /// </summary>
    private static TrainingResult TrainPortfolio(Game game, TrainingConfig config, IPolicyEvaluator quickEvaluator, Simulation.IGameSimulator? simulator, IProgress<TrainingProgress>? progress, Stopwatch total, LiftCache? lifts)
    {
        // Lifted candidates (issue 18): the pair trained at k' < k, its gateway subsampling k replies to k' (ReplyReducer), and
        // an alternation at k warm started from its π_l. Table learners only: the model-free ones would need a simulator per k'.
        // The lifted source and its warm-started alternation depend on nothing at k, so they run beside the softmax and greedy
        // candidates (three independent jobs; results never depend on the thread count or the schedule).
        TrainingResult? lifted = null;
        var phase = Stopwatch.StartNew();
        LiftChoice? choice = LiftBudget.Choose(game, config); // null without lifting, at k = 1 and for the model-free learners
        int liftK = choice?.FromK ?? 0;
        bool lifting = choice is not null;
        TrainingConfig source = config with { K = Math.Max(1, liftK), KMin = Math.Min(config.KMin, Math.Max(1, liftK)) };
        LocalPolicyOutput[] outputs = lifting ? [LocalPolicyOutput.Softmax, LocalPolicyOutput.Greedy, LocalPolicyOutput.Softmax] : [LocalPolicyOutput.Softmax, LocalPolicyOutput.Greedy];
        double[]?[] starts = new double[]?[outputs.Length];
        double liftSeconds = 0;

        // Each candidate keeps every thread: when one stops early (greedy robots often do) the other uses the freed core.
        var candidates = new Candidate[outputs.Length];
        var candidateSeconds = new double[outputs.Length];
        IProgress<TrainingProgress>? shared = progress == null ? null : new SerializedProgress(progress);
        try
        {
            // The lifted chain is the longest job: start it first (the schedule changes times only, never results).
            int[] schedule = lifting ? [2, 0, 1] : [0, 1];
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(schedule, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering), config.ParallelOptions(), i =>
            {
                var watch = Stopwatch.StartNew();
                IProgress<TrainingProgress>? labelled = shared == null ? null : new CandidateProgress(shared, i == 2 ? string.Create(CultureInfo.InvariantCulture, $"lifted k'={liftK}") : OutputName(outputs[i]));
                if (i == 2)
                {
                    labelled?.Report(new TrainingProgress(0, config.MaxRounds, string.Create(CultureInfo.InvariantCulture, $"training k'={liftK} first"), null));
                    lifted = lifts is null
                        ? TrainWith(game, source, quickEvaluator, simulator: null, progress: null, lifts: null)
                        : lifts.GetOrAdd(source, () => TrainWith(game, source, quickEvaluator, simulator: null, progress: null, lifts));
                    liftSeconds = watch.Elapsed.TotalSeconds;
                    watch.Restart();
                    outputs[i] = EffectiveOutput(lifted.Record);
                    starts[i] = lifted.Policies.LocalPolicy;
                }

                candidates[i] = RunRounds(game, config with { RobotOutputPortfolio = false, LocalOutput = outputs[i], Lift = LiftRule.None }, quickEvaluator, simulator, labelled, starts[i]);
                candidateSeconds[i] = watch.Elapsed.TotalSeconds;
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers catch what one candidate threw (e.g. a SimulatorException), not the parallel loop's wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }

        LocalPolicyOutput liftedOutput = lifted is null ? LocalPolicyOutput.Softmax : outputs[2];

        int chosen = 0;
        for (int i = 1; i < outputs.Length; i++)
        {
            if (candidates[i].Final.Value > candidates[chosen].Final.Value)
            {
                chosen = i;
            }
        }

        // The lifted pair, measured at k with the same quick value (same seed, so common random numbers): ties go to training at k.
        double liftedValue = double.NaN, liftedQuickSeconds = 0;
        bool liftWins = false;
        if (lifted != null)
        {
            var liftedWatch = Stopwatch.StartNew();
            ulong quickSeed = Pcg32.DeriveSeed(config.Seed, QuickTag); // QuickSeedRule.Common, which the portfolio requires
            liftedValue = quickEvaluator.Evaluate(game, lifted.Policies, new EvaluationSettings(config.K, config.QuickHorizon, config.QuickRollouts, 1, quickSeed) { Timing = config.QuickTiming }).Mean;
            liftWins = liftedValue > candidates[chosen].Final.Value;
            liftedQuickSeconds = liftedWatch.Elapsed.TotalSeconds;
        }

        RoundTiming phases = PhaseSums(candidates.SelectMany(c => c.Timings).Append(new RoundTiming(0, 0, liftedQuickSeconds)), lifted?.Record.Timings?.PhaseSeconds);

        double candidatesSeconds = phase.Elapsed.TotalSeconds;
        TrainingResult result = liftWins
            ? new TrainingResult(LiftedPair(lifted!.Policies, config.K), Record(game, config, candidates[chosen], total, null) with { FinalRound = -1, FinalQuickValue = liftedValue, LiftedFrom = LargestStored(lifted.Policies) })
            : Complete(game, candidates[chosen].Config, candidates[chosen], total, progress, simulator);
        using JsonDocument configJson = JsonDocument.Parse(config.ToCanonicalJson());
        List<CandidateRecord> records = [.. outputs.Select((o, i) => new CandidateRecord(o, candidates[i].Final.Value, candidates[i].Rounds.Count, !liftWins && i == chosen)
        {
            Start = starts[i] is null ? null : CandidateStart.Lifted,
            FromK = starts[i] is null ? null : liftK,
        })];
        if (lifted != null)
        {
            records.Add(new CandidateRecord(liftedOutput, liftedValue, 0, liftWins) { Start = CandidateStart.LiftedPair, FromK = liftK });
        }

        TrainingRecord record = result.Record with
        {
            ConfigHash = config.ConfigHash(),
            Config = configJson.RootElement.Clone(),
            Candidates = records,
            LiftChoice = choice,
            LiftedSource = lifted is null ? null : lifted.Record with { Timings = null },
            Timings = lifted is null
                ? result.Record.Timings! with { CandidateSeconds = candidateSeconds, PhaseSeconds = phases }
                : result.Record.Timings! with { LiftedSourceSeconds = liftSeconds, CandidatesSeconds = candidatesSeconds, CandidateSeconds = candidateSeconds, PhaseSeconds = phases },
            Simulator = candidates.Where((_, i) => i != chosen).Aggregate(result.Record.Simulator, (sum, c) => Samples(sum, c.Samples, sum?.Name ?? string.Empty)), // every candidate's samples
        };
        return new TrainingResult(result.Policies, record);
    }

    /// <summary>
    /// The evaluator of the quick values: the caller's for <see cref="QuickValueSimulator.Robot"/> and for a game without tables
    /// (a simulator-only run), else the composed count simulator on the game's tables, with the config's threads.
    /// </summary>
    private static IPolicyEvaluator QuickEvaluator(Game game, TrainingConfig config, IPolicyEvaluator given) =>
        config.QuickSimulator == QuickValueSimulator.ComposedCount && !Simulation.SimulatorShapeGame.IsShapeOnly(game)
            ? new ComposedCountEvaluator(config.Threads == 0 ? -1 : config.Threads)
            : given;

    /// <summary>Sums of the phases of <paramref name="rounds"/> and of a lifted source's own sums.</summary>
    private static RoundTiming PhaseSums(IEnumerable<RoundTiming> rounds, RoundTiming? source)
    {
        double g = source?.GStepSeconds ?? 0, l = source?.LStepSeconds ?? 0, q = source?.QuickValueSeconds ?? 0;
        foreach (RoundTiming r in rounds)
        {
            g += r.GStepSeconds;
            l += r.LStepSeconds;
            q += r.QuickValueSeconds;
        }

        return new RoundTiming(g, l, q);
    }

    /// <summary>The robot output of the pair a portfolio returned (for a lifted winner, that of its source, recursively).</summary>
    private static LocalPolicyOutput EffectiveOutput(TrainingRecord record)
    {
        CandidateRecord? chosen = record.Candidates?.FirstOrDefault(c => c.Chosen);
        return chosen is null ? LocalPolicyOutput.Softmax
            : chosen.Start == CandidateStart.LiftedPair && record.LiftedSource is not null ? EffectiveOutput(record.LiftedSource)
            : chosen.LocalOutput;
    }

    /// <summary>
    /// The lifted pair as a policy for <paramref name="k"/>: the source's tables, none above its largest stored <c>k'</c>, so the
    /// evaluator and the firmware gateway reduce k replies to <c>k'</c> (ReplyReducer: a Floyd subsample on the gateway's stream).
    /// </summary>
    private static PolicyPair LiftedPair(PolicyPair source, int k)
    {
        var tables = new int[k - source.KMin + 1][];
        Array.Copy(source.GlobalActions, tables, source.GlobalActions.Length);
        return new PolicyPair(source.GlobalStates, source.GlobalActionCount, source.LocalStates, source.LocalActionCount, source.KMin, k, tables, source.LocalPolicy);
    }

    private static int LargestStored(PolicyPair pair)
    {
        int top = pair.KMin + pair.GlobalActions.Length - 1;
        while (pair.GlobalActions[top - pair.KMin] is null)
        {
            top--;
        }

        return top;
    }

    /// <summary>The rounds of one alternation (no export).</summary>
    private static Candidate RunRounds(Game game, TrainingConfig config, IPolicyEvaluator quickEvaluator, Simulation.IGameSimulator? simulator, IProgress<TrainingProgress>? progress, double[]? startLocalPolicy = null)
    {
        int k = config.K, g = game.GlobalStates, l = game.LocalStates, al = game.LocalActions;
        (IGlobalBestResponse gStep, ILocalBestResponse lStep) = BestResponses.Create(game, config, simulator);
        ulong lSeed = Pcg32.DeriveSeed(config.Seed, LStepTag);

        var localPolicy = new double[g * l * al];
        if (startLocalPolicy is null)
        {
            Array.Fill(localPolicy, 1.0 / al);
        }
        else
        {
            Array.Copy(startLocalPolicy, localPolicy, localPolicy.Length); // warm start from a lifted pair's π_l
        }
        Snapshot current = new(-1, null!, localPolicy, localPolicy, double.NaN);
        Snapshot? best = null;
        double[]? gWarm = null, lWarm = null;
        var rounds = new List<RoundRecord>();
        var timings = new List<RoundTiming>();
        string stopReason = "maxRounds";
        double previous = double.NaN;
        Snapshot? previousPair = null;

        for (int round = 0; round < config.MaxRounds; round++)
        {
            var watch = Stopwatch.StartNew();
            progress?.Report(new TrainingProgress(round, config.MaxRounds, "G-step", null));
            ulong gSeed = Pcg32.DeriveSeed(Pcg32.DeriveSeed(config.Seed, GStepTag), (ulong)round);
            GStepResult global = gStep.Solve(current.LocalPolicy, k, gSeed, config.GWarmStart ? gWarm : null);
            gWarm = config.GWarmStart ? global.Value : null;
            double gSeconds = watch.Elapsed.TotalSeconds;

            progress?.Report(new TrainingProgress(round, config.MaxRounds, "L-step", null));
            watch.Restart();
            LStepResult local = lStep.Solve(current.LocalPolicy, global.Actions, lSeed, config.GWarmStart ? lWarm : null);
            lWarm = local.Value;
            double lSeconds = watch.Elapsed.TotalSeconds;

            progress?.Report(new TrainingProgress(round, config.MaxRounds, "quick value", null));
            watch.Restart();
            ulong quickSeed = config.QuickSeed switch
            {
                QuickSeedRule.Round => (ulong)round,
                QuickSeedRule.Derived => Pcg32.DeriveSeed(Pcg32.DeriveSeed(config.Seed, QuickTag), (ulong)round),
                _ => Pcg32.DeriveSeed(config.Seed, QuickTag),
            };

            // This round's pair: π_g answered current.LocalPolicy; π_l answered π_g. Pairs keep π_g's actions, not V (only
            // the warm start needs V): at k = 50 each V is 12.6 MB.
            global = global with { Value = [] };
            bool fixedPoint = round > 0 && SamePair(global, local.LocalPolicy, previousPair);

            // The round that ends a fixed-point alternation returns the previous round's pair (π_g equal, π_l within 1e-6),
            // and with common quick seeds that pair's quick value is already known: reuse it instead of 100 more rollouts.
            double value;
            if (fixedPoint && config.Stop == StopRule.FixedPoint && config.QuickSeed == QuickSeedRule.Common)
            {
                value = previousPair!.Value;
            }
            else
            {
                var pair = new PolicyPair(g, game.GlobalActions, l, al, k, k, [global.ToPolicyTable(g)], local.LocalPolicy);
                value = quickEvaluator.Evaluate(game, pair, new EvaluationSettings(k, config.QuickHorizon, config.QuickRollouts, 1, quickSeed) { Timing = config.QuickTiming }).Mean;
            }

            double quickSeconds = watch.Elapsed.TotalSeconds;
            progress?.Report(new TrainingProgress(round, config.MaxRounds, "quick value", value));
            previousPair = new Snapshot(round, global, current.LocalPolicy, local.LocalPolicy, value);
            current = new Snapshot(round, global, current.LocalPolicy, local.LocalPolicy, value);
            RoundDecision decision;
            if (best == null || value > best.Value)
            {
                best = current;
                decision = RoundDecision.Improved;
            }
            else if (value < best.Value - (Math.Abs(best.Value) * config.RelativeTolerance))
            {
                current = best;
                decision = RoundDecision.Reverted;
            }
            else
            {
                decision = RoundDecision.Kept;
            }

            rounds.Add(new RoundRecord(round, value, quickSeed, decision, global.Sweeps, global.LastChange, local.Sweeps, local.LastChange, local.MeanField));
            timings.Add(new RoundTiming(gSeconds, lSeconds, quickSeconds));

            bool converged = config.Stop == StopRule.FixedPoint
                ? fixedPoint
                : round > 0 && Math.Abs(value - previous) < config.RelativeTolerance * Math.Max(Math.Abs(previous), 1e-6);
            previous = value;
            if (converged)
            {
                stopReason = config.Stop == StopRule.FixedPoint ? "fixedPoint" : "converged";
                break;
            }
        }

        Snapshot final = config.FinalPolicy == FinalPolicyRule.Best ? best! : current;
        progress?.Report(new TrainingProgress(rounds.Count, config.MaxRounds, "done", final.Value));
        return new Candidate(config, final, rounds, timings, stopReason) { Samples = BestResponses.SampleRecord(gStep, lStep, string.Empty) };
    }

    /// <summary>Exports the π_g tables for k' ∈ [KMin, k) (G-steps against the π_l the final π_g answered) and writes the record.</summary>
    private static TrainingResult Complete(Game game, TrainingConfig config, Candidate candidate, Stopwatch total, IProgress<TrainingProgress>? progress, Simulation.IGameSimulator? simulator)
    {
        int k = config.K, g = game.GlobalStates;
        progress?.Report(new TrainingProgress(config.MaxRounds, config.MaxRounds, "export", null));
        Snapshot final = candidate.Final;
        var export = Stopwatch.StartNew();
        int[] kPrimes = config.Tables == DegradationTables.Geometric
            ? [.. PolicyBudget.Geometric(k, config.KMin).Where(kp => kp < k)]
            : [.. Enumerable.Range(config.KMin, k - config.KMin)];
        int[][] others;
        SimulatorSamplesRecord? exportSamples = null;
        if (config.ModelFree is null)
        {
            others = new GStep(game, config).SolveTables(final.AnsweredLocalPolicy, kPrimes, Pcg32.DeriveSeed(config.Seed, ExportTag));
        }
        else
        {
            // Model-free: the k' tables are Q-learned from the simulator too (sequentially: one simulator, one stream per k').
            (IGlobalBestResponse exporter, ILocalBestResponse unused) = BestResponses.Create(game, config, simulator);
            // Every k' on one stream as before (the same tables), then the ones stored.
            GStepResult[] range = exporter.SolveRange(final.AnsweredLocalPolicy, config.KMin, k - 1, Pcg32.DeriveSeed(config.Seed, ExportTag));
            others = [.. kPrimes.Select(kp => range[kp - config.KMin].ToPolicyTable(g))];
            exportSamples = BestResponses.SampleRecord(exporter, unused, string.Empty);
        }

        var tables = new int[k - config.KMin + 1][]; // null where no table is stored (the degradation rule reduces past it)
        for (int i = 0; i < kPrimes.Length; i++)
        {
            tables[kPrimes[i] - config.KMin] = others[i];
        }

        tables[k - config.KMin] = final.Global.ToPolicyTable(g);
        double exportSeconds = export.Elapsed.TotalSeconds;

        var policies = new PolicyPair(g, game.GlobalActions, game.LocalStates, game.LocalActions, config.KMin, k, tables, final.LocalPolicy);
        return new TrainingResult(policies, Record(game, config, candidate, total, exportSamples, exportSeconds, simulator));
    }

    /// <summary>The training record of a candidate (no export).</summary>
    private static TrainingRecord Record(Game game, TrainingConfig config, Candidate candidate, Stopwatch total, SimulatorSamplesRecord? exportSamples, double exportSeconds = 0, Simulation.IGameSimulator? simulator = null)
    {
        Snapshot final = candidate.Final;
        using JsonDocument configJson = JsonDocument.Parse(config.ToCanonicalJson());
        return new TrainingRecord
        {
            ToolVersion = ToolVersion(),
            Game = game.Name,
            K = config.K,
            Mode = config.Mode,
            Seed = config.Seed,
            ConfigHash = config.ConfigHash(),
            Config = configJson.RootElement.Clone(),
            Rounds = candidate.Rounds,
            StopReason = candidate.StopReason,
            FinalRound = final.Round,
            FinalQuickValue = final.Value,
            Timings = new TrainingTimings(candidate.Timings, exportSeconds, total.Elapsed.TotalSeconds),
            Simulator = Samples(candidate.Samples, exportSamples, simulator?.Info.Name ?? game.Name),
        };
    }

    /// <summary>True when this round's π_g equals the previous round's and π_l is within 1e-6 of it per entry (VI tolerances make exact equality of softmax outputs unlikely).</summary>
    private static bool SamePair(GStepResult global, double[] localPolicy, Snapshot? previous)
    {
        if (previous == null || !global.Actions.AsSpan().SequenceEqual(previous.Global.Actions))
        {
            return false;
        }

        for (int i = 0; i < localPolicy.Length; i++)
        {
            if (Math.Abs(localPolicy[i] - previous.LocalPolicy[i]) > 1e-6)
            {
                return false;
            }
        }

        return true;
    }

    private static string ToolVersion()
    {
        Assembly assembly = typeof(AlternatingMarl).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
    }

    /// <summary>A pair and what it was computed from.</summary>
    /// <param name="Round">Round that produced it.</param>
    /// <param name="Global">π_g (G-step result for k).</param>
    /// <param name="AnsweredLocalPolicy">The π_l that π_g is a best response to.</param>
    /// <param name="LocalPolicy">π_l of the pair.</param>
    /// <param name="Value">Quick value.</param>
    private sealed record Snapshot(int Round, GStepResult Global, double[] AnsweredLocalPolicy, double[] LocalPolicy, double Value);

    /// <summary>One alternation's rounds and returned pair, before export.</summary>
    private sealed record Candidate(TrainingConfig Config, Snapshot Final, List<RoundRecord> Rounds, List<RoundTiming> Timings, string StopReason)
    {
        /// <summary>Gets the simulator samples of the model-free learners (null for model-based ones).</summary>
        public SimulatorSamplesRecord? Samples { get; init; }
    }

    private static SimulatorSamplesRecord? Samples(SimulatorSamplesRecord? rounds, SimulatorSamplesRecord? export, string name) =>
        rounds is null ? null : new SimulatorSamplesRecord(name, rounds.GlobalSamples + (export?.GlobalSamples ?? 0), rounds.LocalSamples + (export?.LocalSamples ?? 0));

    /// <summary>Forwards reports one at a time (the candidates of a portfolio report from two threads).</summary>
    private static string OutputName(LocalPolicyOutput output) => output == LocalPolicyOutput.Greedy ? "greedy" : "softmax";

    /// <summary>Stamps one portfolio candidate's reports with its name (they interleave with the others').</summary>
    private sealed class CandidateProgress(IProgress<TrainingProgress> inner, string candidate) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => inner.Report(value with { Candidate = candidate });
    }

    private sealed class SerializedProgress(IProgress<TrainingProgress> inner) : IProgress<TrainingProgress>
    {
        private readonly Lock _gate = new();

        public void Report(TrainingProgress value)
        {
            lock (_gate)
            {
                inner.Report(value);
            }
        }
    }
}
