using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>What a <see cref="GatewayProgram"/> takes from its image (ESP32: <c>FleetSettings</c>); read once by its constructor.</summary>
    public sealed class GatewayProgramOptions
    {
        /// <summary>Gets or sets the gateway's node id (its record must carry it).</summary>
        public int GatewayId { get; set; }

        /// <summary>Gets or sets <c>k</c>, robots polled per tick (the roster capacity is raised to at least this).</summary>
        public int SampleSize { get; set; }

        /// <summary>Gets or sets the reply window after the polls, in ms.</summary>
        public int ReplyWindowMs { get; set; } = 60;

        /// <summary>Gets or sets the fleet seed (the gateway's sampling stream).</summary>
        public ulong Seed { get; set; }

        /// <summary>Gets or sets the ticks between two fleet-size checks.</summary>
        public int FleetSizeCheckTicks { get; set; } = 50;

        /// <summary>Gets or sets the UART slice length while waiting for the next tick, in ms.</summary>
        public int SerialPollMs { get; set; } = 10;

        /// <summary>Gets or sets the ticks without a network address before the link counts as lost (<see cref="LinkMonitor"/>).</summary>
        public int LinkDownTicks { get; set; } = 5;

        /// <summary>Gets or sets the two record copies of the gateway's epoch (docs/protocol.md §6).</summary>
        public IRecordFiles EpochFiles { get; set; }

        /// <summary>Gets or sets the fault counters the fleet-size warning is counted in.</summary>
        public FaultCounters Faults { get; set; }

        /// <summary>Gets or sets the health the fleet sizes are shown in (device-info).</summary>
        public NodeHealth Health { get; set; }

        /// <summary>Gets or sets where operator lines go, or null.</summary>
        public INodeLog Log { get; set; }
    }
}
