using System.Device.Gpio;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeMarl.Esp32;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Hardware;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Gateway.Esp32
{
    /// <summary>
    /// Gateway entry point and board. One image for every gateway: fleet id, key, Wi-Fi, UDP port, tick period and roster
    /// capacity come from the provisioning record (docs/provisioning.md). The program's decisions (boot order, retries, the
    /// radio rollout to the live joined roster, link loss, the fleet-size warning) are the portable
    /// <see cref="GatewayProgram"/>, tested on the host; this class only gives it the ESP32's Wi-Fi, UDP socket, GPIO and
    /// <c>I:\</c> files (<see cref="INodePlatform"/>) and runs it under the <see cref="BootSupervisor"/> with the software
    /// watchdog (README.md, docs/protocol.md §10–11).
    /// </summary>
    public sealed class Program : Esp32Board
    {
        // ---- Wiring (README.md): 3-bit global-zone input, on-board LED as "decided from the table" indicator. ----
        private static readonly int[] GlobalStatePins = new int[] { 18, 19, 21 };
        private const int StatusLedPin = 2;

        private Program(GpioController gpio, DeviceSerialService serial)
            : base(gpio, serial)
        {
        }

        /// <summary>Entry point: never returns (the supervisor, or its watchdog, reboots the board when it must).</summary>
        public static void Main()
        {
            Debug.WriteLine("EdgeMarl gateway");
            try
            {
                GpioController gpio = new GpioController();
                DeviceIdentity.Boot();
                Program board = new Program(gpio, DeviceIdentity.OpenSerial(DeviceSetup.OpenUploadPort()));
                GatewayProgramOptions options = new GatewayProgramOptions();
                options.GatewayId = FleetSettings.GatewayId;
                options.SampleSize = FleetSettings.SampleSize;
                options.ReplyWindowMs = FleetSettings.ReplyWindowMs;
                options.Seed = FleetSettings.Seed;
                options.FleetSizeCheckTicks = FleetSettings.FleetSizeCheckTicks;
                options.SerialPollMs = FleetSettings.SerialPollMs;
                options.LinkDownTicks = FleetSettings.LinkDownTicks;
                options.EpochFiles = new FileRecordFiles(FleetSettings.PolicyStoreRoot, "epoch");
                options.Faults = DeviceIdentity.Faults;
                options.Health = DeviceIdentity.Health;
                options.Log = board;
                GpioActuator led = new GpioActuator(gpio, new int[0], new int[0], StatusLedPin);
                DeviceIdentity.Supervise(new GatewayProgram(DeviceSetup.CreateBoot(FleetSettings.SampleSize), board.Serial, board, led, board.Clock, options));
            }
            catch (System.Exception)
            {
                // Even the record files could not be opened: reboot rather than park (the next boot may succeed).
                new EspRebooter().Reboot();
            }
        }

        /// <inheritdoc/>
        public override IRadio OpenRadio(NodeSettings settings, int peerCapacity)
        {
            // No robot addresses at start: each one is learned from its authenticated join and forgotten when it leaves.
            try
            {
                Socket socket = UdpRadio.OpenSocket(settings.UdpPort);
                return new UdpRadio(
                    socket,
                    new int[0],
                    new EndPoint[0],
                    new EndPoint[] { new IPEndPoint(IPAddress.Parse(FleetSettings.BroadcastAddress), settings.UdpPort) },
                    peerCapacity);
            }
            catch (System.Exception)
            {
                return null;
            }
        }

        /// <inheritdoc/>
        public override object OpenSensor(int states)
        {
            return new GpioZoneSensor(Gpio, GlobalStatePins, PinMode.InputPullUp, true, states);
        }
    }
}
