namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>The live fleet size of a fixed roster: its length (simulations and tests; the ESP32 gateway uses <see cref="JoinedFleetSize"/>).</summary>
    public sealed class RosterFleetSize : ILiveFleetSize
    {
        private readonly int[] _robotIds;

        /// <summary>Initializes a new instance of the <see cref="RosterFleetSize"/> class.</summary>
        /// <param name="robotIds">The roster (kept, not copied).</param>
        public RosterFleetSize(int[] robotIds)
        {
            _robotIds = robotIds;
        }

        /// <inheritdoc/>
        public int LiveRobots
        {
            get { return _robotIds == null ? 0 : _robotIds.Length; }
        }
    }
}
