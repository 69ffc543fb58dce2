using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// The gateway's program as a <see cref="ISupervisedNode"/>, board-independent (the ESP32 program is this class over its
    /// <see cref="INodePlatform"/>; host tests run it over a fake one): record → settings → policy → network → radio, then
    /// one <see cref="GatewayNode"/> tick per step with the radio policy rollout (<see cref="PolicyRollout"/>, to the live
    /// joined roster) before it, the fleet-size check and the link check after it, and the upload UART served until the
    /// next tick. Any authenticated robot id may join, up to the provisioned roster capacity (raised to at least <c>k</c>).
    /// The gateway's safe state is silence: robots hold their safe action after their silence limit.
    /// </summary>
    public sealed class GatewayProgram : ISupervisedNode
    {
        private readonly NodeBoot _boot;
        private readonly DeviceSerialService _serial;
        private readonly INodePlatform _platform;
        private readonly IActuator _status;
        private readonly IClock _clock;
        private readonly GatewayProgramOptions _options;
        private readonly LinkMonitor _link;
        private NodeSettings _settings;
        private bool _network;
        private GatewayNode _gateway;
        private PolicyRollout _rollout;
        private FleetSizeMonitor _fleetSize;
        private int _provisionedAtStart;
        private long _next;

        /// <summary>Initializes a new instance of the <see cref="GatewayProgram"/> class.</summary>
        /// <param name="boot">The boot steps (record, key, store).</param>
        /// <param name="serial">The upload port's service, or null when uploads are disabled.</param>
        /// <param name="platform">The board.</param>
        /// <param name="status">The status LED (no motors), or null.</param>
        /// <param name="clock">Monotonic clock.</param>
        /// <param name="options">Image constants (copied).</param>
        public GatewayProgram(NodeBoot boot, DeviceSerialService serial, INodePlatform platform, IActuator status, IClock clock, GatewayProgramOptions options)
        {
            if (boot == null || platform == null || clock == null || options == null || options.EpochFiles == null || options.Faults == null || options.Health == null || options.SampleSize < 0)
            {
                throw new System.ArgumentNullException(nameof(boot));
            }

            _boot = boot;
            _serial = serial;
            _platform = platform;
            _status = status;
            _clock = clock;
            _options = options;
            _link = new LinkMonitor(options.LinkDownTicks, 0);
        }

        /// <summary>Gets the gateway node once the radio is up, else null.</summary>
        public GatewayNode Gateway
        {
            get { return _gateway; }
        }

        /// <summary>Gets the rollout once the radio is up, else null.</summary>
        public PolicyRollout Rollout
        {
            get { return _rollout; }
        }

        /// <summary>Gets the link-loss detector.</summary>
        public LinkMonitor Link
        {
            get { return _link; }
        }

        /// <summary>Gets the number of network joins attempted (first boot and every reconnect).</summary>
        public int NetworkJoins { get; private set; }

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

                Attach(true);
                Log(cause == BootSupervisor.Unprovisioned ? "gateway: not provisioned; run `edgemarl provision --role gateway ...`" : "gateway: provisioning record corrupt");
                return cause;
            }

            _settings = NodeSettings.From(_boot.Record, null);
            if (_settings == null || _settings.Role != ProvisioningRecord.RoleGateway || _settings.NodeId != _options.GatewayId)
            {
                Log("gateway: the record is not a gateway's with id " + _options.GatewayId.ToString() + "; reprovision with --role gateway");
                return FaultCounters.BadProvisioning;
            }

            cause = _boot.OpenPolicy();

            // A blank gateway commits its first upload at once (there is no fleet policy to stay consistent with).
            Attach(_boot.Store == null || !_boot.Store.HasPolicy);
            if (cause != FaultCounters.None)
            {
                Log("gateway: policy not ready, cause " + cause.ToString() + "; waiting for `edgemarl upload`");
                return cause;
            }

            if (!_network)
            {
                NetworkJoins++;
                _network = _platform.ConnectNetwork(_settings);
                if (!_network)
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
            Attach(false);
            _provisionedAtStart = _serial == null ? 0 : _serial.Provisioned;
            _next = _clock.NowMs();
            Log("gateway: running, k = " + _gateway.SampleSize.ToString() + ", fleet " + _settings.FleetId.ToString() + ", roster capacity " + _gateway.RosterCapacity.ToString());
            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public int Step()
        {
            _rollout.BeforeTick(_gateway.CurrentTick + 1);
            _gateway.Tick();
            if (_link.EndTick(_platform.NetworkUp, 0))
            {
                // The supervisor counts it, keeps the gateway silent (robots hold their safe action) and the next boot reconnects.
                _network = false;
                Log("gateway: network lost (no address); reconnecting");
                return FaultCounters.NoNetwork;
            }

            string warning = _fleetSize.Tick();
            if (warning != null)
            {
                Log("gateway: " + warning);
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

                StartRolloutIfStaged();
            }

            return FaultCounters.None;
        }

        /// <summary>Starts the fleet rollout of a verified, staged upload (called after each upload; host tests call it directly).</summary>
        /// <returns>True when a rollout started.</returns>
        public bool StartRolloutIfStaged()
        {
            if (_rollout == null || _boot.Store == null || !_boot.Store.HasStaged)
            {
                return false;
            }

            Log("upload: verified, " + _boot.Store.StagedLength.ToString() + " B staged for the fleet rollout");
            return _rollout.Start();
        }

        /// <inheritdoc/>
        public void HoldSafe()
        {
            // The gateway's safe state is silence: robots apply their safe action after SilentTicksBeforeSafeAction.
            if (_status != null)
            {
                _status.ShowStatus(false);
            }
        }

        /// <inheritdoc/>
        public bool Wait(int milliseconds)
        {
            return _platform.Wait(milliseconds);
        }

        private void Attach(bool commitOnFinish)
        {
            if (_serial != null)
            {
                _serial.Attach(_boot.Store, commitOnFinish);
            }
        }

        private int StartRadio()
        {
            int k = _options.SampleSize;
            int capacity = _settings.RosterCapacity < k ? k : _settings.RosterCapacity;
            IRadio radio = _platform.OpenRadio(_settings, capacity);
            if (radio == null)
            {
                Log("gateway: cannot open the radio on UDP port " + _settings.UdpPort.ToString());
                return FaultCounters.RadioFailure;
            }

            // A new epoch per boot, persisted in two copies before the first frame; with no valid copy it starts at a
            // random point from the platform's entropy.
            ulong bits = _platform.Entropy();
            GatewaySession session = new GatewaySession(new PersistentCounter(_options.EpochFiles), 0, 0, (uint)(bits >> 32) ^ (uint)bits);
            IFrameAuthenticator frameAuth = _platform.CreateFrameAuthenticator(_settings.Key);
            _rollout = new PolicyRollout(_boot.Store, new FrameCodec(_settings.FleetId, frameAuth), radio, _settings.NodeId, null, session, _options.Log);
            GatewayOptions options = new GatewayOptions();
            options.GatewayId = _settings.NodeId;
            options.MaxRobots = capacity;
            options.SampleSize = k;
            options.ReplyWindowMs = _options.ReplyWindowMs;
            options.Seed = _options.Seed;
            options.InitialGlobalAction = 0;
            options.Session = session;
            options.AddressLearner = radio as IAddressLearner;
            _gateway = new GatewayNode(
                options,
                _boot.Store.Live,
                new FrameCodec(_settings.FleetId, frameAuth),
                new PolicyFrameRadio(radio, _clock, _rollout),
                _clock,
                (IGlobalStateSensor)_platform.OpenSensor(_boot.Store.Live.GlobalStates),
                _status);

            // The rollout goes to the live roster (a snapshot at each start), never to a static id list; the fleet-size
            // check counts the robots joined and alive.
            _rollout.Roster = _gateway;
            _fleetSize = new FleetSizeMonitor(new JoinedFleetSize(_gateway), _boot.Store.Live, _options.Faults, _options.Health, _options.FleetSizeCheckTicks);
            return FaultCounters.None;
        }

        /// <summary>
        /// Waits until <paramref name="deadline"/>, serving the upload UART in <see cref="GatewayProgramOptions.SerialPollMs"/>
        /// slices; not while an announced switch is pending, which must not see its staged image replaced.
        /// </summary>
        private void ServeUntil(long deadline)
        {
            if (_serial == null || _rollout.Announced)
            {
                long idle = deadline - _clock.NowMs();
                if (idle > 0)
                {
                    _platform.Sleep((int)idle);
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

                _serial.Poll(remaining < _options.SerialPollMs ? (int)remaining : _options.SerialPollMs);
            }
        }

        private void Log(string line)
        {
            if (_options.Log != null)
            {
                _options.Log.Write(line);
            }
        }
    }
}
