namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>Configuration of a <see cref="RobotNode"/>; read once by its constructor.</summary>
    public sealed class RobotOptions
    {
        /// <summary>Gets or sets this robot's node id, 0 … 65,535.</summary>
        public int RobotId { get; set; }

        /// <summary>Gets or sets the gateway's node id; frames from any other sender are ignored.</summary>
        public int GatewayId { get; set; }

        /// <summary>
        /// Gets or sets the fleet seed; the robot's PRNG is <c>Pcg32(DeriveSeed(Seed, RobotId))</c>, so one
        /// configured seed gives every robot its own reproducible stream.
        /// </summary>
        public ulong Seed { get; set; }

        /// <summary>Gets or sets the length of one robot tick in milliseconds (<see cref="RobotNode.Tick"/>; normally the gateway's tick period).</summary>
        public int TickPeriodMs { get; set; } = 100;

        /// <summary>Gets or sets after how many consecutive ticks without an accepted broadcast the safe action is applied (at least 1).</summary>
        public int SilentTicksBeforeSafeAction { get; set; } = 5;

        /// <summary>Gets or sets the local action applied when the gateway is silent or inputs are invalid (e.g. "stay").</summary>
        public int SafeAction { get; set; }

        /// <summary>Gets or sets a gate that can make the robot apply its safe action instead of <c>π_l</c> (e.g. the radio policy receiver), or null.</summary>
        public IActionGate ActionGate { get; set; }

        /// <summary>
        /// Gets or sets the robot's session with the gateway (shared with its radio policy receiver), or null to make one from
        /// <see cref="NonceSeed"/> and <see cref="LastKnownEpoch"/>.
        /// </summary>
        public RobotSession Session { get; set; }

        /// <summary>Gets or sets the seed of the join nonces when <see cref="Session"/> is null; must differ on every boot (boot counter ⊕ entropy).</summary>
        public ulong NonceSeed { get; set; }

        /// <summary>Gets or sets the highest gateway epoch the robot knew before this boot (persisted), when <see cref="Session"/> is null.</summary>
        public uint LastKnownEpoch { get; set; }

        /// <summary>
        /// Gets or sets the robot's type <c>τ</c> (its provisioning record, docs/provisioning.md; 0 for an untyped fleet). The robot
        /// reports <c>x = τ·|S_l| + s_l</c> and draws from row <c>x</c> of a typed policy; a type the policy does not have
        /// (<c>τ ≥ T</c>) is a fault: no report, the safe action (<see cref="RobotNode.TypeFaults"/>).
        /// </summary>
        public int RobotType { get; set; }

        /// <summary>Gets or sets the sequence before the robot's first frame.</summary>
        public uint FirstSequence { get; set; }
    }
}
