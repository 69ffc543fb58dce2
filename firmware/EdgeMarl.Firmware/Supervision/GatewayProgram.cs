using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// The gateway's program as a <see cref="NodeProgram"/> (whose boot sequence it shares with the robot's), board-independent (the ESP32 program is this class over its
    /// <see cref="INodePlatform"/>; host tests run it over a fake one): record → settings → policy → network → radio, then
    /// one <see cref="GatewayNode"/> tick per step with the radio policy rollout (<see cref="PolicyRollout"/>, to the live
    /// joined roster) before it, the fleet-size check and the link check after it, and the upload UART served until the
    /// next tick. Any authenticated robot id may join, up to the provisioned roster capacity (raised to at least <c>k</c>).
    /// The gateway's safe state is silence: robots hold their safe action after their silence limit.
    /// </summary>
    public sealed class GatewayProgram : NodeProgram
    {
        private readonly IActuator _status;
        private readonly GatewayProgramOptions _options;
        private GatewayNode _gateway;
        private PolicyRollout _rollout;
        private FleetSizeMonitor _fleetSize;
        private long _next;

        /// <summary>Initializes a new instance of the <see cref="GatewayProgram"/> class.</summary>
        /// <param name="boot">The boot steps (record, key, store).</param>
        /// <param name="serial">The upload port's service, or null when uploads are disabled.</param>
        /// <param name="platform">The board.</param>
        /// <param name="status">The status LED (no motors), or null.</param>
        /// <param name="clock">Monotonic clock.</param>
        /// <param name="options">Image constants (copied).</param>
        public GatewayProgram(NodeBoot boot, DeviceSerialService serial, INodePlatform platform, IActuator status, IClock clock, GatewayProgramOptions options)
            : base(boot, serial, platform, clock, Checked(boot, platform, clock, options).Log, new LinkMonitor(options.LinkDownTicks, 0))
        {
            _status = status;
            _options = options;
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

        /// <inheritdoc/>
        protected override string Role
        {
            get { return "gateway"; }
        }

        /// <inheritdoc/>
        protected override bool RadioStarted
        {
            get { return _gateway != null; }
        }

        /// <inheritdoc/>
        public override int Step()
        {
            _rollout.BeforeTick(_gateway.CurrentTick + 1);
            _gateway.Tick();
            if (Link.EndTick(Platform.NetworkUp, 0))
            {
                // The supervisor counts it, keeps the gateway silent (robots hold their safe action) and the next boot reconnects.
                NetworkLost();
                Log("gateway: network lost (no address); reconnecting");
                return FaultCounters.NoNetwork;
            }

            string warning = _fleetSize.Tick();
            if (warning != null)
            {
                Log("gateway: " + warning);
            }

            _next += Settings.TickPeriodMs;
            if (Clock.NowMs() >= _next)
            {
                _next = Clock.NowMs(); // overran the period: start the next tick now, do not try to catch up
            }

            ServeUntil(_next);
            if (Serial != null && Serial.TakeOperatorChange())
            {
                if (Serial.Provisioned != ProvisionedAtStart)
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
            if (_rollout == null || BootSteps.Store == null || !BootSteps.Store.HasStaged)
            {
                return false;
            }

            Log("upload: verified, " + BootSteps.Store.StagedLength.ToString() + " B staged for the fleet rollout");
            return _rollout.Start();
        }

        /// <inheritdoc/>
        public override void HoldSafe()
        {
            // The gateway's safe state is silence: robots apply their safe action after SilentTicksBeforeSafeAction.
            if (_status != null)
            {
                _status.ShowStatus(false);
            }
        }

        /// <inheritdoc/>
        protected override NodeSettings ReadSettings()
        {
            return NodeSettings.From(BootSteps.Record, null);
        }

        /// <inheritdoc/>
        protected override string RejectSettings(NodeSettings settings)
        {
            if (settings == null || settings.Role != ProvisioningRecord.RoleGateway || settings.NodeId != _options.GatewayId)
            {
                return "gateway: the record is not a gateway's with id " + _options.GatewayId.ToString() + "; reprovision with --role gateway";
            }

            return null;
        }

        /// <inheritdoc/>
        protected override bool CommitsUploadsWhileBooting()
        {
            // A blank gateway commits its first upload at once (there is no fleet policy to stay consistent with).
            return BootSteps.Store == null || !BootSteps.Store.HasPolicy;
        }

        /// <inheritdoc/>
        protected override string PolicyNotReady(int cause)
        {
            return "gateway: policy not ready, cause " + cause.ToString() + "; waiting for `edgemarl upload`";
        }

        /// <inheritdoc/>
        protected override void Running()
        {
            // From now on uploads are staged: the rollout switches gateway and robots together at one announced tick.
            Attach(false);
            _next = Clock.NowMs();
            Log("gateway: running, k = " + _gateway.SampleSize.ToString() + ", fleet " + Settings.FleetId.ToString() + ", roster capacity " + _gateway.RosterCapacity.ToString());
        }

        /// <inheritdoc/>
        protected override int StartRadio()
        {
            int k = _options.SampleSize;
            int capacity = Settings.RosterCapacity < k ? k : Settings.RosterCapacity;
            IRadio radio = Platform.OpenRadio(Settings, capacity);
            if (radio == null)
            {
                Log("gateway: cannot open the radio on UDP port " + Settings.UdpPort.ToString());
                return FaultCounters.RadioFailure;
            }

            // A new epoch per boot, persisted in two copies before the first frame; with no valid copy it starts at a
            // random point from the platform's entropy.
            ulong bits = Platform.Entropy();
            GatewaySession session = new GatewaySession(new PersistentCounter(_options.EpochFiles), 0, 0, (uint)(bits >> 32) ^ (uint)bits);
            IFrameAuthenticator frameAuth = Platform.CreateFrameAuthenticator(Settings.Key);
            _rollout = new PolicyRollout(BootSteps.Store, new FrameCodec(Settings.FleetId, frameAuth), radio, Settings.NodeId, null, session, _options.Log);
            GatewayOptions options = new GatewayOptions();
            options.GatewayId = Settings.NodeId;
            options.MaxRobots = capacity;
            options.SampleSize = k;
            options.ReplyWindowMs = _options.ReplyWindowMs;
            options.Seed = _options.Seed;
            options.InitialGlobalAction = 0;
            options.Session = session;
            options.AddressLearner = radio as IAddressLearner;
            _gateway = new GatewayNode(
                options,
                BootSteps.Store.Live,
                new FrameCodec(Settings.FleetId, frameAuth),
                new PolicyFrameRadio(radio, Clock, _rollout),
                Clock,
                (IGlobalStateSensor)Platform.OpenSensor(BootSteps.Store.Live.GlobalStates),
                _status);

            // The rollout goes to the live roster (a snapshot at each start), never to a static id list; the fleet-size
            // check counts the robots joined and alive.
            _rollout.Roster = _gateway;
            _fleetSize = new FleetSizeMonitor(new JoinedFleetSize(_gateway), BootSteps.Store.Live, _options.Faults, _options.Health, _options.FleetSizeCheckTicks);
            return FaultCounters.None;
        }

        /// <summary>
        /// Waits until <paramref name="deadline"/>, serving the upload UART in <see cref="GatewayProgramOptions.SerialPollMs"/>
        /// slices; not while an announced switch is pending, which must not see its staged image replaced.
        /// </summary>
        private void ServeUntil(long deadline)
        {
            if (Serial == null || _rollout.Announced)
            {
                long idle = deadline - Clock.NowMs();
                if (idle > 0)
                {
                    Platform.Sleep((int)idle);
                }

                return;
            }

            while (true)
            {
                long remaining = deadline - Clock.NowMs();
                if (remaining <= 0)
                {
                    return;
                }

                Serial.Poll(remaining < _options.SerialPollMs ? (int)remaining : _options.SerialPollMs);
            }
        }

        /// <summary>Checks the constructor's arguments before the base class takes them.</summary>
        private static GatewayProgramOptions Checked(NodeBoot boot, INodePlatform platform, IClock clock, GatewayProgramOptions options)
        {
            if (boot == null || platform == null || clock == null || options == null || options.EpochFiles == null || options.Faults == null || options.Health == null || options.SampleSize < 0)
            {
                throw new System.ArgumentNullException(nameof(boot));
            }

            return options;
        }
    }
}
