using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// The robot's program as a <see cref="ISupervisedNode"/>, board-independent (the ESP32 program is this class over its
    /// <see cref="INodePlatform"/>; host tests run it over a fake one): record → settings → policy → network → radio, then
    /// one <see cref="RobotNode"/> tick per step, serving the upload port between radio slices. The motors hold the safe
    /// action from construction on, after every failure (the supervisor calls <see cref="HoldSafe"/>) and whenever the
    /// gateway is silent (<see cref="RobotNode"/>); a lost network link (<see cref="LinkMonitor"/>) is a
    /// <see cref="FaultCounters.NoNetwork"/> failure, after which the next boot reconnects.
    /// </summary>
    public sealed class RobotProgram : ISupervisedNode
    {
        private readonly NodeBoot _boot;
        private readonly DeviceSerialService _serial;
        private readonly INodePlatform _platform;
        private readonly IActuator _actuator;
        private readonly IClock _clock;
        private readonly RobotProgramOptions _options;
        private readonly LinkMonitor _link;
        private NodeSettings _settings;
        private bool _network;
        private RobotNode _robot;
        private RadioPolicyReceiver _rollout;
        private RobotSession _session;
        private PersistentCounter _epochSeen;
        private uint _lastEpoch;
        private int _provisionedAtStart;
        private uint _switchedAt;

        /// <summary>Initializes a new instance of the <see cref="RobotProgram"/> class and applies the safe action at once.</summary>
        /// <param name="boot">The boot steps (record, key, store).</param>
        /// <param name="serial">The upload port's service, or null when uploads are disabled.</param>
        /// <param name="platform">The board.</param>
        /// <param name="actuator">The motors and status LED.</param>
        /// <param name="clock">Monotonic clock.</param>
        /// <param name="options">Image constants (copied).</param>
        public RobotProgram(NodeBoot boot, DeviceSerialService serial, INodePlatform platform, IActuator actuator, IClock clock, RobotProgramOptions options)
        {
            if (boot == null || platform == null || actuator == null || clock == null || options == null || options.BootCounterFiles == null || options.EpochSeenFiles == null)
            {
                throw new System.ArgumentNullException(nameof(boot));
            }

            _boot = boot;
            _serial = serial;
            _platform = platform;
            _actuator = actuator;
            _clock = clock;
            _options = options;
            _link = new LinkMonitor(options.LinkDownTicks, options.LinkSilentTicks);

            // The motors first, held at the safe action before anything else can fail.
            _actuator.Apply(options.SafeAction);
        }

        /// <summary>Gets the robot node once the radio is up, else null.</summary>
        public RobotNode Robot
        {
            get { return _robot; }
        }

        /// <summary>Gets the settings from the record once read, else null.</summary>
        public NodeSettings Settings
        {
            get { return _settings; }
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
                // A bench robot with only a key file still takes uploads into its store while it waits for a record.
                if (cause == BootSupervisor.Unprovisioned && _boot.Key != null)
                {
                    _boot.OpenPolicy();
                }

                Attach();
                Log(cause == BootSupervisor.Unprovisioned ? "robot: not provisioned; run `edgemarl provision --role robot ...`" : "robot: provisioning record corrupt");
                return cause;
            }

            _settings = NodeSettings.From(_boot.Record, _platform.ReadMac());
            if (_settings == null || _settings.Role != ProvisioningRecord.RoleRobot || _settings.NodeId < 1 || _settings.NodeId == _options.GatewayId)
            {
                Log("robot: the record is not a robot's (or no MAC for the MAC-derived id); reprovision with --role robot");
                return FaultCounters.BadProvisioning;
            }

            cause = _boot.OpenPolicy();
            Attach();
            if (cause != FaultCounters.None)
            {
                Log("robot " + _settings.NodeId.ToString() + ": policy not ready, cause " + cause.ToString() + "; waiting for the gateway or `edgemarl upload`");
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

            if (_robot == null)
            {
                cause = StartRadio();
                if (cause != FaultCounters.None)
                {
                    return cause;
                }
            }

            _provisionedAtStart = _serial == null ? 0 : _serial.Provisioned;
            Log("robot " + _settings.NodeId.ToString() + ": running, fleet " + _settings.FleetId.ToString() + ", type " + _settings.RobotType.ToString());
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
                Log("robot: switched policy at tick " + _switchedAt.ToString());
            }

            if (_link.EndTick(_platform.NetworkUp, _robot.SilentTicks))
            {
                // The supervisor counts no-network, holds the safe action, backs off and boots again: the boot reconnects.
                _network = false;
                Log(_link.LastLossWasDown ? "robot: network lost (no address); reconnecting" : "robot: nothing heard for " + _link.SilentTicks.ToString() + " ticks; reconnecting the network");
                return FaultCounters.NoNetwork;
            }

            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public void HoldSafe()
        {
            _actuator.Apply(_options.SafeAction);
            _actuator.ShowStatus(false);
        }

        /// <inheritdoc/>
        public bool Wait(int milliseconds)
        {
            return _platform.Wait(milliseconds);
        }

        private void Attach()
        {
            if (_serial != null)
            {
                _serial.Attach(_boot.Store, true); // an upload switches this robot at once
            }
        }

        private int StartRadio()
        {
            IRadio radio = _platform.OpenRadio(_settings, 0);
            if (radio == null)
            {
                Log("robot: cannot open the radio on UDP port " + _settings.UdpPort.ToString());
                return FaultCounters.RadioFailure;
            }

            IFrameAuthenticator frameAuth = _platform.CreateFrameAuthenticator(_settings.Key);

            // The session (docs/protocol.md §6): the robot acts on nothing until its join is accepted. Join nonces must never
            // repeat across boots: a boot counter persisted in two copies, mixed with the robot id and the platform's entropy.
            // The highest gateway epoch seen is persisted too, so that after a reboot it is reported in the join and a gateway
            // that lost its epoch files moves above it.
            uint bootCount = new PersistentCounter(_options.BootCounterFiles).TakeNext();
            _epochSeen = new PersistentCounter(_options.EpochSeenFiles);
            _lastEpoch = _epochSeen.Boot();
            _session = new RobotSession(EdgeMarl.Shared.Random.Pcg32.DeriveSeed(((ulong)bootCount << 32) | (uint)_settings.NodeId, _platform.Entropy()), _lastEpoch);
            _rollout = new RadioPolicyReceiver(_boot.Store, new FrameCodec(_settings.FleetId, frameAuth), radio, _session, _settings.NodeId, _options.GatewayId, 0);
            RobotOptions options = new RobotOptions();
            options.RobotId = _settings.NodeId;
            options.GatewayId = _options.GatewayId;
            options.Seed = _options.Seed;
            options.TickPeriodMs = _settings.TickPeriodMs;
            options.SilentTicksBeforeSafeAction = _options.SilentTicksBeforeSafeAction;
            options.SafeAction = _options.SafeAction;
            options.RobotType = _settings.RobotType;
            options.ActionGate = _rollout;
            options.Session = _session;
            _robot = new RobotNode(
                options,
                _boot.Store.Live,
                new FrameCodec(_settings.FleetId, frameAuth),
                new PolicyFrameRadio(radio, _clock, _rollout),
                _clock,
                (ILocalStateSensor)_platform.OpenSensor(_boot.Store.Live.LocalStates),
                _actuator);
            return FaultCounters.None;
        }

        /// <summary>
        /// One robot tick that alternates between the radio and the upload UART in <see cref="RobotProgramOptions.SerialPollMs"/>
        /// slices (a poll is answered at most one slice late), then closes it.
        /// </summary>
        private void RunTickServingUploads()
        {
            int slice = _options.SerialPollMs;
            long end = _clock.NowMs() + _settings.TickPeriodMs;
            while (true)
            {
                long remaining = end - _clock.NowMs();
                if (remaining <= 0)
                {
                    break;
                }

                _robot.Run(remaining < slice ? (int)remaining : slice);
                _serial.Poll(slice);
            }

            _robot.EndTick();
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
