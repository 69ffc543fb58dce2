namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>Configuration of a <see cref="PolicyDisseminator"/>; read once by its constructor.</summary>
    public sealed class DisseminatorOptions
    {
        /// <summary>Gets or sets the gateway's node id.</summary>
        public int GatewayId { get; set; }

        /// <summary>Gets or sets the roster: every robot that must ack before the switch is announced.</summary>
        public int[] RobotIds { get; set; }

        /// <summary>Gets or sets the policy frames sent per tick (chunks, then one status poll); at least 1.</summary>
        public int FramesPerTick { get; set; } = 8;

        /// <summary>
        /// Gets or sets how many ticks ahead the switch is announced once every robot has acked. Every tick of the lead
        /// carries the announcement, so a robot misses the switch only if it loses all of them (probability <c>p^lead</c>).
        /// </summary>
        public int LeadTicks { get; set; } = 10;

        /// <summary>Gets or sets how many ticks after the switch the announcement keeps going out, for robots that missed it.</summary>
        public int LingerTicks { get; set; } = 20;

        /// <summary>
        /// Gets or sets after how many ticks without every ack the switch is announced anyway, at least 1, so a rollout
        /// always ends (issue 11, finding 3). Robots still missing are named stragglers; they hold their safe action from
        /// the switch tick until they catch up and switch.
        /// </summary>
        public int GiveUpTicks { get; set; } = 300;

        /// <summary>
        /// Gets or sets the gateway's frame counter, the same object as the gateway node's (<see cref="Nodes.GatewayNode.Session"/>):
        /// policy frames are ordered with polls and broadcasts by (epoch, sequence), so a robot's session floor covers them. Required.
        /// </summary>
        public Nodes.GatewaySession Session { get; set; }
    }
}
