// docs/design.md §3: training yields the policies (π_g per k' ≤ k, π_l) and the training record.
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Host.Training;

/// <summary>The outcome of <c>AlternatingMarl.Train</c>.</summary>
/// <param name="Policies">π_g for every k' in [kMin, k] and π_l.</param>
/// <param name="Record">The training record.</param>
public sealed record TrainingResult(PolicyPair Policies, TrainingRecord Record);

/// <summary>Progress of training, reported once per phase.</summary>
/// <param name="Round">0-based round (or MaxRounds during export).</param>
/// <param name="MaxRounds">Round cap.</param>
/// <param name="Phase">"G-step", "L-step", "quick value", "done" (a candidate stopped; Round = its rounds), "export".</param>
/// <param name="QuickValue">The round's quick value once known (for "done": the candidate's best).</param>
public sealed record TrainingProgress(int Round, int MaxRounds, string Phase, double? QuickValue)
{
    /// <summary>Gets which candidate of the portfolio reports ("softmax", "greedy", "lifted k'=25"; null without a portfolio).</summary>
    /// <remarks>The candidates run side by side, so their reports interleave: a view must tell them apart by this, not by order.</remarks>
    public string? Candidate { get; init; }
}
