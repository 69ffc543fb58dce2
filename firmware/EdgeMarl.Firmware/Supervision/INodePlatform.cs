using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// What a node program needs from its board, so that the program's decisions (boot order, retries, safe action, link
    /// loss) are portable and tested on the host: ESP32 (<c>firmware/Esp32Common</c>: Wi-Fi, UDP, GPIO, <c>I:\</c>) or a
    /// host fake. Every method may fail by returning false/null or by throwing; the program turns either into a fault cause.
    /// </summary>
    public interface INodePlatform
    {
        /// <summary>Returns the Wi-Fi MAC (6 bytes, for a MAC-derived robot id), or null.</summary>
        /// <returns>The MAC or null.</returns>
        byte[] ReadMac();

        /// <summary>Joins the network with DHCP (the provisioned SSID, or the one stored on the device), waiting a bounded time.</summary>
        /// <param name="settings">The node's settings.</param>
        /// <returns>True when the node has an address.</returns>
        bool ConnectNetwork(NodeSettings settings);

        /// <summary>Gets a value indicating whether the network interface has an address now (checked once per tick; cheap, no allocation).</summary>
        bool NetworkUp { get; }

        /// <summary>Opens the node's radio on the provisioned UDP port (robot: unicast to the gateway; gateway: learning robots' addresses).</summary>
        /// <param name="settings">The node's settings.</param>
        /// <param name="peerCapacity">How many robot addresses the radio must be able to learn (the gateway's roster capacity; 0 on robots).</param>
        /// <returns>The radio (on a gateway also an <see cref="IAddressLearner"/> when addresses must be learned), or null when it cannot be opened.</returns>
        IRadio OpenRadio(NodeSettings settings, int peerCapacity);

        /// <summary>Opens the node's state sensor (robot: <c>s_l</c>; gateway: <c>s_g</c>).</summary>
        /// <param name="states">How many states the policy has.</param>
        /// <returns>The sensor (an object implementing <see cref="ILocalStateSensor"/> on robots, <see cref="IGlobalStateSensor"/> on gateways).</returns>
        object OpenSensor(int states);

        /// <summary>Makes the frame authenticator (HMAC-SHA256 tags, docs/protocol.md §5) for the fleet key.</summary>
        /// <param name="key">The fleet key.</param>
        /// <returns>The authenticator.</returns>
        IFrameAuthenticator CreateFrameAuthenticator(byte[] key);

        /// <summary>Returns fresh entropy for nonces and epochs (boot timing, the runtime's random source).</summary>
        /// <returns>Entropy bits.</returns>
        ulong Entropy();

        /// <summary>Sleeps about <paramref name="milliseconds"/> without serving the serial port (a gateway with an announced switch).</summary>
        /// <param name="milliseconds">How long.</param>
        void Sleep(int milliseconds);

        /// <summary>Waits about <paramref name="milliseconds"/> while serving the serial port.</summary>
        /// <param name="milliseconds">How long.</param>
        /// <returns>True when an operator provisioned the device or an upload was verified meanwhile.</returns>
        bool Wait(int milliseconds);
    }
}
