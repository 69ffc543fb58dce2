using EdgeMarl.Firmware.Nodes;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>The live fleet size of a gateway: the robots that joined and are alive (its roster, docs/protocol.md §6).</summary>
    public sealed class JoinedFleetSize : ILiveFleetSize
    {
        private readonly GatewayNode _gateway;

        /// <summary>Initializes a new instance of the <see cref="JoinedFleetSize"/> class.</summary>
        /// <param name="gateway">The gateway node.</param>
        public JoinedFleetSize(GatewayNode gateway)
        {
            _gateway = gateway;
        }

        /// <inheritdoc/>
        public int LiveRobots
        {
            get { return _gateway.RosterCount; }
        }
    }
}
