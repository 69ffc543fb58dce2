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

namespace EdgeMarl.Gateway.Esp32
{
    /// <summary>
    /// Gateway entry point: wires Wi-Fi, UDP, the global-state pins, fleet key and policy, then ticks at a fixed period.
    /// Between ticks it serves serial policy uploads; a verified upload is staged and rolled out to the robots over
    /// the radio, and the whole fleet switches at the announced tick (README.md, docs/protocol.md §10–11).
    /// </summary>
    public static class Program
    {
        // ---- Wiring (README.md): 3-bit global-zone input, on-board LED as "decided from the table" indicator. ----
        private static readonly int[] GlobalStatePins = new int[] { 18, 19, 21 };
        private const int StatusLedPin = 2;

        /// <summary>Entry point.</summary>
        public static void Main()
        {
            Debug.WriteLine("EdgeMarl gateway");
            EdgeMarl.Shared.Deployment.ProvisioningRecord identity = DeviceIdentity.Boot();
            GpioController gpio = new GpioController();
            // The provisioned key (docs/provisioning.md) wins; I:\fleet.key is the fallback for unprovisioned devices.
            byte[] key = identity != null && identity.Key != null ? identity.Key : DeviceSetup.ReadFleetKey();
            IPolicyLookup policy = DeviceSetup.LoadPolicy(key, FleetSettings.SampleSize);
            SerialPortLink uploadPort = DeviceSetup.OpenUploadPort();
            if (policy == null && uploadPort != null && key != null)
            {
                // A blank gateway: the first upload is committed at once (there is no fleet policy to stay consistent with).
                SerialPolicyReceiver first = new SerialPolicyReceiver(uploadPort, DeviceSetup.Store, true);
                DeviceIdentity.Serve(first, DeviceSetup.Store);
                policy = DeviceSetup.WaitForSerialPolicy(first);
            }

            if (policy == null || key == null || !DeviceSetup.ConnectWifi())
            {
                // Robots fall back to their safe action after their silence limit.
                Debug.WriteLine("gateway: setup failed; not broadcasting");
                Thread.Sleep(Timeout.Infinite);
            }

            // Robots join (docs/protocol.md §6): ids 1 … n may join; each one's address is learned from its authenticated join.
            int n = FleetSettings.RobotCount;
            int[] robotIds = new int[n];
            for (int i = 0; i < n; i++)
            {
                robotIds[i] = i + 1;
            }

            Socket socket = UdpRadio.OpenSocket(FleetSettings.UdpPort);
            UdpRadio udp = new UdpRadio(
                socket,
                new int[0],
                new EndPoint[0],
                new EndPoint[] { new IPEndPoint(IPAddress.Parse(FleetSettings.BroadcastAddress), FleetSettings.UdpPort) },
                n);

            // A new epoch per boot, persisted in two copies (I:\epoch-0.rec, I:\epoch-1.rec) before the first frame; with no
            // valid copy it starts at a random point (System.Random, seeded natively by nanoFramework, mixed with the
            // boot's timing; whether the seed comes from the ESP32's hardware RNG is not verified here).
            uint entropy = (uint)new System.Random().Next() ^ (uint)System.Environment.TickCount64;
            GatewaySession session = new GatewaySession(new PersistentCounter(new FileRecordFiles("I:\\", "epoch")), 0, 0, entropy);

            // Later uploads are only staged: the rollout switches gateway and robots together at one announced tick.
            NanoHmacSha256Authenticator frameAuth = new NanoHmacSha256Authenticator(key);
            PolicyRollout rollout = new PolicyRollout(DeviceSetup.Store, new FrameCodec(FleetSettings.FleetId, frameAuth), udp, FleetSettings.GatewayId, robotIds, session);
            SerialPolicyReceiver upload = uploadPort == null ? null : new SerialPolicyReceiver(uploadPort, DeviceSetup.Store, false);
            DeviceIdentity.Serve(upload, DeviceSetup.Store);

            SystemClock clock = new SystemClock();
            GatewayNode gateway = new GatewayNode(
                new GatewayOptions
                {
                    GatewayId = FleetSettings.GatewayId,
                    RobotIds = robotIds,
                    SampleSize = FleetSettings.SampleSize,
                    ReplyWindowMs = FleetSettings.ReplyWindowMs,
                    Seed = FleetSettings.Seed,
                    InitialGlobalAction = 0,
                    Session = session,
                    AddressLearner = udp,
                },
                policy,
                new FrameCodec(FleetSettings.FleetId, frameAuth),
                new PolicyFrameRadio(udp, clock, rollout),
                clock,
                new GpioZoneSensor(gpio, GlobalStatePins, PinMode.InputPullUp, true, policy.GlobalStates),
                new GpioActuator(gpio, new int[0], new int[0], StatusLedPin));

            Debug.WriteLine("gateway: running, k = " + gateway.SampleSize.ToString());
            int uploadsSeen = upload == null ? 0 : upload.Completed;
            long next = clock.NowMs();
            while (true)
            {
                rollout.BeforeTick(gateway.CurrentTick + 1);
                gateway.Tick();
                next += FleetSettings.TickPeriodMs;
                if (clock.NowMs() >= next)
                {
                    next = clock.NowMs(); // overran the period: start the next tick now, do not try to catch up
                }

                ServeUntil(next, clock, upload, rollout);
                if (upload != null && DeviceSetup.ReportUpload(upload, ref uploadsSeen))
                {
                    rollout.Start();
                }
            }
        }

        /// <summary>
        /// Waits until <paramref name="deadline"/>, serving the upload UART in <see cref="FleetSettings.SerialPollMs"/>
        /// slices; not while an announced switch is pending, which must not see its staged image replaced.
        /// </summary>
        private static void ServeUntil(long deadline, SystemClock clock, SerialPolicyReceiver upload, PolicyRollout rollout)
        {
            if (upload == null || rollout.Announced)
            {
                long idle = deadline - clock.NowMs();
                if (idle > 0)
                {
                    Thread.Sleep((int)idle);
                }

                return;
            }

            while (true)
            {
                long remaining = deadline - clock.NowMs();
                if (remaining <= 0)
                {
                    return;
                }

                upload.Poll(remaining < FleetSettings.SerialPollMs ? (int)remaining : FleetSettings.SerialPollMs);
            }
        }
    }
}
