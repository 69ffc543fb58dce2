namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// Lets another component tell a <see cref="RobotNode"/> to apply its safe action instead of <c>π_l</c>, e.g. the
    /// radio policy receiver while the robot is a rollout straggler (the fleet switched, it has not yet).
    /// </summary>
    public interface IActionGate
    {
        /// <summary>Gets a value indicating whether the robot must hold its safe action for now.</summary>
        bool HoldSafeAction { get; }
    }
}
