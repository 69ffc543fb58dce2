using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// The robot's program as a <see cref="NodeProgram"/> (whose boot sequence it shares with the gateway's), board-independent (the ESP32 program is this class over its
    /// <see cref="INodePlatform"/>; host tests run it over a fake one): record → settings → policy → network → radio, then
    /// one <see cref="RobotNode"/> tick per step, serving the upload port between radio slices. The motors hold the safe
    /// action from construction on, after every failure (the supervisor calls <see cref="HoldSafe"/>) and whenever the
    /// gateway is silent (<see cref="RobotNode"/>); a lost network link (<see cref="LinkMonitor"/>) is a
    /// <see cref="FaultCounters.NoNetwork"/> failure, after which the next boot reconnects.
    /// </summary>
    public sealed class RobotProgram : NodeProgram
    {
        private readonly IActuator _actuator;
        private readonly RobotProgramOptions _options;
        private RobotNode _robot;
        private RadioPolicyReceiver _rollout;
        private RobotSession _session;
        private PersistentCounter _epochSeen;
        private uint _lastEpoch;
        private uint _switchedAt;

        /// <summary>Initializes a new instance of the <see cref="RobotProgram"/> class and applies the safe action at once.</summary>
        /// <param name="boot">The boot steps (record, key, store).</param>
        /// <param name="serial">The upload port's service, or null when uploads are disabled.</param>
        /// <param name="platform">The board.</param>
        /// <param name="actuator">The motors and status LED.</param>
        /// <param name="clock">Monotonic clock.</param>
        /// <param name="options">Image constants (copied).</param>
        public RobotProgram(NodeBoot boot, DeviceSerialService serial, INodePlatform platform, IActuator actuator, IClock clock, RobotProgramOptions options)
            : base(boot, serial, platform, clock, Checked(boot, platform, actuator, clock, options).Log, new LinkMonitor(options.LinkDownTicks, options.LinkSilentTicks))
        {
            _actuator = actuator;
            _options = options;

            // The motors first, held at the safe action before anything else can fail.
            _actuator.Apply(options.SafeAction);
        }

        /// <summary>Gets the robot node once the radio is up, else null.</summary>
        public RobotNode Robot
        {
            get { return _robot; }
        }

        /// <inheritdoc/>
        protected override string Role
        {
            get { return "robot"; }
        }

        /// <inheritdoc/>
        protected override bool RadioStarted
        {
            get { return _robot != null; }
        }

        /// <inheritdoc/>
        public override int Step()
        {
            if (Serial == null)
            {
                _robot.Tick();
            }
            else
            {
                RunTickServingUploads();
                if (Serial.TakeOperatorChange() && Serial.Provisioned != ProvisionedAtStart)
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

            if (Link.EndTick(Platform.NetworkUp, _robot.SilentTicks))
            {
                // The supervisor counts no-network, holds the safe action, backs off and boots again: the boot reconnects.
                NetworkLost();
                Log(Link.LastLossWasDown ? "robot: network lost (no address); reconnecting" : "robot: nothing heard for " + Link.SilentTicks.ToString() + " ticks; reconnecting the network");
                return FaultCounters.NoNetwork;
            }

            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public override void HoldSafe()
        {
            _actuator.Apply(_options.SafeAction);
            _actuator.ShowStatus(false);
        }

        /// <inheritdoc/>
        protected override NodeSettings ReadSettings()
        {
            return NodeSettings.From(BootSteps.Record, Platform.ReadMac());
        }

        /// <inheritdoc/>
        protected override string RejectSettings(NodeSettings settings)
        {
            if (settings == null || settings.Role != ProvisioningRecord.RoleRobot || settings.NodeId < 1 || settings.NodeId == _options.GatewayId)
            {
                return "robot: the record is not a robot's (or no MAC for the MAC-derived id); reprovision with --role robot";
            }

            return null;
        }

        /// <inheritdoc/>
        protected override bool CommitsUploadsWhileBooting()
        {
            return true; // an upload switches this robot at once
        }

        /// <inheritdoc/>
        protected override string PolicyNotReady(int cause)
        {
            return "robot " + Settings.NodeId.ToString() + ": policy not ready, cause " + cause.ToString() + "; waiting for the gateway or `edgemarl upload`";
        }

        /// <inheritdoc/>
        protected override void Running()
        {
            Log("robot " + Settings.NodeId.ToString() + ": running, fleet " + Settings.FleetId.ToString() + ", type " + Settings.RobotType.ToString());
        }

        /// <inheritdoc/>
        protected override int StartRadio()
        {
            IRadio radio = Platform.OpenRadio(Settings, 0);
            if (radio == null)
            {
                Log("robot: cannot open the radio on UDP port " + Settings.UdpPort.ToString());
                return FaultCounters.RadioFailure;
            }

            IFrameAuthenticator frameAuth = Platform.CreateFrameAuthenticator(Settings.Key);

            // The session (docs/protocol.md §6): the robot acts on nothing until its join is accepted. Join nonces must never
            // repeat across boots: a boot counter persisted in two copies, mixed with the robot id and the platform's entropy.
            // The highest gateway epoch seen is persisted too, so that after a reboot it is reported in the join and a gateway
            // that lost its epoch files moves above it.
            uint bootCount = new PersistentCounter(_options.BootCounterFiles).TakeNext();
            _epochSeen = new PersistentCounter(_options.EpochSeenFiles);
            _lastEpoch = _epochSeen.Boot();
            _session = new RobotSession(EdgeMarl.Shared.Random.Pcg32.DeriveSeed(((ulong)bootCount << 32) | (uint)Settings.NodeId, Platform.Entropy()), _lastEpoch);
            _rollout = new RadioPolicyReceiver(BootSteps.Store, new FrameCodec(Settings.FleetId, frameAuth), radio, _session, Settings.NodeId, _options.GatewayId, 0);
            RobotOptions options = new RobotOptions();
            options.RobotId = Settings.NodeId;
            options.GatewayId = _options.GatewayId;
            options.Seed = _options.Seed;
            options.TickPeriodMs = Settings.TickPeriodMs;
            options.SilentTicksBeforeSafeAction = _options.SilentTicksBeforeSafeAction;
            options.SafeAction = _options.SafeAction;
            options.RobotType = Settings.RobotType;
            options.ActionGate = _rollout;
            options.Session = _session;
            _robot = new RobotNode(
                options,
                BootSteps.Store.Live,
                new FrameCodec(Settings.FleetId, frameAuth),
                new PolicyFrameRadio(radio, Clock, _rollout),
                Clock,
                (ILocalStateSensor)Platform.OpenSensor(BootSteps.Store.Live.LocalStates),
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
            long end = Clock.NowMs() + Settings.TickPeriodMs;
            while (true)
            {
                long remaining = end - Clock.NowMs();
                if (remaining <= 0)
                {
                    break;
                }

                _robot.Run(remaining < slice ? (int)remaining : slice);
                Serial.Poll(slice);
            }

            _robot.EndTick();
        }

        /// <summary>Checks the constructor's arguments before the base class takes them.</summary>
        private static RobotProgramOptions Checked(NodeBoot boot, INodePlatform platform, IActuator actuator, IClock clock, RobotProgramOptions options)
        {
            if (boot == null || platform == null || actuator == null || clock == null || options == null || options.BootCounterFiles == null || options.EpochSeenFiles == null)
            {
                throw new System.ArgumentNullException(nameof(boot));
            }

            return options;
        }
    }
}
