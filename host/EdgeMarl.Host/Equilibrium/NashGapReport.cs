namespace EdgeMarl.Host.Equilibrium;

/// <summary>
/// The exact Nash gap of a policy pair on a tiny game (docs/nash-gap.md): the joint value, both unilateral best
/// responses (each the joint value the deviator reaches), and <c>ε</c>. All values are infinite-horizon discounted
/// joint values <c>J = E[Σ_{t≥0} γ^t (r_g + (1/n) Σ_i r_l)]</c> from the game's initial distribution.
/// </summary>
public sealed class NashGapReport
{
    /// <summary>Gets the gateway's sample size <c>k</c> the pair was evaluated at.</summary>
    public required int K { get; init; }

    /// <summary>Gets the fleet size <c>n</c>.</summary>
    public required int AgentCount { get; init; }

    /// <summary>Gets the states of the gateway's deviation MDP, <c>|S_g|·C(n+L−1, L−1)</c>.</summary>
    public required int GatewayStates { get; init; }

    /// <summary>Gets the states of the robot's deviation MDP, <c>|S_g|·L·C(n+L−2, L−1)</c>.</summary>
    public required int RobotStates { get; init; }

    /// <summary>Gets <c>J(π_g, π_l)</c>, solved on the gateway's chain <c>(s_g, N)</c>.</summary>
    public required double JointValue { get; init; }

    /// <summary>Gets <c>J(π_g, π_l)</c> solved again on the robot's chain <c>(s_g, s_d, M)</c> with the deviator on <c>π_l</c> (a consistency check; equal up to round-off).</summary>
    public required double JointValueOnRobotChain { get; init; }

    /// <summary>Gets <c>J(BR_g, π_l)</c> over all gateway policies that see <c>(s_g, N)</c> (the optimum of the gateway MDP; bounds every <c>k</c>).</summary>
    public required double GatewayBestResponse { get; init; }

    /// <summary>Gets the full-observation best response: <c>a_g</c> per state <c>s_g·|N| + rank(N)</c>.</summary>
    public required IReadOnlyList<int> GatewayBestResponseActions { get; init; }

    /// <summary>Gets the best <c>J</c> over deterministic tables <c>π(s_g, c)</c> on the <c>k</c>-sample, by enumeration; null when skipped.</summary>
    public double? GatewaySampledBestResponse { get; init; }

    /// <summary>Gets the maximising <c>π(s_g, c)</c> table (PolicyPair layout for <c>k</c>); null when skipped.</summary>
    public IReadOnlyList<int>? GatewaySampledBestResponseTable { get; init; }

    /// <summary>Gets <c>J(π_g, BR_l)</c> over all deviator policies that see <c>(s_g, s_d, M)</c> (the optimum of the robot MDP).</summary>
    public required double RobotBestResponse { get; init; }

    /// <summary>Gets the robot's best response: <c>a_d</c> per state <c>(s_g·L + s_d)·|M| + rank(M)</c>.</summary>
    public required IReadOnlyList<int> RobotBestResponseActions { get; init; }

    /// <summary>Gets the best <c>J</c> over deterministic deviator tables <c>σ(s_g, s_l)</c> (π_l's own class), by enumeration; null when skipped.</summary>
    public double? RobotLocalBestResponse { get; init; }

    /// <summary>Gets the maximising <c>σ(s_g, s_l)</c> table, flat <c>[s_g, s_l]</c>; null when skipped.</summary>
    public IReadOnlyList<int>? RobotLocalBestResponseTable { get; init; }

    /// <summary>Gets why a restricted best response was skipped (the enumeration limit), or null.</summary>
    public string? SkippedReason { get; init; }

    /// <summary>Gets <c>J(BR_g, π_l) − J(π_g, π_l)</c> (full observation).</summary>
    public double GatewayGain => GatewayBestResponse - JointValue;

    /// <summary>Gets <c>J(π_g, BR_l) − J(π_g, π_l)</c> (deviator sees <c>(s_g, s_d, M)</c>).</summary>
    public double RobotGain => RobotBestResponse - JointValue;

    /// <summary>
    /// Gets <c>n · RobotGain</c>: the robot's gain in units of one robot's own reward (its own reward enters <c>J</c>
    /// with weight <c>1/n</c>), for comparing games of different <c>n</c>. Not part of <see cref="Epsilon"/>.
    /// </summary>
    public double RobotGainPerRobot => AgentCount * RobotGain;

    /// <summary>Gets <c>ε = max(GatewayGain, RobotGain)</c>: the Nash gap (docs/design.md §2, docs/nash-gap.md §1).</summary>
    public double Epsilon => Math.Max(GatewayGain, RobotGain);

    /// <summary>
    /// Gets the gap within the policy classes the pair itself lives in (gateway on the <c>k</c>-sample, robot on
    /// <c>(s_g, s_l)</c>, both deterministic): <c>max(GatewaySampledBestResponse, RobotLocalBestResponse) − J</c>; null when either was skipped.
    /// </summary>
    public double? EpsilonRestricted =>
        GatewaySampledBestResponse is { } g && RobotLocalBestResponse is { } r ? Math.Max(g, r) - JointValue : null;
}
