namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// What the node is doing right now, for <c>edgemarl device-info</c> (docs/provisioning.md, info layout 2): written
    /// by <see cref="BootSupervisor"/> and <see cref="FleetSizeMonitor"/>, read by the <c>DeviceService</c>. Plain fields.
    /// </summary>
    public sealed class NodeHealth
    {
        /// <summary>Phases (info byte 144).</summary>
        public const int PhaseUnknown = 0, PhaseBooting = 1, PhaseRunning = 2, PhaseUnprovisioned = 3, PhaseRetrying = 4;

        /// <summary>Gets or sets the phase.</summary>
        public int Phase { get; set; }

        /// <summary>Gets or sets the cause of the last failure while <see cref="Phase"/> is <see cref="PhaseRetrying"/> (else the last one seen, or 0).</summary>
        public int RetryCause { get; set; }

        /// <summary>Gets or sets the consecutive failures (the supervisor reboots at its schedule's limit).</summary>
        public int Failures { get; set; }

        /// <summary>Gets or sets the live fleet size a gateway last measured (0: unknown or not a gateway).</summary>
        public int LiveFleetSize { get; set; }

        /// <summary>Gets or sets the fleet size <c>n</c> stamped in the policy in force (0: unknown).</summary>
        public int PolicyFleetSize { get; set; }
    }
}
