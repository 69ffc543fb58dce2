namespace EdgeMarl.Firmware.Boundary
{
    /// <summary>
    /// A radio that learns where a node is from the node's own frames (UDP: the source endpoint of its datagram), so the
    /// gateway needs no address plan. The gateway calls it only for a frame it has authenticated (a Join), so a forged
    /// frame cannot redirect a robot's traffic.
    /// </summary>
    public interface IAddressLearner
    {
        /// <summary>Binds <paramref name="nodeId"/> to the address the last received frame came from.</summary>
        /// <param name="nodeId">The sender id of that frame, verified by the caller.</param>
        void LearnSender(int nodeId);
    }
}
