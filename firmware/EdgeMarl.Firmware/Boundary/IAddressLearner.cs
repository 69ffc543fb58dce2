namespace EdgeMarl.Firmware.Boundary
{
    /// <summary>
    /// A radio that learns where a node is from the node's own frames (UDP: the source endpoint of its datagram), so the
    /// gateway needs no address plan. The gateway calls it only for a frame it has authenticated (a Join), so a forged
    /// frame cannot redirect a robot's traffic, and tells it when a robot leaves the roster, so the table holds only the
    /// robots that joined and are alive (it is sized to the roster capacity).
    /// </summary>
    public interface IAddressLearner
    {
        /// <summary>Binds <paramref name="nodeId"/> to the address the last received frame came from.</summary>
        /// <param name="nodeId">The sender id of that frame, verified by the caller.</param>
        void LearnSender(int nodeId);

        /// <summary>Drops what was learned about <paramref name="nodeId"/> (it left the roster); nothing when unknown.</summary>
        /// <param name="nodeId">The node id.</param>
        void ForgetSender(int nodeId);
    }
}
