using System.Device.Gpio;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeMarl.Esp32;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Hardware;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Robot.Esp32
{
    /// <summary>
    /// Robot entry point. One image for every robot: its id (or the MAC-derived one), fleet id, key, Wi-Fi, UDP port and
    /// tick period come from the provisioning record (docs/provisioning.md). The program is a <see cref="ISupervisedNode"/>:
    /// the <see cref="BootSupervisor"/> retries every failed step with backoff, counts the cause, reboots past its limit,
    /// and the motors hold the safe action meanwhile. Policy frames from the gateway go to a RadioPolicyReceiver (the robot
    /// switches at the announced tick); between radio slices it serves the upload port (README.md, docs/protocol.md §10–11).
    /// </summary>
    public sealed class Program : ISupervisedNode
    {
        // ---- Wiring (README.md): ESP32-DevKitC, L298N/DRV8833 inputs, 3-bit zone reader, on-board LED. ----
        private static readonly int[] MotorPins = new int[] { 25, 26, 27, 14 };          // IN1, IN2, IN3, IN4
        private static readonly int[] ZonePins = new int[] { 18, 19, 21 };               // bit 0, bit 1, bit 2 (to GND = 1)
        private const int StatusLedPin = 2;

        // Local actions of the zones game: 0 stay, 1 step +1 (both wheels forward), 2 step −1 (both backward).
        private static readonly int[] PatternByAction = new int[] { 0b0000, 0b0101, 0b1010 };
        private const int SafeAction = 0; // stay

        private readonly NodeBoot _boot;
        private readonly DeviceSerialService _serial;
        private readonly GpioController _gpio;
        private readonly GpioActuator _actuator;
        private readonly SystemClock _clock = new SystemClock();
        private NodeSettings _settings;
        private bool _wifi;
        private RobotNode _robot;
        private RadioPolicyReceiver _rollout;
        private RobotSession _session;
        private PersistentCounter _epochSeen;
        private uint _lastEpoch;
        private int _provisionedAtStart;
        private uint _switchedAt;

        private Program()
        {
            // The motors first, held at the safe action before anything else can fail.
            _gpio = new GpioController();
            _actuator = new GpioActuator(_gpio, MotorPins, PatternByAction, StatusLedPin);
            _actuator.Apply(SafeAction);
            _boot = DeviceSetup.CreateBoot(0);
            _serial = DeviceIdentity.OpenSerial(DeviceSetup.OpenUploadPort());
        }

        /// <summary>Entry point: never returns (the supervisor reboots the board when it must).</summary>
        public static void Main()
        {
            Debug.WriteLine("EdgeMarl robot");
            try
            {
                DeviceIdentity.Boot();
                DeviceIdentity.Supervise(new Program());
            }
            catch (System.Exception)
            {
                // Even the pins or the record files failed: reboot rather than park (the next boot may succeed).
                new EspRebooter().Reboot();
            }
        }

        /// <inheritdoc/>
        public int Boot()
        {
            int cause = _boot.LoadIdentity();
            if (cause != FaultCounters.None)
            {
                // A bench robot with only a key file still takes uploads into its store while it waits for a record.
                if (cause == BootSupervisor.Unprovisioned && _boot.Key != null)
                {
                    _boot.OpenPolicy();
                }

                Attach(_boot.Store);
                Debug.WriteLine(cause == BootSupervisor.Unprovisioned ? "robot: not provisioned; run `edgemarl provision --role robot ...`" : "robot: provisioning record corrupt");
                return cause;
            }

            _settings = NodeSettings.From(_boot.Record, DeviceSetup.ReadMac());
            if (_settings == null || _settings.Role != ProvisioningRecord.RoleRobot || _settings.NodeId < 1)
            {
                Debug.WriteLine("robot: the record is not a robot's (or no MAC for the MAC-derived id); reprovision with --role robot");
                return FaultCounters.BadProvisioning;
            }

            cause = _boot.OpenPolicy();
            Attach(_boot.Store);
            if (cause != FaultCounters.None)
            {
                Debug.WriteLine("robot " + _settings.NodeId.ToString() + ": policy not ready, cause " + cause.ToString() + "; waiting for the gateway or `edgemarl upload`");
                return cause;
            }

            if (!_wifi)
            {
                _wifi = DeviceSetup.ConnectWifi(_settings);
                if (!_wifi)
                {
                    return FaultCounters.NoNetwork;
                }
            }

            if (_robot == null)
            {
                cause = StartRadio();
                if (cause != FaultCounters.None)
                {
                    return cause;
                }
            }

            _provisionedAtStart = _serial == null ? 0 : _serial.Provisioned;
            Debug.WriteLine("robot " + _settings.NodeId.ToString() + ": running, fleet " + _settings.FleetId.ToString());
            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public int Step()
        {
            if (_serial == null)
            {
                _robot.Tick();
            }
            else
            {
                RunTickServingUploads();
                if (_serial.TakeOperatorChange() && _serial.Provisioned != _provisionedAtStart)
                {
                    return BootSupervisor.RestartRequested; // a new record: reboot to apply it
                }
            }

            if (_session.HighestEpoch != _lastEpoch)
            {
                _lastEpoch = _session.HighestEpoch;
                _epochSeen.Persist(_lastEpoch); // rare: once per gateway epoch
            }

            if (_rollout.SwitchedAtTick != _switchedAt)
            {
                _switchedAt = _rollout.SwitchedAtTick;
                Debug.WriteLine("robot: switched policy at tick " + _switchedAt.ToString());
            }

            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public void HoldSafe()
        {
            _actuator.Apply(SafeAction);
        }

        /// <inheritdoc/>
        public bool Wait(int milliseconds)
        {
            return DeviceSetup.WaitServing(_serial, milliseconds);
        }

        private void Attach(PolicyStore store)
        {
            if (_serial != null)
            {
                _serial.Attach(store, true); // an upload switches this robot at once
            }
        }

        private int StartRadio()
        {
            UdpRadio udp;
            try
            {
                Socket socket = UdpRadio.OpenSocket(_settings.UdpPort);
                udp = new UdpRadio(
                    socket,
                    new int[] { FleetSettings.GatewayId },
                    new EndPoint[] { FleetSettings.GatewayEndpoint(_settings.UdpPort) },
                    new EndPoint[0]);
            }
            catch (System.Exception)
            {
                Debug.WriteLine("robot: cannot open UDP port " + _settings.UdpPort.ToString());
                return FaultCounters.RadioFailure;
            }

            // Policy frames (kinds 16–18) go to the receiver; it commits the staged image at the broadcast of the
            // announced switch tick, just before the node acts on it, so this robot switches with the gateway.
            NanoHmacSha256Authenticator frameAuth = new NanoHmacSha256Authenticator(_settings.Key);

            // The session (docs/protocol.md §6): the robot acts on nothing until its join is accepted. Join nonces must never
            // repeat across boots: a boot counter persisted in two copies, mixed with the robot id and the boot's timing
            // (Wi-Fi association time varies) and with System.Random, as the gateway's epoch seed is, so that a robot whose boot
            // counter files were lost still draws a new nonce with high probability. The highest gateway epoch seen is
            // persisted too, so that after a reboot it is reported in the join and a gateway that lost its epoch files moves
            // above it.
            uint boot = new PersistentCounter(new FileRecordFiles("I:\\", "boot")).TakeNext();
            _epochSeen = new PersistentCounter(new FileRecordFiles("I:\\", "epoch-seen"));
            _lastEpoch = _epochSeen.Boot();
            _session = new RobotSession(
                EdgeMarl.Shared.Random.Pcg32.DeriveSeed(((ulong)boot << 32) | (uint)_settings.NodeId, (ulong)_clock.NowMs() ^ ((ulong)(uint)new System.Random().Next() << 32)), _lastEpoch);
            _rollout = new RadioPolicyReceiver(
                _boot.Store, new FrameCodec(_settings.FleetId, frameAuth), udp, _session, _settings.NodeId, FleetSettings.GatewayId, 0);
            _robot = new RobotNode(
                new RobotOptions
                {
                    RobotId = _settings.NodeId,
                    GatewayId = FleetSettings.GatewayId,
                    Seed = FleetSettings.Seed,
                    TickPeriodMs = _settings.TickPeriodMs,
                    SilentTicksBeforeSafeAction = FleetSettings.SilentTicksBeforeSafeAction,
                    SafeAction = SafeAction,
                    ActionGate = _rollout,
                    Session = _session,
                },
                _boot.Store.Live,
                new FrameCodec(_settings.FleetId, frameAuth),
                new PolicyFrameRadio(udp, _clock, _rollout),
                _clock,
                new GpioZoneSensor(_gpio, ZonePins, PinMode.InputPullUp, true, _boot.Store.Live.LocalStates),
                _actuator);
            return FaultCounters.None;
        }

        /// <summary>
        /// One robot tick that alternates between the radio and the upload UART in
        /// <see cref="FleetSettings.SerialPollMs"/> slices (a poll is answered at most one slice late), then closes it.
        /// </summary>
        private void RunTickServingUploads()
        {
            long end = _clock.NowMs() + _settings.TickPeriodMs;
            while (true)
            {
                long remaining = end - _clock.NowMs();
                if (remaining <= 0)
                {
                    break;
                }

                _robot.Run(remaining < FleetSettings.SerialPollMs ? (int)remaining : FleetSettings.SerialPollMs);
                _serial.Poll(FleetSettings.SerialPollMs);
            }

            _robot.EndTick();
        }
    }
}
