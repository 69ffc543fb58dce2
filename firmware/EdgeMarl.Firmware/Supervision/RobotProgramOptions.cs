using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>What a <see cref="RobotProgram"/> takes from its image (ESP32: <c>FleetSettings</c>); read once by its constructor.</summary>
    public sealed class RobotProgramOptions
    {
        /// <summary>Gets or sets the gateway's node id.</summary>
        public int GatewayId { get; set; }

        /// <summary>Gets or sets the fleet seed (robots derive their streams from it).</summary>
        public ulong Seed { get; set; }

        /// <summary>Gets or sets the silent ticks after which the robot applies its safe action.</summary>
        public int SilentTicksBeforeSafeAction { get; set; } = 5;

        /// <summary>Gets or sets the safe action (held at power-up, during every retry, and when the gateway goes silent).</summary>
        public int SafeAction { get; set; }

        /// <summary>Gets or sets the radio/UART slice length while serving the upload port, in ms.</summary>
        public int SerialPollMs { get; set; } = 10;

        /// <summary>Gets or sets the ticks without a network address before the link counts as lost (<see cref="LinkMonitor"/>).</summary>
        public int LinkDownTicks { get; set; } = 5;

        /// <summary>Gets or sets the ticks without a frame from the gateway before the network is reconnected; 0 disables.</summary>
        public int LinkSilentTicks { get; set; } = 300;

        /// <summary>Gets or sets the two record copies of the boot counter (join nonces never repeat across boots).</summary>
        public IRecordFiles BootCounterFiles { get; set; }

        /// <summary>Gets or sets the two record copies of the highest gateway epoch seen.</summary>
        public IRecordFiles EpochSeenFiles { get; set; }

        /// <summary>Gets or sets where operator lines go, or null.</summary>
        public INodeLog Log { get; set; }
    }
}
