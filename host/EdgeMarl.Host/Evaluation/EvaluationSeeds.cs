using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// How an evaluation's seeds are derived, so that every rollout has its own generators whatever thread runs it.
/// </summary>
/// <remarks>
/// Rollout seed <c>ρ = DeriveSeed(DeriveSeed(seed, seedIndex), rolloutIndex)</c>. Inside a rollout each role gets
/// its own <see cref="Pcg32"/> (seed, stream): the environment <c>(DeriveSeed(ρ, 0), 0)</c>, the gateway
/// <c>(DeriveSeed(ρ, 1), 1)</c>, robot <c>i</c> <c>(DeriveSeed(ρ, 2 + i), 2 + i)</c>. Separate roles are what make a
/// replay against the firmware possible: the gateway node and each robot node own their generators.
/// </remarks>
public static class EvaluationSeeds
{
    /// <summary>Stream (and derivation index) of the environment's generator.</summary>
    public const ulong EnvironmentStream = 0;

    /// <summary>Stream (and derivation index) of the gateway's generator.</summary>
    public const ulong GatewayStream = 1;

    /// <summary>Stream (and derivation index) of robot 0's generator; robot <c>i</c> uses this plus <c>i</c>.</summary>
    public const ulong FirstRobotStream = 2;

    /// <summary>
    /// Device-exact mode: the seed configured on the gateway node (<c>GatewayOptions.Seed</c>) for rollout <c>ρ</c>; the node's
    /// sampler is <c>Pcg32(seed)</c> on stream 0, because a node takes one seed, not a (seed, stream) pair.
    /// </summary>
    /// <param name="rolloutSeed">The rollout's seed <c>ρ</c>.</param>
    /// <returns><c>DeriveSeed(ρ, GatewayStream)</c>.</returns>
    public static ulong DeviceGatewaySeed(ulong rolloutSeed) => Pcg32.DeriveSeed(rolloutSeed, GatewayStream);

    /// <summary>
    /// Device-exact mode: the fleet seed configured on every robot node (<c>RobotOptions.Seed</c>) for rollout <c>ρ</c>; robot
    /// id <c>i</c> then draws from <c>Pcg32(DeriveSeed(seed, i))</c> on stream 0, as <c>RobotNode</c> derives it.
    /// </summary>
    /// <param name="rolloutSeed">The rollout's seed <c>ρ</c>.</param>
    /// <returns><c>DeriveSeed(ρ, FirstRobotStream)</c>.</returns>
    public static ulong DeviceRobotSeed(ulong rolloutSeed) => Pcg32.DeriveSeed(rolloutSeed, FirstRobotStream);

    /// <summary>Returns the seed <c>ρ</c> of rollout <paramref name="rolloutIndex"/> of seed <paramref name="seedIndex"/>.</summary>
    /// <param name="seed">The evaluation's base seed.</param>
    /// <param name="seedIndex">Seed number in <c>[0, Seeds)</c>.</param>
    /// <param name="rolloutIndex">Rollout number in <c>[0, RolloutsPerSeed)</c>.</param>
    /// <returns>The rollout's seed.</returns>
    public static ulong Rollout(ulong seed, int seedIndex, int rolloutIndex) =>
        Pcg32.DeriveSeed(Pcg32.DeriveSeed(seed, (ulong)seedIndex), (ulong)rolloutIndex);

    /// <summary>Restarts <paramref name="rng"/> as the generator of <paramref name="stream"/> in rollout <paramref name="rolloutSeed"/>.</summary>
    /// <param name="rng">Generator to reseed (no allocation).</param>
    /// <param name="rolloutSeed">The rollout's seed <c>ρ</c>.</param>
    /// <param name="stream">Role stream: environment, gateway, or <see cref="FirstRobotStream"/> + robot id.</param>
    public static void Reseed(Pcg32 rng, ulong rolloutSeed, ulong stream) =>
        rng.Reseed(Pcg32.DeriveSeed(rolloutSeed, stream), stream);

    /// <summary>
    /// Reseeds a rollout's gateway and robot generators for the way robots draw their actions: with
    /// <see cref="RobotActionDraw.DeviceExact"/> as <c>GatewayNode</c> and <c>RobotNode</c> (id <c>i</c>) seed themselves (one
    /// seed each, stream 0), else the gateway and <see cref="FirstRobotStream"/> + <c>i</c> streams of <paramref name="rolloutSeed"/>.
    /// </summary>
    /// <param name="gateway">The gateway's generator.</param>
    /// <param name="robots">Robot <c>i</c>'s generator at index <c>i</c>.</param>
    /// <param name="rolloutSeed">The rollout's seed <c>ρ</c>.</param>
    /// <param name="draws">How the robots draw their actions.</param>
    public static void ReseedAgents(Pcg32 gateway, Pcg32[] robots, ulong rolloutSeed, RobotActionDraw draws)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(robots);
        if (draws == RobotActionDraw.DeviceExact)
        {
            gateway.Reseed(DeviceGatewaySeed(rolloutSeed), 0);
            ulong fleetSeed = DeviceRobotSeed(rolloutSeed);
            for (int i = 0; i < robots.Length; i++)
            {
                robots[i].Reseed(Pcg32.DeriveSeed(fleetSeed, (ulong)i), 0);
            }
        }
        else
        {
            Reseed(gateway, rolloutSeed, GatewayStream);
            for (int i = 0; i < robots.Length; i++)
            {
                Reseed(robots[i], rolloutSeed, FirstRobotStream + (ulong)i);
            }
        }
    }
}
