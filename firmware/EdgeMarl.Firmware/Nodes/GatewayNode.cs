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
    /// <para>Cost per tick: O(k + |S_l|) work, zero allocation (every buffer is made here), integers only.
    /// The node owns its buffers; radio, clock, sensor, actuator, codec and policy are the caller's.</para>
    /// </remarks>
    public sealed class GatewayNode
    {
        private readonly IPolicyLookup _policy;
        private readonly FrameCodec _codec;
        private readonly IRadio _radio;
        private readonly IClock _clock;
        private readonly IGlobalStateSensor _sensor;
        private readonly IActuator _actuator;
        private readonly int _gatewayId;
        private readonly int[] _robotIds;
        private readonly int _k;
        private readonly int _replyWindowMs;
        private readonly int _localStateCount;
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
        private uint _sequence;
        private uint _firstPollSequence;
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
            if (options == null || policy == null || codec == null || radio == null || clock == null || sensor == null || options.RobotIds == null)
            {
                throw new System.ArgumentNullException(nameof(options));
            }

            int n = options.RobotIds.Length;
            int k = options.SampleSize;
            // k may exceed the policy's largest table K: the lookup then subsamples the replies to it (a lifted policy,
            // docs/policy-format.md "Degradation tables"), as it does when frames are lost.
            if (k < 0 || k > n || k > 0xFFFF || options.ReplyWindowMs < 0 || options.GatewayId < 0 || options.GatewayId > 0xFFFF)
            {
                throw new System.ArgumentException("gateway: need 0 <= k <= n, id in [0, 65535], reply window >= 0", nameof(options));
            }

            if (options.InitialGlobalAction < 0 || options.InitialGlobalAction >= policy.GlobalActions)
            {
                throw new System.ArgumentException("gateway: initial global action outside [0, |A_g|)", nameof(options));
            }

            _robotIds = new int[n];
            for (int i = 0; i < n; i++)
            {
                int id = options.RobotIds[i];
                if (id < 0 || id > 0xFFFF || id == options.GatewayId)
                {
                    throw new System.ArgumentException("gateway: robot id outside [0, 65535] or equal to the gateway id", nameof(options));
                }

                _robotIds[i] = id;
            }

            if (HasDuplicate(_robotIds))
            {
                // A repeated id would be polled twice in one tick and counted twice in c.
                throw new System.ArgumentException("gateway: robot ids must be distinct", nameof(options));
            }

            _policy = policy;
            _codec = codec;
            _radio = radio;
            _clock = clock;
            _sensor = sensor;
            _actuator = actuator;
            _gatewayId = options.GatewayId;
            _k = k;
            _replyWindowMs = options.ReplyWindowMs;
            _localStateCount = policy.LocalStates;
            _rng = new Pcg32(options.Seed);
            _sampler = new Subsampler(k);
            _lookup = new DegradedLookup(k, _localStateCount);
            _sampleIndex = new int[k];
            _sampleIds = new int[k];
            _sampleStates = new int[k];
            _counts = new int[_localStateCount];
            _tx = new byte[FrameLayout.MaxFrameBytes];
            _rx = new byte[FrameLayout.MaxFrameBytes];
            _frame = new DecodedFrame();
            _tick = options.FirstTick;
            _sequence = options.FirstSequence;
            _lastTableAction = options.InitialGlobalAction;
            _globalAction = options.InitialGlobalAction;
        }

        /// <summary>Gets the number of the last tick run.</summary>
        public uint CurrentTick
        {
            get { return _tick; }
        }

        /// <summary>Gets the sequence of the last frame sent (persist it to survive a reboot).</summary>
        public uint LastSequence
        {
            get { return _sequence; }
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

        /// <summary>Gets the number of frames that failed decoding (corrupt, wrong version, missing or bad tag) or carried an invalid state.</summary>
        public int Rejected { get; private set; }

        /// <summary>Gets the number of frames the radio refused to send.</summary>
        public int SendFailures { get; private set; }

        /// <summary>Gets the number of ticks that used the fallback action.</summary>
        public int FallbackTicks { get; private set; }

        /// <summary>Gets the number of invalid readings of the global sensor.</summary>
        public int SensorFaults { get; private set; }

        /// <summary>Gets the status of the last frame rejected by the codec.</summary>
        public FrameStatus LastRejectStatus { get; private set; }

        /// <summary>Copies the robot ids polled in the last tick (slot order) into <c>destination[offset .. offset+k)</c>.</summary>
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

        /// <summary>Copies the count vector <c>c</c> of the last tick into <c>destination[offset .. offset+|S_l|)</c>.</summary>
        /// <param name="destination">Caller-owned buffer.</param>
        /// <param name="offset">First entry written.</param>
        public void CopyCounts(int[] destination, int offset)
        {
            System.Array.Copy(_counts, 0, destination, offset, _localStateCount);
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

            _sequence++;
            int length = _codec.EncodeBroadcast(_gatewayId, _tick, _sequence, _globalState, _globalAction, _kPrime, _tx, 0);
            if (!_radio.Broadcast(_tx, 0, length))
            {
                SendFailures++;
            }

            if (_actuator != null)
            {
                _actuator.Apply(_globalAction);
                _actuator.ShowStatus(!_usedFallback);
            }
        }

        /// <summary>Shell-sorts a copy (Array.Sort is absent on nanoFramework) and scans neighbours; start-up only.</summary>
        private static bool HasDuplicate(int[] ids)
        {
            int[] sorted = new int[ids.Length];
            System.Array.Copy(ids, sorted, ids.Length);
            for (int gap = sorted.Length / 2; gap > 0; gap /= 2)
            {
                for (int i = gap; i < sorted.Length; i++)
                {
                    int value = sorted[i];
                    int j = i;
                    while (j >= gap && sorted[j - gap] > value)
                    {
                        sorted[j] = sorted[j - gap];
                        j -= gap;
                    }

                    sorted[j] = value;
                }
            }

            for (int i = 1; i < sorted.Length; i++)
            {
                if (sorted[i] == sorted[i - 1])
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Draws the k-subset of the roster (Floyd, shared Subsampler) and sends one poll per slot.</summary>
        private void Poll()
        {
            _sampler.Sample(_rng, _robotIds.Length, _k, _sampleIndex, 0);
            _firstPollSequence = _sequence + 1;
            for (int slot = 0; slot < _k; slot++)
            {
                int robotId = _robotIds[_sampleIndex[slot]];
                _sampleIds[slot] = robotId;
                _sampleStates[slot] = -1;
                _sequence++;
                int length = _codec.EncodePoll(_gatewayId, _tick, _sequence, robotId, _tx, 0);
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
            for (int j = 0; j < _localStateCount; j++)
            {
                _counts[j] = 0;
            }

            _kPrime = 0;
            while (_kPrime < _k)
            {
                long remaining = deadline - _clock.NowMs();
                if (remaining <= 0)
                {
                    break;
                }

                int length = _radio.Receive(_rx, 0, _rx.Length, remaining > int.MaxValue ? int.MaxValue : (int)remaining);
                if (length > 0)
                {
                    Accept(length);
                }
            }

            Lost += _k - _kPrime;
            ReportsAccepted += _kPrime;
        }

        /// <summary>Checks one received frame against the current tick's polls; counts it in c or in a counter.</summary>
        private void Accept(int length)
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

            if (_frame.SenderId == _gatewayId)
            {
                // Our own broadcast, looped back by a UDP stack that delivers subnet broadcasts to the sender.
                Echoes++;
                return;
            }

            if (_frame.Kind != FrameKind.Report || _frame.Tick > _tick)
            {
                Foreign++;
                return;
            }

            if (_frame.Tick < _tick)
            {
                Late++;
                return;
            }

            // The report echoes its poll's sequence; polls of this tick are consecutive from _firstPollSequence.
            uint slot = unchecked(_frame.EchoSequence - _firstPollSequence);
            if (slot >= (uint)_k || _sampleIds[slot] != _frame.SenderId)
            {
                Foreign++;
                return;
            }

            if (_sampleStates[slot] >= 0)
            {
                Duplicate++;
                return;
            }

            int s_l = _frame.LocalState;
            if (s_l >= _localStateCount)
            {
                Rejected++;
                return;
            }

            _sampleStates[slot] = s_l;
            _counts[s_l]++;
            _kPrime++;
        }

        /// <summary>a_g = π_g(s_g, c) from the largest stored table k* ≤ k' (replies subsampled to k*), else repeat the last table action.</summary>
        private void Decide(bool sensorOk)
        {
            int a_g;
            if (sensorOk && _lookup.TryLookup(_policy, _rng, _globalState, _sampleStates, _k, out a_g))
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
