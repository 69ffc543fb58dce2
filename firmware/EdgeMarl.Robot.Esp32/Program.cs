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

namespace EdgeMarl.Robot.Esp32
{
    /// <summary>
    /// Robot entry point and board. One image for every robot: its id (or the MAC-derived one), fleet id, key, Wi-Fi, UDP
    /// port and tick period come from the provisioning record (docs/provisioning.md). The program's decisions (boot order,
    /// retries, safe action, link loss) are the portable <see cref="RobotProgram"/>, tested on the host; this class only
    /// gives it the ESP32's Wi-Fi, UDP socket, GPIO and <c>I:\</c> files (<see cref="INodePlatform"/>), and runs it under the
    /// <see cref="BootSupervisor"/> with the software watchdog (README.md, docs/protocol.md §10–11).
    /// </summary>
    public sealed class Program : Esp32Board
    {
        // ---- Wiring (README.md): ESP32-DevKitC, L298N/DRV8833 inputs, 3-bit zone reader, on-board LED. ----
        private static readonly int[] MotorPins = new int[] { 25, 26, 27, 14 };          // IN1, IN2, IN3, IN4
        private static readonly int[] ZonePins = new int[] { 18, 19, 21 };               // bit 0, bit 1, bit 2 (to GND = 1)
        private const int StatusLedPin = 2;

        // Local actions of the zones game: 0 stay, 1 step +1 (both wheels forward), 2 step −1 (both backward).
        private static readonly int[] PatternByAction = new int[] { 0b0000, 0b0101, 0b1010 };
        private const int SafeAction = 0; // stay

        private Program(GpioController gpio, DeviceSerialService serial)
            : base(gpio, serial)
        {
        }

        /// <summary>Entry point: never returns (the supervisor, or its watchdog, reboots the board when it must).</summary>
        public static void Main()
        {
            Debug.WriteLine("EdgeMarl robot");
            try
            {
                // The motors first: RobotProgram's constructor applies the safe action before anything else can fail.
                GpioController gpio = new GpioController();
                GpioActuator actuator = new GpioActuator(gpio, MotorPins, PatternByAction, StatusLedPin);
                DeviceIdentity.Boot();
                Program board = new Program(gpio, DeviceIdentity.OpenSerial(DeviceSetup.OpenUploadPort()));
                RobotProgramOptions options = new RobotProgramOptions();
                options.GatewayId = FleetSettings.GatewayId;
                options.Seed = FleetSettings.Seed;
                options.SilentTicksBeforeSafeAction = FleetSettings.SilentTicksBeforeSafeAction;
                options.SafeAction = SafeAction;
                options.SerialPollMs = FleetSettings.SerialPollMs;
                options.LinkDownTicks = FleetSettings.LinkDownTicks;
                options.LinkSilentTicks = FleetSettings.LinkSilentTicks;
                options.BootCounterFiles = new FileRecordFiles(FleetSettings.PolicyStoreRoot, "boot");
                options.EpochSeenFiles = new FileRecordFiles(FleetSettings.PolicyStoreRoot, "epoch-seen");
                options.Log = board;
                DeviceIdentity.Supervise(new RobotProgram(DeviceSetup.CreateBoot(0), board.Serial, board, actuator, board.Clock, options));
            }
            catch (System.Exception)
            {
                // Even the pins or the record files failed: reboot rather than park (the next boot may succeed).
                new EspRebooter().Reboot();
            }
        }

        /// <inheritdoc/>
        public override IRadio OpenRadio(NodeSettings settings, int peerCapacity)
        {
            try
            {
                Socket socket = UdpRadio.OpenSocket(settings.UdpPort);
                return new UdpRadio(socket, new int[] { FleetSettings.GatewayId }, new EndPoint[] { FleetSettings.GatewayEndpoint(settings.UdpPort) }, new EndPoint[0]);
            }
            catch (System.Exception)
            {
                return null;
            }
        }

        /// <inheritdoc/>
        public override object OpenSensor(int states)
        {
            return new GpioZoneSensor(Gpio, ZonePins, PinMode.InputPullUp, true, states);
        }
    }
}
