using EdgeMarl.Host.Evaluation;

namespace EdgeMarl.Host.Fleet;

/// <summary>Which radio fabric carries the frames.</summary>
public enum FleetTransportKind
{
    /// <summary>The deterministic <c>InMemoryNetwork</c> on a simulated clock (fast; all impairments).</summary>
    Memory,

    /// <summary>Real UDP sockets on 127.0.0.1, one port per robot (loss, duplication, corruption injected on send).</summary>
    Udp,
}

/// <summary>Everything a fleet run needs besides the game and the policy (docs/fleet.md "Options").</summary>
public sealed record FleetOptions
{
    /// <summary>Gets the number of robots <c>n</c> (ids 0 … n−1; the gateway is id 65,535).</summary>
    public int Robots { get; init; } = 100;

    /// <summary>Gets the sample size <c>k</c> (default: the policy's <c>K</c>).</summary>
    public int? K { get; init; }

    /// <summary>Gets the number of episodes; episode <c>e</c> uses rollout seed <c>EvaluationSeeds.Rollout(Seed, 0, e)</c>.</summary>
    public int Episodes { get; init; } = 10;

    /// <summary>Gets the ticks per episode (the horizon <c>H</c>).</summary>
    public int Ticks { get; init; } = 50;

    /// <summary>Gets the base seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Gets the transport.</summary>
    public FleetTransportKind Transport { get; init; } = FleetTransportKind.Memory;

    /// <summary>Gets which global state conditions the robots' move (as the evaluator's setting).</summary>
    public LocalTransitionTiming Timing { get; init; } = LocalTransitionTiming.CurrentGlobalState;

    /// <summary>Gets the probability that a frame copy is lost.</summary>
    public double Loss { get; init; }

    /// <summary>Gets the probability that a frame copy is delivered twice.</summary>
    public double Duplicate { get; init; }

    /// <summary>Gets the probability that a frame copy is held back so that later frames overtake it (memory only).</summary>
    public double Reorder { get; init; }

    /// <summary>Gets the probability that one bit of a frame copy is flipped.</summary>
    public double Corrupt { get; init; }

    /// <summary>Gets the largest random delivery delay in milliseconds (memory only; uniform in [0, max]).</summary>
    public int MaxDelayMs { get; init; }

    /// <summary>Gets the probability per tick that an attacker sends forged frames (a broadcast to every robot, a poll, a report).</summary>
    public double Forge { get; init; }

    /// <summary>Gets the probability per tick that a running robot crashes; it reboots 1 … <see cref="MaxDownTicks"/> ticks later.</summary>
    public double CrashRate { get; init; }

    /// <summary>Gets the longest outage of a crashed robot, in ticks.</summary>
    public int MaxDownTicks { get; init; } = 5;

    /// <summary>Gets the probability per tick that the gateway restarts (resuming above its persisted sequence mark).</summary>
    public double GatewayRestartRate { get; init; }

    /// <summary>Gets the fleet key for HMAC frame tags, or null for CRC-only frames.</summary>
    public byte[]? Key { get; init; }

    /// <summary>Gets the gateway's reply window in milliseconds.</summary>
    public int ReplyWindowMs { get; init; } = 50;

    /// <summary>Gets the tick period in milliseconds (memory: simulated time; UDP: the gateway does not wait for it).</summary>
    public int TickPeriodMs { get; init; } = 100;

    /// <summary>Gets the robots' safe action.</summary>
    public int SafeAction { get; init; }

    /// <summary>Gets the silent ticks before a robot applies its safe action.</summary>
    public int SilentTicksBeforeSafeAction { get; init; } = 3;

    /// <summary>Gets a value indicating whether every tick is recorded (<see cref="FleetTickRecord"/>) for an equivalence check.</summary>
    public bool RecordTrace { get; init; }

    /// <summary>
    /// Gets the robot types written into the robots' provisioning records in a typed fleet run (one per robot), or null for the
    /// robots' true types (the normal case). A different array is a mis-provisioned fleet: a robot reports and acts as a type it
    /// is not (the plant still moves it by its true type).
    /// </summary>
    public int[]? ProvisionedTypes { get; init; }

    /// <summary>Gets the joins the gateway answers per tick (and per bring-up round).</summary>
    public int JoinAcceptsPerTick { get; init; } = 16;
}
