using EdgeMarl.Firmware.Boundary;

namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>Configuration of a <see cref="GatewayNode"/>; read once by its constructor.</summary>
    public sealed class GatewayOptions
    {
        /// <summary>Gets or sets the gateway's node id (sender id of its frames), 0 … 65,535.</summary>
        public int GatewayId { get; set; }

        /// <summary>
        /// Gets or sets an optional allow-list: when set, only these robot ids (each 0 … 65,535, none equal to the gateway
        /// id) may join. Null: any robot holding the fleet key may join (up to <see cref="MaxRobots"/>). Either way the
        /// roster is the robots that joined and are alive; nobody is polled before it joins.
        /// </summary>
        public int[] RobotIds { get; set; }

        /// <summary>Gets or sets the roster capacity (robots joined at once); 0 means the allow-list's length, or 1,024 without one.</summary>
        public int MaxRobots { get; set; }

        /// <summary>Gets or sets <c>k</c>, how many robots are polled per tick (at most the roster capacity and the policy's <c>K</c>; fewer while fewer robots have joined).</summary>
        public int SampleSize { get; set; }

        /// <summary>Gets or sets how long after the tick starts reports are accepted, in milliseconds.</summary>
        public int ReplyWindowMs { get; set; } = 50;

        /// <summary>Gets or sets the seed of the gateway's sampling PRNG (<c>Pcg32(Seed)</c>): same seed, same polls.</summary>
        public ulong Seed { get; set; }

        /// <summary>Gets or sets the global action used by the fallback before any table lookup has succeeded.</summary>
        public int InitialGlobalAction { get; set; }

        /// <summary>Gets or sets the tick before the first one (the first tick is <c>FirstTick + 1</c>).</summary>
        public uint FirstTick { get; set; }

        /// <summary>
        /// Gets or sets the frame counter (epoch persisted in two copies, docs/protocol.md §6), shared with the policy
        /// disseminator. Null: an in-RAM session at epoch 1 starting after <see cref="FirstSequence"/> (simulations, tests).
        /// </summary>
        public GatewaySession Session { get; set; }

        /// <summary>Gets or sets the sequence before the first frame when <see cref="Session"/> is null.</summary>
        public uint FirstSequence { get; set; }

        /// <summary>Gets or sets how many joins are answered per tick (and per <see cref="GatewayNode.ServeJoins"/> call), at least 1; further joins wait for the robots' retry.</summary>
        public int JoinAcceptsPerTick { get; set; } = 16;

        /// <summary>Gets or sets how many ticks a robot stays in the roster after its last join or report without a renewed join (robots renew at half of it).</summary>
        public uint LeaseTicks { get; set; } = 3000;

        /// <summary>Gets or sets the radio's address learner (UDP: learns a robot's endpoint from its authenticated join), or null.</summary>
        public IAddressLearner AddressLearner { get; set; }
    }
}
