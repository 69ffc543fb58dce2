using System.Net;

namespace EdgeMarl.Esp32
{
    /// <summary>
    /// What is compiled into the image: the game it is built for, the wiring of the upload port, the flash layout, the
    /// algorithm constants every node of a fleet must share and the gateway's address. Which robots may join is not
    /// compiled in: any robot holding the fleet key, up to the gateway's provisioned roster capacity.
    /// Nothing per device and nothing secret: the fleet id, the key, the node id, Wi-Fi, the UDP port and the tick period
    /// come from the provisioning record (docs/provisioning.md, <c>NodeSettings</c>), so one image serves every robot and
    /// one every gateway. Where the record leaves a field out: an empty SSID means the network stored on the device with
    /// <c>nanoff --networkdeployment</c>; an unprovisioned bench device may take its key from <see cref="FleetKeyPath"/>
    /// (it still needs a record to join the fleet).
    /// </summary>
    public static class FleetSettings
    {
        /// <summary>Node id of the gateway (robots use any other id, 1 … 65,535); a gateway's record must carry it.</summary>
        public const int GatewayId = 0;

        /// <summary>Reply window after the polls, in milliseconds (Wi-Fi round trips are a few ms; 60 leaves margin).</summary>
        public const int ReplyWindowMs = 60;

        /// <summary>Silent ticks before a robot applies its safe action: 5 ticks (1 s at the usual 200 ms) without the gateway.</summary>
        public const int SilentTicksBeforeSafeAction = 5;

        /// <summary>
        /// Robots the gateway samples per tick, <c>k</c> (fewer while fewer robots have joined; the roster capacity, a
        /// provisioning value, is raised to at least this). The gateway's store refuses a
        /// policy with no table at or below this <c>k</c> (<c>WrongGame</c>); a policy whose largest table is below it is run
        /// by subsampling the replies to that table (a lifted policy, docs/policy-format.md).
        /// </summary>
        public const int SampleSize = 10;

        /// <summary>Ticks in a row without a network address (<c>NetworkInterface.GetIsNetworkAvailable()</c>) before a node counts its link as lost and reconnects (5 = 1 s at 200 ms).</summary>
        public const int LinkDownTicks = 5;

        /// <summary>Robot ticks in a row without a frame from the gateway before the robot reconnects its Wi-Fi (300 = 60 s at 200 ms; it holds its safe action long before).</summary>
        public const int LinkSilentTicks = 300;

        /// <summary>Longest time the supervised loop may go without feeding the software watchdog before it reboots the board, in ms.</summary>
        public const int WatchdogTimeoutMs = 150000;

        /// <summary>Gateway ticks between two fleet-size checks (50 = 10 s at 200 ms).</summary>
        public const int FleetSizeCheckTicks = 50;

        /// <summary>Fleet seed; robots derive their own streams from it (Pcg32.DeriveSeed).</summary>
        public const ulong Seed = 20261124;

        /// <summary>First three octets of the fleet subnet; the gateway is at .GatewayHost (robots get any address by DHCP and join).</summary>
        public const string Subnet = "192.168.50.";

        /// <summary>Host number of the gateway in <see cref="Subnet"/> (robots send their joins here).</summary>
        public const int GatewayHost = 10;

        /// <summary>Subnet broadcast address the gateway sends its decision to.</summary>
        public const string BroadcastAddress = "192.168.50.255";

        /// <summary>A policy file preloaded with <c>nanoff --filedeployment</c>; imported into the store at first boot.</summary>
        public const string PolicyPath = "I:\\policy.empol";

        /// <summary>Root of the policy store (two slots and two active-slot records, docs/policy-store.md), the record and the fault counters.</summary>
        public const string PolicyStoreRoot = "I:\\";

        /// <summary>
        /// Largest policy image per store slot: 112 KB, so two slots (224 KB) leave 32 KB of the 4 MB board's 256 KB
        /// <c>I:</c> to LittleFS metadata, the records, the fleet key and network settings (docs/policy-store.md).
        /// Raise it on 8/16 MB boards (2/3 MB <c>I:</c>).
        /// </summary>
        public const int PolicySlotBytes = 112 * 1024;

        /// <summary>The game this firmware is wired for (zones: 5 zones, 5 ring positions, 5 global and 3 local actions); a policy for other sizes is refused.</summary>
        public const int GameGlobalStates = 5;

        /// <summary><c>|A_g|</c> of the wired game.</summary>
        public const int GameGlobalActions = 5;

        /// <summary><c>|S_l|</c> of the wired game.</summary>
        public const int GameLocalStates = 5;

        /// <summary><c>|A_l|</c> of the wired game.</summary>
        public const int GameLocalActions = 3;

        /// <summary>
        /// UART for provisioning and policy uploads (docs/protocol.md §10): <c>COM2</c> (UART1) or <c>COM3</c> (UART2); empty
        /// disables it (then the device cannot be provisioned). Not <c>COM1</c>: that is the board's USB port, which
        /// nanoFramework's debugger owns.
        /// </summary>
        public const string UploadPort = "COM2";

        /// <summary>ESP32 pin that receives upload bytes (wire the USB-UART adapter's TX here); free on both boards' wiring.</summary>
        public const int UploadRxPin = 32;

        /// <summary>ESP32 pin that sends responses (wire the adapter's RX here).</summary>
        public const int UploadTxPin = 33;

        /// <summary>Upload baud rate; must match <c>edgemarl upload --baud</c> (115200 by default).</summary>
        public const int UploadBaudRate = 115200;

        /// <summary>
        /// Longest wait for upload bytes per serial poll, in ms: the nodes alternate between the radio and the UART in
        /// slices this long, which delays an answer to a poll by at most this much (the reply window is 60 ms).
        /// </summary>
        public const int SerialPollMs = 10;

        /// <summary>Factory key file of an unprovisioned bench device (16–32 bytes); the provisioned key wins.</summary>
        public const string FleetKeyPath = "I:\\fleet.key";

        /// <summary>Returns the gateway's UDP endpoint (startup only: allocates).</summary>
        /// <param name="udpPort">The provisioned UDP port.</param>
        /// <returns>The endpoint.</returns>
        public static IPEndPoint GatewayEndpoint(int udpPort)
        {
            return new IPEndPoint(IPAddress.Parse(Subnet + GatewayHost.ToString()), udpPort);
        }
    }
}
