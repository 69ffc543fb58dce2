namespace EdgeMarl.Host.Policies;

/// <summary>A trained policy pair with what export needs to stamp on the file (the content of <c>policies.json</c>).</summary>
/// <param name="Pair">The policies.</param>
/// <param name="GameName">Game name.</param>
/// <param name="GameHash">SHA-256 of the game tables (<see cref="Games.GameHash"/>), 32 bytes.</param>
/// <param name="ConfigHash">Hash of the training configuration, 32 bytes.</param>
/// <param name="AgentCount">Fleet size <c>n</c>.</param>
/// <param name="RobotTypes">
/// Robot types <c>T</c> of a typed pair (docs/heterogeneity.md §8): its local states are the <c>T·|S_l|</c> classes <c>x = τ·|S_l| + s_l</c>
/// and <paramref name="GameHash"/> is the <c>TypedGameHash</c>; 1 for an ordinary pair.
/// </param>
public sealed record TrainedPolicy(PolicyPair Pair, string GameName, byte[] GameHash, byte[] ConfigHash, int AgentCount, int RobotTypes = 1);
