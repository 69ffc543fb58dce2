using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// A local agent on the radio (docs/design.md §3): answers the gateway's poll with <c>s_l</c> from its sensor,
    /// and on each broadcast <c>(tick, s_g, a_g)</c> draws <c>a_l ~ π_l(· | s_l, s_g)</c> with its own PRNG
    /// (one <see cref="Pcg32.NextByte"/> per broadcast) and applies it. After
    /// <see cref="RobotOptions.SilentTicksBeforeSafeAction"/> ticks without a broadcast it applies the safe action.
    /// </summary>
    /// <remarks>
    /// <para>Sessions (docs/protocol.md §6): after boot the robot acts on nothing and answers no poll until it has joined
    /// (<see cref="RobotSession"/>: a tagged Join with a fresh nonce, answered by the gateway's JoinAccept). Then a frame
    /// from the gateway is accepted only when its (epoch, sequence) is above the session floor and the last accepted one
    /// (the tag makes both unforgeable). A strict window: a frame overtaken by a later one is dropped as stale, which
    /// costs at most one tick's action. <see cref="EndTick"/> sends the joins (first join, silence, lease renewal).</para>
    /// <para>Per frame O(|A_l|) work (the local-table draw), zero allocation, integers only. The node owns its
    /// buffers; radio, clock, sensor, actuator, codec and policy are the caller's.</para>
    /// </remarks>
    public sealed class RobotNode
    {
        private readonly IPolicyLookup _policy;
        private readonly FrameCodec _codec;
        private readonly IRadio _radio;
        private readonly IClock _clock;
        private readonly ILocalStateSensor _sensor;
        private readonly IActuator _actuator;
        private readonly IActionGate _gate;
        private readonly RobotSession _session;
        private readonly int _robotId;
        private readonly int _gatewayId;
        private readonly int _tickPeriodMs;
        private readonly int _silentTicksBeforeSafe;
        private readonly int _safeAction;
        private readonly int _robotType;
        private readonly Pcg32 _rng;
        private readonly byte[] _tx;
        private readonly byte[] _rx;
        private readonly DecodedFrame _frame;

        private uint _sequence;
        private uint _lastTick;
        private bool _broadcastThisTick;
        private int _silentTicks;

        /// <summary>Initializes a new instance of the <see cref="RobotNode"/> class and makes every buffer it will use.</summary>
        /// <param name="options">Configuration (copied; later changes have no effect).</param>
        /// <param name="policy">The policy tables (<c>π_l</c>).</param>
        /// <param name="codec">Frame codec with this fleet's id and key.</param>
        /// <param name="radio">Radio to the gateway.</param>
        /// <param name="clock">Monotonic clock for <see cref="Run"/>.</param>
        /// <param name="sensor">Reads <c>s_l</c>.</param>
        /// <param name="actuator">Applies <c>a_l</c>.</param>
        /// <exception cref="System.ArgumentException">An argument is missing or out of range.</exception>
        public RobotNode(RobotOptions options, IPolicyLookup policy, FrameCodec codec, IRadio radio, IClock clock, ILocalStateSensor sensor, IActuator actuator)
        {
            if (options == null || policy == null || codec == null || radio == null || clock == null || sensor == null || actuator == null)
            {
                throw new System.ArgumentNullException(nameof(options));
            }

            if (options.RobotId < 0 || options.RobotId > 0xFFFF || options.GatewayId < 0 || options.GatewayId > 0xFFFF
                || options.TickPeriodMs < 0 || options.SilentTicksBeforeSafeAction < 1
                || options.SafeAction < 0 || options.SafeAction >= policy.LocalActions || options.RobotType < 0 || options.RobotType > 254)
            {
                throw new System.ArgumentException("robot: ids in [0, 65535], tick period >= 0, silent ticks >= 1, safe action in [0, |A_l|), type in [0, 254]", nameof(options));
            }

            _policy = policy;
            _codec = codec;
            _radio = radio;
            _clock = clock;
            _sensor = sensor;
            _actuator = actuator;
            _gate = options.ActionGate;
            _session = options.Session != null ? options.Session : new RobotSession(options.NonceSeed, options.LastKnownEpoch);
            _robotId = options.RobotId;
            _gatewayId = options.GatewayId;
            _tickPeriodMs = options.TickPeriodMs;
            _silentTicksBeforeSafe = options.SilentTicksBeforeSafeAction;
            _safeAction = options.SafeAction;
            _robotType = options.RobotType;
            _rng = new Pcg32(Pcg32.DeriveSeed(options.Seed, (ulong)options.RobotId));
            _sequence = options.FirstSequence;
            _tx = new byte[FrameLayout.MaxFrameBytes];
            _rx = new byte[FrameLayout.MaxFrameBytes];
            _frame = new DecodedFrame();
            LastLocalAction = -1;
        }

        /// <summary>Gets this robot's id.</summary>
        public int RobotId
        {
            get { return _robotId; }
        }

        /// <summary>Gets the last local action applied (policy or safe), or −1 before any.</summary>
        public int LastLocalAction { get; private set; }

        /// <summary>Gets the global state of the last accepted broadcast.</summary>
        public int LastGlobalState { get; private set; }

        /// <summary>Gets the consecutive ticks that ended without an accepted broadcast.</summary>
        public int SilentTicks
        {
            get { return _silentTicks; }
        }

        /// <summary>Gets the number of polls answered.</summary>
        public int PollsAnswered { get; private set; }

        /// <summary>Gets the number of broadcasts whose action was applied.</summary>
        public int BroadcastsApplied { get; private set; }

        /// <summary>Gets the number of broadcasts answered with the safe action because the action gate said hold (rollout straggler).</summary>
        public int HeldSafe { get; private set; }

        /// <summary>Gets the number of times the safe action was applied.</summary>
        public int SafeActionsApplied { get; private set; }

        /// <summary>Gets the number of gateway frames dropped because their (epoch, sequence) was not new in the session (replays, duplicates, overtaken frames).</summary>
        public int Replayed { get; private set; }

        /// <summary>Gets the number of gateway polls and broadcasts dropped because the robot had no session yet (since boot, before its first JoinAccept).</summary>
        public int NotJoined { get; private set; }

        /// <summary>Gets the robot's session (joined or not, epoch, joins sent).</summary>
        public RobotSession Session
        {
            get { return _session; }
        }

        /// <summary>Gets the number of frames from another fleet or sender, polls for other robots, or kinds a robot does not take.</summary>
        public int Foreign { get; private set; }

        /// <summary>Gets the number of frames that failed decoding (corrupt, wrong version, missing or bad tag).</summary>
        public int Rejected { get; private set; }

        /// <summary>Gets this robot's type <c>τ</c> (0 untyped).</summary>
        public int RobotType
        {
            get { return _robotType; }
        }

        /// <summary>
        /// Gets the number of polls and broadcasts met with a policy that has no row for this robot's type (<c>τ ≥ T</c>: the robot
        /// was provisioned for another fleet or the policy is for another one): no report was sent and the safe action applied.
        /// </summary>
        public int TypeFaults { get; private set; }

        /// <summary>Gets the number of invalid sensor readings.</summary>
        public int SensorFaults { get; private set; }

        /// <summary>Gets the number of broadcasts whose <c>(s_g, s_l)</c> the policy could not serve.</summary>
        public int PolicyFaults { get; private set; }

        /// <summary>Gets the number of frames the radio refused to send.</summary>
        public int SendFailures { get; private set; }

        /// <summary>Gets the status of the last frame rejected by the codec.</summary>
        public FrameStatus LastRejectStatus { get; private set; }

        /// <summary>One robot tick on a device: <see cref="Run"/> for the tick period, then <see cref="EndTick"/>.</summary>
        public void Tick()
        {
            Run(_tickPeriodMs);
            EndTick();
        }

        /// <summary>Handles frames as they arrive for <paramref name="durationMs"/> milliseconds.</summary>
        /// <param name="durationMs">How long to listen.</param>
        public void Run(int durationMs)
        {
            long deadline = _clock.NowMs() + durationMs;
            while (true)
            {
                long remaining = deadline - _clock.NowMs();
                if (remaining <= 0)
                {
                    return;
                }

                int length = _radio.Receive(_rx, 0, _rx.Length, remaining > int.MaxValue ? int.MaxValue : (int)remaining);
                if (length > 0)
                {
                    Handle(length);
                }
            }
        }

        /// <summary>Handles every frame already waiting, without blocking (for event-driven simulations).</summary>
        /// <returns>The number of frames handled.</returns>
        public int ProcessPending()
        {
            int handled = 0;
            while (true)
            {
                int length = _radio.Receive(_rx, 0, _rx.Length, 0);
                if (length <= 0)
                {
                    return handled;
                }

                Handle(length);
                handled++;
            }
        }

        /// <summary>
        /// Closes one robot tick: if no broadcast was accepted during it, counts a silent tick, and from
        /// <see cref="RobotOptions.SilentTicksBeforeSafeAction"/> silent ticks on applies the safe action each tick.
        /// </summary>
        public void EndTick()
        {
            if (_broadcastThisTick)
            {
                _broadcastThisTick = false;
            }
            else
            {
                _silentTicks++;
                if (_silentTicks >= _silentTicksBeforeSafe)
                {
                    ApplySafe();
                }
            }

            if (_session.JoinDue(_silentTicks, _silentTicksBeforeSafe))
            {
                SendJoin();
            }
        }

        private void Handle(int length)
        {
            FrameStatus status = _codec.Decode(_rx, 0, length, _frame);
            if (status != FrameStatus.Ok)
            {
                if (status == FrameStatus.ForeignFleet)
                {
                    Foreign++;
                }
                else
                {
                    Rejected++;
                    LastRejectStatus = status;
                }

                return;
            }

            if (_frame.SenderId == _gatewayId && _frame.Kind == FrameKind.JoinAccept && _frame.TargetId == _robotId)
            {
                // Only the accept for our latest nonce counts; a replayed or duplicated one is stale.
                if (!_session.TryJoin(_frame, _robotId))
                {
                    Replayed++;
                }
                else
                {
                    _lastTick = _frame.Tick;
                }

                return;
            }

            bool isPoll = _frame.Kind == FrameKind.Poll;
            if (_frame.SenderId != _gatewayId || (!isPoll && _frame.Kind != FrameKind.Broadcast) || (isPoll && _frame.TargetId != _robotId))
            {
                Foreign++;
                return;
            }

            if (!_session.AcceptNodeFrame(_frame.Epoch, _frame.Sequence))
            {
                if (_session.Joined)
                {
                    Replayed++;
                }
                else
                {
                    NotJoined++;
                }

                return;
            }

            _lastTick = _frame.Tick;
            if (isPoll)
            {
                Answer();
            }
            else
            {
                Act();
            }
        }

        /// <summary>Report s_l for the polled tick, echoing the poll's sequence so the gateway finds the slot in O(1).</summary>
        private void Answer()
        {
            if (_robotType >= _policy.RobotTypes)
            {
                // A type the policy has no rows for: no answer beats a wrong one (the gateway counts a lost report).
                TypeFaults++;
                return;
            }

            int s_l = _sensor.ReadLocalState();
            if (s_l < 0 || s_l >= _policy.LocalStates)
            {
                // No answer beats a wrong one: the gateway counts a lost report and still decides from k'.
                SensorFaults++;
                return;
            }

            // Typed fleets report the class x = τ·|S_l| + s_l in the same u16 (x = s_l when untyped).
            int x = (_robotType * _policy.LocalStates) + s_l;
            _sequence++;
            int length = _codec.EncodeReport(_robotId, _frame.Epoch, _frame.Tick, _sequence, _frame.Sequence, x, _tx, 0);
            if (_radio.Send(_gatewayId, _tx, 0, length))
            {
                PollsAnswered++;
            }
            else
            {
                SendFailures++;
            }
        }

        /// <summary>a_l ~ π_l(· | s_l, s_g): one uniform byte against the local table's 8-bit cumulative thresholds.</summary>
        private void Act()
        {
            _broadcastThisTick = true;
            _silentTicks = 0;
            int s_g = _frame.GlobalState;
            LastGlobalState = s_g;
            if (_gate != null && _gate.HoldSafeAction)
            {
                // A straggler: the fleet runs a newer policy than ours, so π_l here would be mixed with another π_g.
                HeldSafe++;
                ApplySafe();
                return;
            }

            if (_robotType >= _policy.RobotTypes)
            {
                TypeFaults++;
                ApplySafe();
                return;
            }

            int s_l = _sensor.ReadLocalState();
            if (s_l < 0 || s_l >= _policy.LocalStates)
            {
                SensorFaults++;
                ApplySafe();
                return;
            }

            // This robot's own type's row: x = τ·|S_l| + s_l.
            int a_l = _policy.GetLocalAction(s_g, (_robotType * _policy.LocalStates) + s_l, _rng.NextByte());
            if (a_l < 0)
            {
                PolicyFaults++;
                ApplySafe();
                return;
            }

            _actuator.Apply(a_l);
            _actuator.ShowStatus(true);
            LastLocalAction = a_l;
            BroadcastsApplied++;
        }

        /// <summary>Join (or re-join): a fresh nonce, and the highest epoch we know so a gateway that lost its epoch moves above it.</summary>
        private void SendJoin()
        {
            _sequence++;
            int length = _codec.EncodeJoin(_robotId, _session.HighestEpoch, _lastTick, _sequence, _session.NextJoinNonce(), _tx, 0);
            if (!_radio.Send(_gatewayId, _tx, 0, length))
            {
                SendFailures++;
            }
        }

        private void ApplySafe()
        {
            _actuator.Apply(_safeAction);
            _actuator.ShowStatus(false);
            LastLocalAction = _safeAction;
            SafeActionsApplied++;
        }
    }
}
