namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// How many robots the gateway has right now: on the ESP32 gateway the robots that joined and are alive
    /// (<see cref="JoinedFleetSize"/>); <see cref="RosterFleetSize"/> for a fixed list (simulations, tests).
    /// </summary>
    public interface ILiveFleetSize
    {
        /// <summary>Gets the live fleet size.</summary>
        int LiveRobots { get; }
    }
}
