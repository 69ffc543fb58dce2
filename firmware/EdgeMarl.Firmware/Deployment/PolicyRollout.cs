using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// The gateway's fleet update (docs/protocol.md §11): once a serial upload leaves a verified image staged,
    /// <see cref="Start"/> rolls it out to the robots joined at that moment (a snapshot of the gateway's live roster, any
    /// authenticated ids) with a <see cref="PolicyDisseminator"/>; before every tick
    /// <see cref="BeforeTick"/> commits the gateway's own copy at the announced switch tick and pumps the policy frames.
    /// The gateway node's <see cref="PolicyFrameRadio"/> hands the robots' requests and acks to this object, which
    /// forwards them to the rollout in progress (none between rollouts).
    /// </summary>
    /// <remarks>
    /// <para>A new upload that begins before the switch is announced replaces the staged image, which the rollout
    /// reads chunk by chunk: the rollout is then dropped (nothing was announced, so every node keeps its policy) and
    /// the next verified upload starts a new one. After the announcement the program stops serving the UART until
    /// the rollout is over (<see cref="Announced"/>), so the image cannot change under an announced switch.</para>
    /// <para>A disseminator (its bitmap, buffers and per-robot state, 4 + 11 bytes per robot of the snapshot) is made per
    /// rollout, never per tick. A robot that joins after <see cref="Start"/> is not in the rollout: it keeps the policy
    /// it has until the next rollout or a serial upload; a robot that leaves during it is waited for at most
    /// <see cref="DisseminatorOptions.GiveUpTicks"/> and then named a straggler.</para>
    /// </remarks>
    public sealed class PolicyRollout : IPolicyFrameHandler
    {
        private readonly PolicyStore _store;
        private readonly FrameCodec _codec;
        private readonly IRadio _radio;
        private readonly int _gatewayId;
        private IJoinedRoster _roster;
        private readonly GatewaySession _session;
        private readonly INodeLog _log;
        private int _robotCount;

        private PolicyDisseminator _current;
        private bool _reported;
        private int _length;
        private uint _crc;
        private int _ticks;

        /// <summary>Initializes a new instance of the <see cref="PolicyRollout"/> class.</summary>
        /// <param name="store">The gateway's store (booted).</param>
        /// <param name="codec">A codec of its own with the fleet id and key (not the gateway node's).</param>
        /// <param name="radio">The real radio (not the <see cref="PolicyFrameRadio"/> wrapped around it).</param>
        /// <param name="gatewayId">The gateway's node id.</param>
        /// <param name="roster">The gateway's joined roster (<see cref="GatewayNode"/>), read at each <see cref="Start"/>; or null
        /// and set through <see cref="Roster"/> once the gateway node (which takes this rollout as its policy-frame handler) exists.</param>
        /// <param name="session">The gateway node's frame counter: policy frames share its (epoch, sequence) (docs/protocol.md §6).</param>
        /// <param name="log">Operator lines (start, done, aborted, stragglers), or null.</param>
        public PolicyRollout(PolicyStore store, FrameCodec codec, IRadio radio, int gatewayId, IJoinedRoster roster, GatewaySession session, INodeLog log)
        {
            if (store == null || codec == null || radio == null || session == null)
            {
                throw new System.ArgumentNullException(nameof(store));
            }

            _session = session;
            _log = log;
            _store = store;
            _codec = codec;
            _radio = radio;
            _gatewayId = gatewayId;
            _roster = roster;
        }

        /// <summary>Gets a value indicating whether a rollout is in progress.</summary>
        public bool Running
        {
            get { return _current != null; }
        }

        /// <summary>Gets a value indicating whether the switch tick of the rollout in progress is announced.</summary>
        public bool Announced
        {
            get { return _current != null && _current.SwitchTick != 0; }
        }

        /// <summary>Gets or sets the joined roster a rollout goes to (the gateway node); required before <see cref="Start"/>.</summary>
        public IJoinedRoster Roster
        {
            get { return _roster; }
            set { _roster = value; }
        }

        /// <summary>Gets the robots of the rollout in progress (or the last one): the roster as it was at its <see cref="Start"/>.</summary>
        public int RobotCount
        {
            get { return _robotCount; }
        }

        /// <summary>Gets the disseminator of the rollout in progress, or null (for its counters).</summary>
        public PolicyDisseminator Current
        {
            get { return _current; }
        }

        /// <summary>Starts rolling out the staged image to the robots joined now, unless it is the image already being rolled out.</summary>
        /// <returns>True when a new rollout started.</returns>
        public bool Start()
        {
            if (!_store.HasStaged || Announced || _roster == null)
            {
                return false;
            }

            if (_current != null && _length == _store.StagedLength && _crc == _store.StagedCrc)
            {
                return false;
            }

            _length = _store.StagedLength;
            _crc = _store.StagedCrc;
            _ticks = 0;
            _reported = false;

            // A snapshot of the live roster (one array per rollout): every robot joined now must ack before the switch.
            int[] ids = new int[_roster.RosterCount];
            _roster.CopyRoster(ids, 0);

            _robotCount = ids.Length;
            DisseminatorOptions options = new DisseminatorOptions();
            options.GatewayId = _gatewayId;
            options.RobotIds = ids; // copied by the disseminator; this array becomes garbage
            options.Session = _session;
            _current = new PolicyDisseminator(options, _store.StagedSource(), _crc, _codec, _radio);
            Log("rollout: " + _length.ToString() + " B to " + _robotCount.ToString() + " robots");
            return true;
        }

        /// <summary>Commits the gateway's copy when the switch tick comes, then sends this tick's policy frames; call before every gateway tick.</summary>
        /// <param name="nextTick">The tick about to run.</param>
        public void BeforeTick(uint nextTick)
        {
            if (_current == null)
            {
                return;
            }

            bool ours = _store.HasStaged && _store.StagedLength == _length && _store.StagedCrc == _crc;
            bool switched = _store.HasPolicy && _store.CurrentLength == _length && _store.CurrentCrc == _crc;
            if (!ours && !switched)
            {
                Log("rollout: dropped before the announcement (a new upload replaced the image)");
                _current = null;
                return;
            }

            if (ours && _current.SwitchDue(nextTick))
            {
                // Before the broadcast of the switch tick, so that tick is decided by the new π_g. A failed commit is
                // retried next tick (the image stays staged); robots switch at the broadcast either way.
                DeployStatus status = _store.Commit();
                Log("rollout: gateway switch at tick " + nextTick.ToString() + ", status " + ((int)status).ToString());
            }

            _current.Pump(nextTick);
            _ticks++;
            if (_current.Finished && !_reported)
            {
                _reported = true;
                Log(_current.Aborted
                    ? "rollout: aborted: robot " + _current.RejectingRobot.ToString() + " refused the image, status " + ((int)_current.RejectStatus).ToString() + "; every node keeps its policy"
                    : "rollout: done, switch tick " + _current.SwitchTick.ToString() + ", " + _current.ChunksSent.ToString() + " chunk frames");
                ReportStragglers();
            }

            if (_current.Finished && (_current.Aborted || _current.StragglerCount == 0))
            {
                // Stragglers keep being served (one status poll a tick, the chunks they ask for) until they switch.
                _current = null;
            }
            else if (_ticks % 25 == 0)
            {
                Log("rollout: " + _current.RobotsReady.ToString() + "/" + _robotCount.ToString() + " robots staged");
            }
        }

        /// <summary>Names the robots that were not ready at the switch (they hold their safe action until they catch up).</summary>
        private void ReportStragglers()
        {
            int[] ids = new int[_robotCount];
            int count = _current.CopyStragglers(ids, 0);
            for (int i = 0; i < count; i++)
            {
                Log("rollout: straggler robot " + ids[i].ToString() + " not ready at the switch: holds its safe action until it has the new policy");
            }
        }

        private void Log(string line)
        {
            if (_log != null)
            {
                _log.Write(line);
            }
        }

        /// <inheritdoc/>
        public void HandlePolicyFrame(byte[] frame, int offset, int length)
        {
            if (_current != null)
            {
                _current.HandlePolicyFrame(frame, offset, length);
            }
        }

        /// <inheritdoc/>
        public void SeeBroadcast(byte[] frame, int offset, int length)
        {
            // The gateway hears no broadcasts of its own.
        }
    }
}
