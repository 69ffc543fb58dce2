using System.Device.Gpio;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using EdgeMarl.Esp32;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Hardware;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Robot.Esp32
{
    /// <summary>
    /// Robot entry point: wires Wi-Fi, UDP, pins, robot id, fleet key and policy, then runs RobotNode forever. Policy
    /// frames from the gateway go to a RadioPolicyReceiver (the robot switches at the announced tick); between radio
    /// slices it serves serial uploads, which switch this robot alone (README.md, docs/protocol.md §10–11).
    /// </summary>
    public static class Program
    {
        // ---- Per robot: change before flashing each one (1 … FleetSettings.RobotCount). ----
        private static int RobotId = 1;

        // ---- Wiring (README.md): ESP32-DevKitC, L298N/DRV8833 inputs, 3-bit zone reader, on-board LED. ----
        private static readonly int[] MotorPins = new int[] { 25, 26, 27, 14 };          // IN1, IN2, IN3, IN4
        private static readonly int[] ZonePins = new int[] { 18, 19, 21 };               // bit 0, bit 1, bit 2 (to GND = 1)
        private const int StatusLedPin = 2;

        // Local actions of the zones game: 0 stay, 1 step +1 (both wheels forward), 2 step −1 (both backward).
        private static readonly int[] PatternByAction = new int[] { 0b0000, 0b0101, 0b1010 };
        private const int SafeAction = 0; // stay

        /// <summary>Entry point.</summary>
        public static void Main()
        {
            // One image for every robot: the id and key come from the provisioning record (docs/provisioning.md).
            EdgeMarl.Shared.Deployment.ProvisioningRecord identity = DeviceIdentity.Boot();
            if (identity != null && identity.Role == EdgeMarl.Shared.Deployment.ProvisioningRecord.RoleRobot && identity.NodeId > 0)
            {
                RobotId = identity.NodeId;
            }

            Debug.WriteLine("EdgeMarl robot " + RobotId.ToString());
            GpioController gpio = new GpioController();
            GpioActuator actuator = new GpioActuator(gpio, MotorPins, PatternByAction, StatusLedPin);
            actuator.Apply(SafeAction);

            // The provisioned key (docs/provisioning.md) wins; I:\fleet.key is the fallback for unprovisioned devices.
            byte[] key = identity != null && identity.Key != null ? identity.Key : DeviceSetup.ReadFleetKey();
            IPolicyLookup policy = DeviceSetup.LoadPolicy(key, 0);
            SerialPortLink uploadPort = DeviceSetup.OpenUploadPort();
            SerialPolicyReceiver upload = uploadPort == null || key == null ? null : new SerialPolicyReceiver(uploadPort, DeviceSetup.Store, true);
            if (upload != null)
            {
                DeviceIdentity.Serve(upload, DeviceSetup.Store);
            }
            if (policy == null && upload != null)
            {
                policy = DeviceSetup.WaitForSerialPolicy(upload);
            }

            if (policy == null || key == null || !DeviceSetup.ConnectWifi())
            {
                // Without policy, key or network the only correct behaviour is to stay put.
                Debug.WriteLine("robot: setup failed; holding the safe action");
                Thread.Sleep(Timeout.Infinite);
            }

            GpioZoneSensor zone = new GpioZoneSensor(gpio, ZonePins, PinMode.InputPullUp, true, policy.LocalStates);
            Socket socket = UdpRadio.OpenSocket(FleetSettings.UdpPort);
            UdpRadio udp = new UdpRadio(
                socket,
                new int[] { FleetSettings.GatewayId },
                new EndPoint[] { FleetSettings.GatewayEndpoint() },
                new EndPoint[0]);

            // Policy frames (kinds 16–18) go to the receiver; it commits the staged image at the broadcast of the
            // announced switch tick, just before the node acts on it, so this robot switches with the gateway.
            NanoHmacSha256Authenticator frameAuth = new NanoHmacSha256Authenticator(key);
            SystemClock clock = new SystemClock();

            // The session (docs/protocol.md §6): the robot acts on nothing until its join is accepted. Join nonces must never
            // repeat across boots: a boot counter persisted in two copies, mixed with the robot id and the boot's timing
            // (Wi-Fi association time varies). The highest gateway epoch seen is persisted too, so that after a reboot it is
            // reported in the join and a gateway that lost its epoch files moves above it.
            uint boot = new PersistentCounter(new FileRecordFiles("I:\\", "boot")).TakeNext();
            PersistentCounter epochSeen = new PersistentCounter(new FileRecordFiles("I:\\", "epoch-seen"));
            uint lastEpoch = epochSeen.Boot();
            RobotSession session = new RobotSession(
                EdgeMarl.Shared.Random.Pcg32.DeriveSeed(((ulong)boot << 32) | (uint)RobotId, (ulong)clock.NowMs()), lastEpoch);
            RadioPolicyReceiver rollout = new RadioPolicyReceiver(
                DeviceSetup.Store, new FrameCodec(FleetSettings.FleetId, frameAuth), udp, session, RobotId, FleetSettings.GatewayId, 0);

            RobotNode robot = new RobotNode(
                new RobotOptions
                {
                    RobotId = RobotId,
                    GatewayId = FleetSettings.GatewayId,
                    Seed = FleetSettings.Seed,
                    TickPeriodMs = FleetSettings.TickPeriodMs,
                    SilentTicksBeforeSafeAction = FleetSettings.SilentTicksBeforeSafeAction,
                    SafeAction = SafeAction,
                    ActionGate = rollout,
                    Session = session,
                },
                policy,
                new FrameCodec(FleetSettings.FleetId, frameAuth),
                new PolicyFrameRadio(udp, clock, rollout),
                clock,
                zone,
                actuator);

            Debug.WriteLine("robot: running");
            int uploadsSeen = upload == null ? 0 : upload.Completed;
            uint switchedAt = 0;
            while (true)
            {
                if (upload == null)
                {
                    robot.Tick();
                }
                else
                {
                    RunTickServingUploads(robot, clock, upload);
                    DeviceSetup.ReportUpload(upload, ref uploadsSeen);
                }

                if (session.HighestEpoch != lastEpoch)
                {
                    lastEpoch = session.HighestEpoch;
                    epochSeen.Persist(lastEpoch); // rare: once per gateway epoch
                }

                if (rollout.SwitchedAtTick != switchedAt)
                {
                    switchedAt = rollout.SwitchedAtTick;
                    Debug.WriteLine("robot: switched policy at tick " + switchedAt.ToString());
                }
            }
        }

        /// <summary>
        /// One robot tick that alternates between the radio and the upload UART in
        /// <see cref="FleetSettings.SerialPollMs"/> slices (a poll is answered at most one slice late), then closes it.
        /// </summary>
        private static void RunTickServingUploads(RobotNode robot, SystemClock clock, SerialPolicyReceiver upload)
        {
            long end = clock.NowMs() + FleetSettings.TickPeriodMs;
            while (true)
            {
                long remaining = end - clock.NowMs();
                if (remaining <= 0)
                {
                    break;
                }

                robot.Run(remaining < FleetSettings.SerialPollMs ? (int)remaining : FleetSettings.SerialPollMs);
                upload.Poll(FleetSettings.SerialPollMs);
            }

            robot.EndTick();
        }
    }
}
