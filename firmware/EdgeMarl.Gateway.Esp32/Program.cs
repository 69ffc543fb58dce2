using System.Device.Gpio;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using EdgeMarl.Esp32;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Hardware;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Gateway.Esp32
{
    /// <summary>
    /// Gateway entry point. One image for every gateway: fleet id, key, Wi-Fi, UDP port and tick period come from the
    /// provisioning record (docs/provisioning.md). The program is a <see cref="ISupervisedNode"/>: the
    /// <see cref="BootSupervisor"/> retries every failed step (record, key, policy, Wi-Fi, radio, an exception in a tick)
    /// with backoff, counts the cause, and reboots past its limit. Between ticks it serves the upload port; a verified
    /// upload is staged and rolled out to the robots over the radio, and the whole fleet switches at the announced tick
    /// (README.md, docs/protocol.md §10–11).
    /// </summary>
    public sealed class Program : ISupervisedNode
    {
        // ---- Wiring (README.md): 3-bit global-zone input, on-board LED as "decided from the table" indicator. ----
        private static readonly int[] GlobalStatePins = new int[] { 18, 19, 21 };
        private const int StatusLedPin = 2;

        private readonly NodeBoot _boot;
        private readonly DeviceSerialService _serial;
        private readonly SystemClock _clock = new SystemClock();
        private GpioController _gpio;
        private NodeSettings _settings;
        private bool _wifi;
        private GatewayNode _gateway;
        private PolicyRollout _rollout;
        private FleetSizeMonitor _fleetSize;
        private int _provisionedAtStart;
        private long _next;

        // Wi-Fi lost at run time (no address for LinkDownTicks ticks): a no-network failure; the next boot reconnects.
        private readonly LinkMonitor _link = new LinkMonitor(FleetSettings.LinkDownTicks, 0);

        private Program()
        {
            _boot = DeviceSetup.CreateBoot(FleetSettings.SampleSize);
            _serial = DeviceIdentity.OpenSerial(DeviceSetup.OpenUploadPort());
        }

        /// <summary>Entry point: never returns (the supervisor reboots the board when it must).</summary>
        public static void Main()
        {
            Debug.WriteLine("EdgeMarl gateway");
            try
            {
                DeviceIdentity.Boot();
                DeviceIdentity.Supervise(new Program());
            }
            catch (System.Exception)
            {
                // Even the record files could not be opened: reboot rather than park (the next boot may succeed).
                new EspRebooter().Reboot();
            }
        }

        /// <inheritdoc/>
        public int Boot()
        {
            int cause = _boot.LoadIdentity();
            if (cause != FaultCounters.None)
            {
                // A bench gateway with only a key file still takes uploads into its store while it waits for a record.
                if (cause == BootSupervisor.Unprovisioned && _boot.Key != null)
                {
                    _boot.OpenPolicy();
                }

                Attach(_boot.Store, true);
                Debug.WriteLine(cause == BootSupervisor.Unprovisioned ? "gateway: not provisioned; run `edgemarl provision --role gateway ...`" : "gateway: provisioning record corrupt");
                return cause;
            }

            _settings = NodeSettings.From(_boot.Record, null);
            if (_settings == null || _settings.Role != ProvisioningRecord.RoleGateway || _settings.NodeId != FleetSettings.GatewayId)
            {
                // Robots address the gateway as FleetSettings.GatewayId (0).
                Debug.WriteLine("gateway: the record is not a gateway's with id 0; reprovision with --role gateway");
                return FaultCounters.BadProvisioning;
            }

            cause = _boot.OpenPolicy();

            // A blank gateway commits its first upload at once (there is no fleet policy to stay consistent with).
            Attach(_boot.Store, _boot.Store == null || !_boot.Store.HasPolicy);
            if (cause != FaultCounters.None)
            {
                Debug.WriteLine("gateway: policy not ready, cause " + cause.ToString() + "; waiting for `edgemarl upload`");
                return cause;
            }

            if (!_wifi)
            {
                _wifi = DeviceSetup.ConnectWifi(_settings);
                if (!_wifi)
                {
                    return FaultCounters.NoNetwork;
                }

                _link.Reset();
            }

            if (_gateway == null)
            {
                cause = StartRadio();
                if (cause != FaultCounters.None)
                {
                    return cause;
                }
            }

            // From now on uploads are staged: the rollout switches gateway and robots together at one announced tick.
            Attach(_boot.Store, false);
            _provisionedAtStart = _serial == null ? 0 : _serial.Provisioned;
            _next = _clock.NowMs();
            Debug.WriteLine("gateway: running, k = " + _gateway.SampleSize.ToString() + ", fleet " + _settings.FleetId.ToString() + ", roster capacity " + _gateway.RosterCapacity.ToString());
            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public int Step()
        {
            _rollout.BeforeTick(_gateway.CurrentTick + 1);
            _gateway.Tick();
            if (_link.EndTick(NetworkInterface.GetIsNetworkAvailable(), 0))
            {
                _wifi = false; // the supervisor counts it, keeps the gateway silent (robots hold their safe action) and reconnects
                Debug.WriteLine("gateway: network lost (no address); reconnecting");
                return FaultCounters.NoNetwork;
            }

            string warning = _fleetSize.Tick();
            if (warning != null)
            {
                Debug.WriteLine("gateway: " + warning);
            }

            _next += _settings.TickPeriodMs;
            if (_clock.NowMs() >= _next)
            {
                _next = _clock.NowMs(); // overran the period: start the next tick now, do not try to catch up
            }

            ServeUntil(_next);
            if (_serial != null && _serial.TakeOperatorChange())
            {
                if (_serial.Provisioned != _provisionedAtStart)
                {
                    return BootSupervisor.RestartRequested; // a new record: reboot to apply it
                }

                if (_boot.Store.HasStaged)
                {
                    Debug.WriteLine("upload: verified, " + _boot.Store.StagedLength.ToString() + " B staged for the fleet rollout");
                    _rollout.Start();
                }
            }

            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public void HoldSafe()
        {
            // The gateway's safe state is silence: robots apply their safe action after SilentTicksBeforeSafeAction.
        }

        /// <inheritdoc/>
        public bool Wait(int milliseconds)
        {
            return DeviceSetup.WaitServing(_serial, milliseconds);
        }

        private void Attach(PolicyStore store, bool commitOnFinish)
        {
            if (_serial != null)
            {
                _serial.Attach(store, commitOnFinish);
            }
        }

        private int StartRadio()
        {
            // Robots join (docs/protocol.md §6): any robot holding the fleet key, with any id (MAC-derived ones included), up to
            // the provisioned roster capacity; each one's address is learned from its authenticated join and forgotten when it leaves.
            int capacity = _settings.RosterCapacity < FleetSettings.SampleSize ? FleetSettings.SampleSize : _settings.RosterCapacity;

            UdpRadio udp;
            try
            {
                Socket socket = UdpRadio.OpenSocket(_settings.UdpPort);
                udp = new UdpRadio(
                    socket,
                    new int[0],
                    new EndPoint[0],
                    new EndPoint[] { new IPEndPoint(IPAddress.Parse(FleetSettings.BroadcastAddress), _settings.UdpPort) },
                    capacity);
            }
            catch (System.Exception)
            {
                Debug.WriteLine("gateway: cannot open UDP port " + _settings.UdpPort.ToString());
                return FaultCounters.RadioFailure;
            }

            if (_gpio == null)
            {
                _gpio = new GpioController();
            }

            // A new epoch per boot, persisted in two copies (I:\epoch-0.rec, I:\epoch-1.rec) before the first frame; with no
            // valid copy it starts at a random point (System.Random, seeded natively by nanoFramework, mixed with the
            // boot's timing; whether the seed comes from the ESP32's hardware RNG is not verified here).
            ulong bits = DeviceEntropy.Next();
            uint entropy = (uint)(bits >> 32) ^ (uint)bits;
            GatewaySession session = new GatewaySession(new PersistentCounter(new FileRecordFiles("I:\\", "epoch")), 0, 0, entropy);
            NanoHmacSha256Authenticator frameAuth = new NanoHmacSha256Authenticator(_settings.Key);
            _rollout = new PolicyRollout(_boot.Store, new FrameCodec(_settings.FleetId, frameAuth), udp, _settings.NodeId, null, session, new DebugLog());
            _gateway = new GatewayNode(
                new GatewayOptions
                {
                    GatewayId = _settings.NodeId,
                    MaxRobots = capacity,
                    SampleSize = FleetSettings.SampleSize,
                    ReplyWindowMs = FleetSettings.ReplyWindowMs,
                    Seed = FleetSettings.Seed,
                    InitialGlobalAction = 0,
                    Session = session,
                    AddressLearner = udp,
                },
                _boot.Store.Live,
                new FrameCodec(_settings.FleetId, frameAuth),
                new PolicyFrameRadio(udp, _clock, _rollout),
                _clock,
                new GpioZoneSensor(_gpio, GlobalStatePins, PinMode.InputPullUp, true, _boot.Store.Live.GlobalStates),
                new GpioActuator(_gpio, new int[0], new int[0], StatusLedPin));

            // The rollout goes to the live roster (a snapshot at each start), never to a static id list.
            _rollout.Roster = _gateway;

            // The live count: the robots that joined and are alive (the gateway's roster).
            _fleetSize = new FleetSizeMonitor(new JoinedFleetSize(_gateway), _boot.Store.Live, DeviceIdentity.Faults, DeviceIdentity.Health, FleetSettings.FleetSizeCheckTicks);
            return FaultCounters.None;
        }

        /// <summary>
        /// Waits until <paramref name="deadline"/>, serving the upload UART in <see cref="FleetSettings.SerialPollMs"/>
        /// slices; not while an announced switch is pending, which must not see its staged image replaced.
        /// </summary>
        private void ServeUntil(long deadline)
        {
            if (_serial == null || _rollout.Announced)
            {
                long idle = deadline - _clock.NowMs();
                if (idle > 0)
                {
                    Thread.Sleep((int)idle);
                }

                return;
            }

            while (true)
            {
                long remaining = deadline - _clock.NowMs();
                if (remaining <= 0)
                {
                    return;
                }

                _serial.Poll(remaining < FleetSettings.SerialPollMs ? (int)remaining : FleetSettings.SerialPollMs);
            }
        }

        /// <summary>Operator lines of the portable logic (rollout) on the debug output.</summary>
        private sealed class DebugLog : INodeLog
        {
            public void Write(string line)
            {
                Debug.WriteLine(line);
            }
        }
    }
}
