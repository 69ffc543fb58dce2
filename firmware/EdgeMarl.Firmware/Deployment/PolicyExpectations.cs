namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// The game sizes a node was built for; a policy with other sizes is refused (<c>DeployStatus.WrongGame</c>)
    /// because the node's sensors, actuators and roster would index it wrongly.
    /// </summary>
    public sealed class PolicyExpectations
    {
        /// <summary>Gets or sets <c>|S_g|</c>.</summary>
        public int GlobalStates { get; set; }

        /// <summary>Gets or sets <c>|A_g|</c>.</summary>
        public int GlobalActions { get; set; }

        /// <summary>Gets or sets <c>|S_l|</c>.</summary>
        public int LocalStates { get; set; }

        /// <summary>Gets or sets <c>|A_l|</c>.</summary>
        public int LocalActions { get; set; }

        /// <summary>
        /// Gets or sets the gateway's configured sample size <c>k</c> (0 on robots): the policy needs a table for some <c>k' ≤ k</c>
        /// with <c>k' ≥ 1</c>; the gateway subsamples its replies to the largest (a lifted policy stores none above some <c>k' &lt; k</c>).
        /// </summary>
        public int MinSampleSize { get; set; }

        /// <summary>
        /// Gets or sets the robot's provisioned type <c>τ</c> (0 on gateways and untyped robots): a policy for <c>T ≤ τ</c> types
        /// has no local rows for this robot and is refused (<c>WrongGame</c> at the header's <c>T</c> byte).
        /// </summary>
        public int RobotType { get; set; }

        /// <summary>
        /// Gets or sets the 32-byte game hash a policy must carry (its header's game hash: <c>TypedGameHash</c>, which is the
        /// plain game hash for an untyped game), or null to accept any game with the right sizes. A mismatch is <c>WrongGame</c>
        /// at the hash's offset: a policy trained for another fleet.
        /// </summary>
        public byte[] GameHash { get; set; }
    }
}
