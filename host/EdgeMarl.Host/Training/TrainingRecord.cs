// docs/design.md §2 Alternation: "Every round is recorded." The JSON training record written beside the policies.
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeMarl.Host.Training;

/// <summary>What the alternation did with a round's pair.</summary>
public enum RoundDecision
{
    /// <summary>Best quick value so far: it becomes the best pair.</summary>
    Improved = 0,

    /// <summary>Not better, but within rtol of the best: training continues from it.</summary>
    Kept = 1,

    /// <summary>Worse than the best by more than rtol: training continues from the best pair.</summary>
    Reverted = 2,
}

/// <summary>One alternation round (deterministic part).</summary>
/// <param name="Round">0-based round index.</param>
/// <param name="QuickValue">Quick joint value of the round's pair.</param>
/// <param name="QuickSeed">Seed the quick value used.</param>
/// <param name="Decision">Improved, kept or reverted.</param>
/// <param name="GSweeps">G-step sweeps run.</param>
/// <param name="GLastChange">G-step max |ΔV| of the last sweep.</param>
/// <param name="LSweeps">L-step sweeps run.</param>
/// <param name="LLastChange">L-step max |ΔV| of the last sweep.</param>
/// <param name="MeanField">μ(s_l|s_g) the L-step used, flat [s_g, s_l].</param>
public sealed record RoundRecord(int Round, double QuickValue, ulong QuickSeed, RoundDecision Decision, int GSweeps, double GLastChange, int LSweeps, double LLastChange, double[] MeanField);

/// <summary>Wall-clock timings of one round, in seconds.</summary>
/// <param name="GStepSeconds">G-step.</param>
/// <param name="LStepSeconds">L-step.</param>
/// <param name="QuickValueSeconds">Quick value.</param>
public sealed record RoundTiming(double GStepSeconds, double LStepSeconds, double QuickValueSeconds);

/// <summary>What the model-free learners drew from their simulator.</summary>
/// <param name="Name">The simulator's game name (its hello).</param>
/// <param name="GlobalSamples">step_global samples.</param>
/// <param name="LocalSamples">step_local samples.</param>
public sealed record SimulatorSamplesRecord(string Name, long GlobalSamples, long LocalSamples);

/// <summary>Timings, kept apart from the deterministic record so that a byte comparison can leave them out.</summary>
/// <param name="Rounds">Per round.</param>
/// <param name="ExportSeconds">G-steps for the other k' of the export.</param>
/// <param name="TotalSeconds">Whole training.</param>
public sealed record TrainingTimings(IReadOnlyList<RoundTiming> Rounds, double ExportSeconds, double TotalSeconds)
{
    /// <summary>Gets the seconds spent obtaining the lifted pair (its training, or 0 when reused from a LiftCache), which runs beside the alternations from uniform robots; null without lifting.</summary>
    public double? LiftedSourceSeconds { get; init; }

    /// <summary>Gets the seconds of the alternations at k (all candidates, side by side, the lifted pair's training included) and the lifted pair's quick value; null without lifting.</summary>
    public double? CandidatesSeconds { get; init; }

    /// <summary>
    /// Gets the G-step, L-step and quick-value seconds summed over every round of every alternation this training ran: all
    /// candidates, the lifted pair's quick value at k (as quick value) and, recursively, the lifted chain; null without a portfolio.
    /// Phases of alternations that run side by side overlap in wall time, so on several cores the sums exceed the total.
    /// </summary>
    public RoundTiming? PhaseSeconds { get; init; }

    /// <summary>Gets each alternation's own wall time (for the one warm started from the lifted pair: after that pair was trained), in the order of <see cref="TrainingRecord.Candidates"/>; null without a portfolio.</summary>
    public IReadOnlyList<double>? CandidateSeconds { get; init; }
}

/// <summary>Where a candidate of the portfolio started.</summary>
public enum CandidateStart
{
    /// <summary>An alternation at k from uniform robots (π_l uniform).</summary>
    Uniform = 0,

    /// <summary>An alternation at k warm started from the lifted pair's π_l.</summary>
    Lifted = 1,

    /// <summary>No training at k: the pair trained at <see cref="CandidateRecord.FromK"/>, its gateway subsampling its k replies to that k'.</summary>
    LiftedPair = 2,
}

/// <summary>One candidate of a robot-output portfolio.</summary>
/// <param name="LocalOutput">The candidate's robot policy output.</param>
/// <param name="FinalQuickValue">Its final quick value at k (common random numbers for all candidates).</param>
/// <param name="Rounds">Its number of rounds at k (0 for the lifted pair).</param>
/// <param name="Chosen">Whether its pair was returned.</param>
public sealed record CandidateRecord(LocalPolicyOutput LocalOutput, double FinalQuickValue, int Rounds, bool Chosen)
{
    /// <summary>Gets where the candidate started; null (not written) for the uniform start, as in records before lifting.</summary>
    public CandidateStart? Start { get; init; }

    /// <summary>Gets the k' of the lifted pair (for <see cref="CandidateStart.Lifted"/> and <see cref="CandidateStart.LiftedPair"/>), else null.</summary>
    public int? FromK { get; init; }
}

/// <summary>
/// The training record. Everything but <see cref="Timings"/> is a function of (game, config): same seed, same bytes
/// of <see cref="ToJson"/> with <c>includeTimings: false</c>, whatever the thread count.
/// </summary>
public sealed record TrainingRecord
{
    /// <summary>The record's JSON options (camelCase, nulls left out, enum words); timings.json uses them too.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Gets the EdgeMarl.Host version that trained.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>Gets the game's name.</summary>
    public required string Game { get; init; }

    /// <summary>Gets k.</summary>
    public required int K { get; init; }

    /// <summary>Gets the G-step mode.</summary>
    public required GStepMode Mode { get; init; }

    /// <summary>Gets the training seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Gets the SHA-256 of the canonical config JSON.</summary>
    public required string ConfigHash { get; init; }

    /// <summary>Gets the canonical config (every setting but the thread count).</summary>
    public required JsonElement Config { get; init; }

    /// <summary>Gets every round.</summary>
    public required IReadOnlyList<RoundRecord> Rounds { get; init; }

    /// <summary>Gets why training stopped: "converged" (quick values within rtol), "fixedPoint" (pair unchanged) or "maxRounds".</summary>
    public required string StopReason { get; init; }

    /// <summary>Gets the round whose pair was returned.</summary>
    public required int FinalRound { get; init; }

    /// <summary>Gets the quick value of the returned pair.</summary>
    public required double FinalQuickValue { get; init; }

    /// <summary>
    /// Gets, when <see cref="TrainingConfig.RobotOutputPortfolio"/> is on, each candidate's robot output, final quick value
    /// and rounds (the returned pair is the chosen one; <see cref="Rounds"/> are its rounds); otherwise null.
    /// </summary>
    public IReadOnlyList<CandidateRecord>? Candidates { get; init; }

    /// <summary>
    /// Gets, when the lifted pair won (<see cref="CandidateStart.LiftedPair"/>), the largest <c>k'</c> with a stored table: the
    /// policies store no table above it, so a gateway that polls k subsamples its replies to it (docs/policy-format.md
    /// "Degradation tables"). <see cref="Rounds"/>, <see cref="StopReason"/> are then the best alternation at k's, and
    /// <see cref="FinalRound"/> is −1. Null otherwise.
    /// </summary>
    public int? LiftedFrom { get; init; }

    /// <summary>Gets the record of the training at the lifted <c>k'</c> (itself possibly lifted), or null without lifting.</summary>
    public TrainingRecord? LiftedSource { get; init; }

    /// <summary>Gets, for the model-free learners, the simulator and the samples drawn from it (all rounds and export); otherwise null.</summary>
    public SimulatorSamplesRecord? Simulator { get; init; }

    /// <summary>Gets the timings (not deterministic), or null.</summary>
    public TrainingTimings? Timings { get; init; }

    /// <summary>Serialises to indented JSON (camelCase, enums as names, round-trip doubles, invariant culture).</summary>
    /// <param name="includeTimings">False for the deterministic form compared byte for byte.</param>
    /// <returns>JSON text.</returns>
    public string ToJson(bool includeTimings = true)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // STJ is invariant already; belt and braces
            return JsonSerializer.Serialize(includeTimings ? this : this with { Timings = null }, JsonOptions);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    /// <summary>Reads a record written by <see cref="ToJson"/>.</summary>
    /// <param name="json">JSON text.</param>
    /// <returns>The record.</returns>
    public static TrainingRecord FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingRecord>(json, JsonOptions) ?? throw new JsonException("training record: empty JSON");
}
