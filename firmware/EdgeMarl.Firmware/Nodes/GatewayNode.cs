using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;
using EdgeMarl.Shared.Sampling;

namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// The global agent on the radio (docs/design.md §3): each <see cref="Tick"/> samples <c>k</c> of the <c>n</c>
    /// robots, polls them, counts the <c>k'</c> local states that arrive before the deadline into <c>c</c>,
    /// looks up <c>a_g = π_g(s_g, c)</c> in the <c>k'</c> table, and broadcasts <c>(tick, s_g, a_g)</c>.
    /// </summary>
    /// <remarks>
    /// <para>Fallback: when <c>k' &lt; KMin</c>, the global sensor fails, or the lookup fails, the gateway repeats
    /// its last table action (<see cref="GatewayOptions.InitialGlobalAction"/> before the first) and counts a
    /// fallback tick; the broadcast still goes out so robots are not silenced (docs/protocol.md §8).</para>
    /// <para>Reports are accepted only for the current tick, from the robot polled in that slot (the report
    /// echoes its poll's sequence, so the slot is <c>echo − firstPollSequence</c>: O(1), no search), once each.
    /// Everything else is counted and ignored: older ticks as late, repeats as duplicate, other fleets,
    /// unpolled senders and other kinds as foreign, corrupt or unauthenticated frames as rejected.</para>
    /// <para>Roster by join (docs/protocol.md §6): robots join with a tagged Join; the gateway answers at most
    /// <see cref="GatewayOptions.JoinAcceptsPerTick"/> joins per tick (further Join frames are skipped by their kind byte,
    /// before any MAC, so a join storm cannot starve the tick) and keeps the roster sorted by id, so with every robot
    /// joined the sample is the same as with a static roster. A robot stays while it is alive: its lease
    /// (<see cref="GatewayOptions.LeaseTicks"/>) is renewed by its joins and reports; a sampled robot whose lease ran out
    /// is not polled and is dropped at the end of the tick, and one roster entry per tick is swept.</para>
    /// <para>Typed fleets (docs/heterogeneity.md §8): with a policy for <c>T</c> robot types a report carries the robot's class
    /// <c>x = τ·|S_l| + s_l</c> in the state field, <c>c</c> counts the <c>T·|S_l|</c> classes and is ranked over them; a report
    /// with <c>x ≥ T·|S_l|</c> (a type the policy does not know) is counted in <see cref="BadClassReports"/> and dropped.
    /// <c>T = 1</c> is the untyped fleet: <c>x = s_l</c>.</para>
    /// <para>Cost per tick: O(k + T·|S_l|) work for polling, collecting and deciding, zero allocation (every buffer is made
    /// here), integers only; admitting or dropping a robot moves the sorted roster (one array copy, at most
    /// <see cref="GatewayOptions.JoinAcceptsPerTick"/> + k + 1 per tick, after the broadcast). The node owns its buffers;
    /// radio, clock, sensor, actuator, codec and policy are the caller's.</para>
    /// </remarks>
    public sealed class GatewayNode : IJoinedRoster
    {
        private readonly IPolicyLookup _policy;
        private readonly FrameCodec _codec;
        private readonly IRadio _radio;
        private readonly IClock _clock;
        private readonly IGlobalStateSensor _sensor;
        private readonly IActuator _actuator;
        private readonly int _gatewayId;
        private readonly int[] _allowed;
        private readonly int[] _roster;
        private readonly uint[] _leaseUntil;
        private readonly GatewaySession _session;
        private readonly IAddressLearner _learner;
        private readonly int _joinsPerTick;
        private readonly uint _leaseTicks;
        private readonly int[] _pendingIds;
        private readonly ulong[] _pendingNonces;
        private readonly uint[] _pendingEpochs;
        private readonly bool[] _expired;
        private readonly int _k;
        private readonly int _replyWindowMs;
        private readonly int _classCount;
        private readonly Pcg32 _rng;
        private readonly Subsampler _sampler;
        private readonly DegradedLookup _lookup;

        // Per-tick state, sized once: sampled roster indices, their ids, who answered, the count vector c.
        private readonly int[] _sampleIndex;
        private readonly int[] _sampleIds;
        private readonly int[] _sampleStates;
        private readonly int[] _counts;
        private readonly byte[] _tx;
        private readonly byte[] _rx;
        private readonly DecodedFrame _frame;

        private uint _tick;
        private uint _firstPollSequence;
        private int _rosterCount;
        private int _pendingCount;
        private int _joinBudget;
        private int _kNow;
        private int _sweep;
        private int _kPrime;
        private int _lastTableAction;
        private int _globalState;
        private int _globalAction;
        private bool _usedFallback;

        /// <summary>Initializes a new instance of the <see cref="GatewayNode"/> class and makes every buffer it will use.</summary>
        /// <param name="options">Configuration (copied; later changes have no effect).</param>
        /// <param name="policy">The policy tables (<c>π_g</c> per <c>k'</c>).</param>
        /// <param name="codec">Frame codec with this fleet's id and key.</param>
        /// <param name="radio">Radio to the robots.</param>
        /// <param name="clock">Monotonic clock for the reply deadline.</param>
        /// <param name="sensor">Reads <c>s_g</c> at the start of each tick.</param>
        /// <param name="actuator">Drives the gateway's own outputs for <c>a_g</c>, or null when it has none.</param>
        /// <exception cref="System.ArgumentException">An argument is missing or the sizes are inconsistent.</exception>
        public GatewayNode(GatewayOptions options, IPolicyLookup policy, FrameCodec codec, IRadio radio, IClock clock, IGlobalStateSensor sensor, IActuator actuator)
        {
            if (options == null || policy == null || codec == null || radio == null || clock == null || sensor == null)
            {
                throw new System.ArgumentNullException(nameof(options));
            }

            int capacity = options.MaxRobots > 0 ? options.MaxRobots : options.RobotIds != null ? options.RobotIds.Length : 1024;
            int k = options.SampleSize;
            // k may exceed the policy's largest table K: the lookup then subsamples the replies to it (a lifted policy,
            // docs/policy-format.md "Degradation tables"), as it does when frames are lost.
            if (k < 0 || k > capacity || k > 0xFFFF || options.ReplyWindowMs < 0 || options.GatewayId < 0 || options.GatewayId > 0xFFFF
                || options.JoinAcceptsPerTick < 1 || options.LeaseTicks < 2)
            {
                throw new System.ArgumentException("gateway: need 0 <= k <= roster capacity, id in [0, 65535], reply window >= 0, joins per tick >= 1, lease >= 2 ticks", nameof(options));
            }

            if (options.InitialGlobalAction < 0 || options.InitialGlobalAction >= policy.GlobalActions)
            {
                throw new System.ArgumentException("gateway: initial global action outside [0, |A_g|)", nameof(options));
            }

            if (options.RobotIds != null)
            {
                _allowed = new int[options.RobotIds.Length];
                for (int i = 0; i < _allowed.Length; i++)
                {
                    int id = options.RobotIds[i];
                    if (id < 0 || id > 0xFFFF || id == options.GatewayId)
                    {
                        throw new System.ArgumentException("gateway: robot id outside [0, 65535] or equal to the gateway id", nameof(options));
                    }

                    _allowed[i] = id;
                }

                SortAscending(_allowed);
                for (int i = 1; i < _allowed.Length; i++)
                {
                    if (_allowed[i] == _allowed[i - 1])
                    {
                        throw new System.ArgumentException("gateway: robot ids must be distinct", nameof(options));
                    }
                }
            }

            _roster = new int[capacity];
            _leaseUntil = new uint[capacity];
            _session = options.Session != null ? options.Session : new GatewaySession(null, 1, options.FirstSequence, 0);
            _learner = options.AddressLearner;
            _joinsPerTick = options.JoinAcceptsPerTick;
            _leaseTicks = options.LeaseTicks;
            _pendingIds = new int[_joinsPerTick];
            _pendingNonces = new ulong[_joinsPerTick];
            _pendingEpochs = new uint[_joinsPerTick];
            _expired = new bool[k];

            _policy = policy;
            _codec = codec;
            _radio = radio;
            _clock = clock;
            _sensor = sensor;
            _actuator = actuator;
            _gatewayId = options.GatewayId;
            _k = k;
            _replyWindowMs = options.ReplyWindowMs;
            if (policy.RobotTypes < 1 || (long)policy.RobotTypes * policy.LocalStates > 0xFFFF)
            {
                throw new System.ArgumentException("gateway: the policy's T·|S_l| must be in [1, 65535]", nameof(policy));
            }

            _classCount = policy.RobotTypes * policy.LocalStates;
            _rng = new Pcg32(options.Seed);
            _sampler = new Subsampler(k);
            _lookup = new DegradedLookup(k, _classCount);
            _sampleIndex = new int[k];
            _sampleIds = new int[k];
            _sampleStates = new int[k];
            _counts = new int[_classCount];
            _tx = new byte[FrameLayout.MaxFrameBytes];
            _rx = new byte[FrameLayout.MaxFrameBytes];
            _frame = new DecodedFrame();
            _tick = options.FirstTick;
            _lastTableAction = options.InitialGlobalAction;
            _globalAction = options.InitialGlobalAction;
        }

        /// <summary>Gets the number of the last tick run.</summary>
        public uint CurrentTick
        {
            get { return _tick; }
        }

        /// <summary>Gets the sequence of the last frame sent, within <see cref="Epoch"/>.</summary>
        public uint LastSequence
        {
            get { return _session.LastSequence; }
        }

        /// <summary>Gets the current epoch (frames are ordered by (epoch, sequence)).</summary>
        public uint Epoch
        {
            get { return _session.Epoch; }
        }

        /// <summary>Gets the frame counter (shared with the policy disseminator).</summary>
        public GatewaySession Session
        {
            get { return _session; }
        }

        /// <inheritdoc/>
        public int RosterCount
        {
            get { return _rosterCount; }
        }

        /// <summary>Gets the number of joins answered with a JoinAccept.</summary>
        public int JoinsAccepted { get; private set; }

        /// <summary>Gets the number of Join frames skipped because the tick's join budget was spent (the robots retry).</summary>
        public int JoinsDeferred { get; private set; }

        /// <summary>Gets the roster capacity: how many robots can be joined at once (<see cref="GatewayOptions.MaxRobots"/>).</summary>
        public int RosterCapacity
        {
            get { return _roster.Length; }
        }

        /// <summary>Gets the number of joins refused (not on the allow-list, or the roster is full).</summary>
        public int JoinsRefused { get; private set; }

        /// <summary>Gets the number of robots dropped from the roster because their lease ran out.</summary>
        public int Evicted { get; private set; }

        /// <inheritdoc/>
        public int CopyRoster(int[] destination, int offset)
        {
            System.Array.Copy(_roster, 0, destination, offset, _rosterCount);
            return _rosterCount;
        }

        /// <summary>Gets <c>k</c>.</summary>
        public int SampleSize
        {
            get { return _k; }
        }

        /// <summary>Gets <c>k'</c> of the last tick: reports accepted before the deadline.</summary>
        public int LastReportCount
        {
            get { return _kPrime; }
        }

        /// <summary>Gets <c>s_g</c> broadcast in the last tick.</summary>
        public int LastGlobalState
        {
            get { return _globalState; }
        }

        /// <summary>Gets <c>a_g</c> broadcast in the last tick.</summary>
        public int LastGlobalAction
        {
            get { return _globalAction; }
        }

        /// <summary>Gets a value indicating whether the last tick used the fallback instead of a table lookup.</summary>
        public bool LastUsedFallback
        {
            get { return _usedFallback; }
        }

        /// <summary>Gets the number of ticks run.</summary>
        public int Ticks { get; private set; }

        /// <summary>Gets the number of polls sent.</summary>
        public int PollsSent { get; private set; }

        /// <summary>Gets the number of reports accepted (sum of <c>k'</c>).</summary>
        public int ReportsAccepted { get; private set; }

        /// <summary>Gets the number of polls with no accepted answer by the deadline (sum of <c>k − k'</c>).</summary>
        public int Lost { get; private set; }

        /// <summary>Gets the number of reports for an earlier tick (late answers, or replays of old reports).</summary>
        public int Late { get; private set; }

        /// <summary>Gets the number of second answers to the same poll (network duplicates or replays within a tick).</summary>
        public int Duplicate { get; private set; }

        /// <summary>Gets the number of frames from another fleet, an unpolled sender, a future tick, or of a kind the gateway does not take.</summary>
        public int Foreign { get; private set; }

        /// <summary>Gets the number of the gateway's own frames received back (UDP broadcast loopback); ignored.</summary>
        public int Echoes { get; private set; }

        /// <summary>Gets the number of frames that failed decoding (corrupt, wrong version, missing or bad tag) or carried an invalid class (<see cref="BadClassReports"/>).</summary>
        public int Rejected { get; private set; }

        /// <summary>
        /// Gets the number of reports whose class <c>x = τ·|S_l| + s_l</c> is outside <c>[0, T·|S_l|)</c> (a robot provisioned
        /// with a type the policy does not have, or a forged state); each is dropped, never counted in <c>c</c>, and is also
        /// in <see cref="Rejected"/>.
        /// </summary>
        public int BadClassReports { get; private set; }

        /// <summary>Gets the number of counted classes <c>T·|S_l|</c> (the length of <c>c</c>).</summary>
        public int ClassCount
        {
            get { return _classCount; }
        }

        /// <summary>Gets the number of frames the radio refused to send.</summary>
        public int SendFailures { get; private set; }

        /// <summary>Gets the number of ticks that used the fallback action.</summary>
        public int FallbackTicks { get; private set; }

        /// <summary>Gets the number of invalid readings of the global sensor.</summary>
        public int SensorFaults { get; private set; }

        /// <summary>Gets the status of the last frame rejected by the codec.</summary>
        public FrameStatus LastRejectStatus { get; private set; }

        /// <summary>Gets the number of robots polled in the last tick: <c>min(k, roster)</c>.</summary>
        public int LastSampleSize
        {
            get { return _kNow; }
        }

        /// <summary>Copies the robot ids polled in the last tick (slot order) into <c>destination[offset .. offset+k)</c> (−1 past <see cref="LastSampleSize"/>).</summary>
        /// <param name="destination">Caller-owned buffer.</param>
        /// <param name="offset">First entry written.</param>
        public void CopySampledIds(int[] destination, int offset)
        {
            System.Array.Copy(_sampleIds, 0, destination, offset, _k);
        }

        /// <summary>Copies the reported state per slot of the last tick (−1 for no accepted answer) into <c>destination[offset .. offset+k)</c>.</summary>
        /// <param name="destination">Caller-owned buffer.</param>
        /// <param name="offset">First entry written.</param>
        public void CopySampledStates(int[] destination, int offset)
        {
            System.Array.Copy(_sampleStates, 0, destination, offset, _k);
        }

        /// <summary>Copies the count vector <c>c</c> of the last tick into <c>destination[offset .. offset+T·|S_l|)</c>.</summary>
        /// <param name="destination">Caller-owned buffer.</param>
        /// <param name="offset">First entry written.</param>
        public void CopyCounts(int[] destination, int offset)
        {
            System.Array.Copy(_counts, 0, destination, offset, _classCount);
        }

        /// <summary>
        /// Runs one tick: read <c>s_g</c>, sample and poll <c>k</c> robots, collect reports until
        /// <c>start + ReplyWindowMs</c> (or all answered), decide <c>a_g</c>, broadcast, drive the actuator.
        /// Blocks at most the reply window plus the radio's send time. Allocates nothing.
        /// </summary>
        public void Tick()
        {
            _tick++;
            Ticks++;
            long deadline = _clock.NowMs() + _replyWindowMs;
            _joinBudget = _joinsPerTick;

            // This tick's polls, broadcast and join accepts stay in one epoch (consecutive poll sequences find the slot).
            _session.Reserve((uint)(_k + 1 + _joinsPerTick));

            int s_g = _sensor.ReadGlobalState();
            bool sensorOk = s_g >= 0 && s_g < _policy.GlobalStates;
            if (sensorOk)
            {
                _globalState = s_g;
            }
            else
            {
                // Keep the last valid s_g: robots still need one to condition π_l on.
                SensorFaults++;
            }

            Poll();
            Collect(deadline);
            Decide(sensorOk);

            int length = _codec.EncodeBroadcast(_gatewayId, _session.Epoch, _tick, _session.Next(), _globalState, _globalAction, _kPrime, _tx, 0);
            if (!_radio.Broadcast(_tx, 0, length))
            {
                SendFailures++;
            }

            if (_actuator != null)
            {
                _actuator.Apply(_globalAction);
                _actuator.ShowStatus(!_usedFallback);
            }

            // Roster changes only here, after the broadcast: the tick's slots index the roster as it was when sampled.
            DropExpired();
            AdmitPendingJoins();
        }

        /// <summary>
        /// Between ticks: handles the frames that arrive within <paramref name="timeoutMs"/> (0: only those waiting) and
        /// answers up to <see cref="GatewayOptions.JoinAcceptsPerTick"/> joins. Reports arriving now are late. Allocates nothing.
        /// </summary>
        /// <param name="timeoutMs">How long to listen.</param>
        public void ServeJoins(int timeoutMs)
        {
            _joinBudget = _joinsPerTick;
            _kNow = 0;
            long deadline = _clock.NowMs() + (timeoutMs > 0 ? timeoutMs : 0);
            while (true)
            {
                long remaining = deadline - _clock.NowMs();
                int length = _radio.Receive(_rx, 0, _rx.Length, remaining <= 0 ? 0 : remaining > int.MaxValue ? int.MaxValue : (int)remaining);
                if (length <= 0)
                {
                    break;
                }

                Accept(length);
            }

            AdmitPendingJoins();
        }

        /// <summary>Shell sort (Array.Sort is absent on nanoFramework); start-up only.</summary>
        private static void SortAscending(int[] values)
        {
            for (int gap = values.Length / 2; gap > 0; gap /= 2)
            {
                for (int i = gap; i < values.Length; i++)
                {
                    int value = values[i];
                    int j = i;
                    while (j >= gap && values[j - gap] > value)
                    {
                        values[j] = values[j - gap];
                        j -= gap;
                    }

                    values[j] = value;
                }
            }
        }

        /// <summary>Draws the k-subset of the roster (Floyd, shared Subsampler) and sends one poll per slot.</summary>
        private void Poll()
        {
            _kNow = _rosterCount < _k ? _rosterCount : _k;
            _sampler.Sample(_rng, _rosterCount, _kNow, _sampleIndex, 0);
            _firstPollSequence = _session.LastSequence + 1;
            for (int slot = 0; slot < _k; slot++)
            {
                _sampleStates[slot] = -1;
                _expired[slot] = false;
                if (slot >= _kNow)
                {
                    _sampleIds[slot] = -1;
                    continue;
                }

                int index = _sampleIndex[slot];
                int robotId = _roster[index];
                _sampleIds[slot] = robotId;
                uint sequence = _session.Next(); // taken even when not sent, so slot = echo − first stays exact
                if (unchecked((int)(_tick - _leaseUntil[index])) > 0)
                {
                    // Not heard within its lease: not alive. Not polled; dropped after the broadcast.
                    _expired[slot] = true;
                    continue;
                }

                int length = _codec.EncodePoll(_gatewayId, _session.Epoch, _tick, sequence, robotId, _tx, 0);
                PollsSent++;
                if (!_radio.Send(robotId, _tx, 0, length))
                {
                    SendFailures++;
                }
            }
        }

        /// <summary>Receives until the deadline or until all k slots answered; fills c.</summary>
        private void Collect(long deadline)
        {
            for (int j = 0; j < _classCount; j++)
            {
                _counts[j] = 0;
            }

            _kPrime = 0;
            while (true)
            {
                long remaining = deadline - _clock.NowMs();
                if (remaining <= 0)
                {
                    break;
                }

                // Once every slot answered, take only what is already waiting (joins), then decide.
                bool answered = _kPrime >= _kNow;
                int length = _radio.Receive(_rx, 0, _rx.Length, answered ? 0 : remaining > int.MaxValue ? int.MaxValue : (int)remaining);
                if (length > 0)
                {
                    Accept(length);
                }
                else if (answered)
                {
                    break;
                }
            }

            Lost += _kNow - _kPrime;
            ReportsAccepted += _kPrime;
        }

        /// <summary>Checks one received frame against the current tick's polls; counts it in c or in a counter.</summary>
        private void Accept(int length)
        {
            if (length >= FrameLayout.MinFrameBytes && _rx[FrameLayout.KindOffset] == (byte)FrameKind.Join)
            {
                if (_joinBudget == 0)
                {
                    // Join storm: the budget is spent; skip before the MAC so the tick's cost stays bounded. The robot retries.
                    JoinsDeferred++;
                    return;
                }

                // Every Join that reaches the MAC spends budget, forged or not: at most JoinAcceptsPerTick verifications a tick.
                _joinBudget--;
            }

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

            if (_frame.SenderId == _gatewayId)
            {
                // Our own broadcast, looped back by a UDP stack that delivers subnet broadcasts to the sender.
                Echoes++;
                return;
            }

            if (_frame.Kind == FrameKind.Join)
            {
                TakeJoin();
                return;
            }

            if (_frame.Kind != FrameKind.Report || _frame.Tick > _tick)
            {
                Foreign++;
                return;
            }

            if (_frame.Tick < _tick || _frame.Epoch != _session.Epoch)
            {
                Late++;
                return;
            }

            // The report echoes its poll's sequence; polls of this tick are consecutive from _firstPollSequence.
            uint slot = unchecked(_frame.EchoSequence - _firstPollSequence);
            if (slot >= (uint)_kNow || _sampleIds[slot] != _frame.SenderId || _expired[slot])
            {
                Foreign++;
                return;
            }

            if (_sampleStates[slot] >= 0)
            {
                Duplicate++;
                return;
            }

            // x = τ·|S_l| + s_l (x = s_l untyped). Out of range: a type the policy does not have, or a forged value.
            int x = _frame.LocalState;
            if (x < 0 || x >= _classCount)
            {
                BadClassReports++;
                Rejected++;
                return;
            }

            _sampleStates[slot] = x;
            _counts[x]++;
            _kPrime++;
            _leaseUntil[_sampleIndex[slot]] = _tick + _leaseTicks; // heard: alive
        }

        /// <summary>An authenticated Join: queue it (answered after the broadcast, within the tick's budget).</summary>
        private void TakeJoin()
        {
            int id = _frame.SenderId;
            if ((_allowed != null && SortedIds.Find(_allowed, _allowed.Length, id) < 0) || _pendingCount >= _pendingIds.Length)
            {
                JoinsRefused++;
                return;
            }

            if (_learner != null)
            {
                _learner.LearnSender(id);
            }

            _pendingIds[_pendingCount] = id;
            _pendingNonces[_pendingCount] = _frame.Nonce;
            _pendingEpochs[_pendingCount] = _frame.Epoch;
            _pendingCount++;
        }

        /// <summary>Admits (or renews) each queued join and answers it with the session floor: (epoch, tick, sequence) now.</summary>
        private void AdmitPendingJoins()
        {
            for (int i = 0; i < _pendingCount; i++)
            {
                // A robot that knows a higher epoch than ours means we lost our persisted epoch: move above it first.
                _session.ObserveRobotEpoch(_pendingEpochs[i]);
                int id = _pendingIds[i];
                int index = SortedIds.Find(_roster, _rosterCount, id);
                if (index < 0)
                {
                    if (_rosterCount == _roster.Length)
                    {
                        JoinsRefused++;
                        if (_learner != null)
                        {
                            _learner.ForgetSender(id); // learned at its join; not admitted, so it must not take a peer slot
                        }

                        continue;
                    }

                    index = ~index;
                    System.Array.Copy(_roster, index, _roster, index + 1, _rosterCount - index);
                    System.Array.Copy(_leaseUntil, index, _leaseUntil, index + 1, _rosterCount - index);
                    _roster[index] = id;
                    _rosterCount++;
                }

                _leaseUntil[index] = _tick + _leaseTicks;
                int length = _codec.EncodeJoinAccept(_gatewayId, _session.Epoch, _tick, _session.Next(), id, _pendingNonces[i], _leaseTicks, _tx, 0);
                JoinsAccepted++;
                if (!_radio.Send(id, _tx, 0, length))
                {
                    SendFailures++;
                }
            }

            _pendingCount = 0;
        }

        /// <summary>Drops the sampled robots found expired, then sweeps one roster entry (so unsampled dead robots leave too).</summary>
        private void DropExpired()
        {
            for (int slot = 0; slot < _kNow; slot++)
            {
                if (_expired[slot])
                {
                    Remove(SortedIds.Find(_roster, _rosterCount, _sampleIds[slot]));
                }
            }

            if (_rosterCount > 0)
            {
                _sweep = _sweep >= _rosterCount ? 0 : _sweep;
                if (unchecked((int)(_tick - _leaseUntil[_sweep])) > 0)
                {
                    Remove(_sweep);
                }
                else
                {
                    _sweep++;
                }
            }
        }

        private void Remove(int index)
        {
            if (index < 0)
            {
                return;
            }

            int id = _roster[index];
            System.Array.Copy(_roster, index + 1, _roster, index, _rosterCount - index - 1);
            System.Array.Copy(_leaseUntil, index + 1, _leaseUntil, index, _rosterCount - index - 1);
            _rosterCount--;
            Evicted++;
            if (_learner != null)
            {
                _learner.ForgetSender(id); // the radio's table holds only the roster (it is sized to the roster capacity)
            }
        }

        /// <summary>a_g = π_g(s_g, c) from the largest stored table k* ≤ k' (replies subsampled to k*), else repeat the last table action.</summary>
        private void Decide(bool sensorOk)
        {
            int a_g;

            // A policy with another class count (a live switch to a policy for other robot types) cannot be looked up with
            // this tick's counts: hold the last action until the node is rebuilt for it.
            bool sameClasses = _policy.RobotTypes * _policy.LocalStates == _classCount;
            if (sensorOk && sameClasses && _lookup.TryLookup(_policy, _rng, _globalState, _sampleStates, _kNow, out a_g))
            {
                _globalAction = a_g;
                _lastTableAction = a_g;
                _usedFallback = false;
            }
            else
            {
                _globalAction = _lastTableAction;
                _usedFallback = true;
                FallbackTicks++;
            }
        }
    }
}
