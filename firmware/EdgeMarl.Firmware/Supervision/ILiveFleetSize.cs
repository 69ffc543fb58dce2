namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// How many robots the gateway has right now (joined and alive). Today the gateway's static roster
    /// (<see cref="RosterFleetSize"/>); the join protocol feeds it from the robots that joined and are alive.
    /// </summary>
    public interface ILiveFleetSize
    {
        /// <summary>Gets the live fleet size.</summary>
        int LiveRobots { get; }
    }
}
