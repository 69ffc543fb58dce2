using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// The gateway's watch on the fleet size (<see cref="FleetSizeCheck"/>): every <c>checkEveryTicks</c> ticks it compares
    /// the live fleet (<see cref="ILiveFleetSize"/>) with the <c>n</c> stamped in the policy in force. When they start to
    /// differ by more than the tolerance it counts <see cref="FaultCounters.FleetSizeMismatch"/> once (visible in
    /// <c>edgemarl device-info</c>) and returns the warning line to log; it warns again only after the sizes agreed in
    /// between (or the policy changed). Never a refusal. No allocation except the warning line itself.
    /// </summary>
    public sealed class FleetSizeMonitor
    {
        private readonly ILiveFleetSize _live;
        private readonly LivePolicy _policy;
        private readonly FaultCounters _faults;
        private readonly NodeHealth _health;
        private readonly int _checkEveryTicks;
        private int _ticks;
        private bool _warned;
        private int _warnedTrainedN;

        /// <summary>Initializes a new instance of the <see cref="FleetSizeMonitor"/> class.</summary>
        /// <param name="live">The live fleet size.</param>
        /// <param name="policy">The policy in force (its table's header carries n).</param>
        /// <param name="faults">Where a new mismatch is counted.</param>
        /// <param name="health">Receives both sizes for device-info (may be null).</param>
        /// <param name="checkEveryTicks">Ticks between checks (at least 1; e.g. 50 = every 10 s at 200 ms).</param>
        public FleetSizeMonitor(ILiveFleetSize live, LivePolicy policy, FaultCounters faults, NodeHealth health, int checkEveryTicks)
        {
            if (live == null || policy == null || faults == null)
            {
                throw new System.ArgumentNullException(nameof(live));
            }

            _live = live;
            _policy = policy;
            _faults = faults;
            _health = health;
            _checkEveryTicks = checkEveryTicks < 1 ? 1 : checkEveryTicks;
            _ticks = _checkEveryTicks - 1; // the first call checks
        }

        /// <summary>Gets the number of warnings raised since start.</summary>
        public int Warnings { get; private set; }

        /// <summary>Returns the fleet size <c>n</c> in the header of the policy in force (0 when unknown).</summary>
        /// <param name="policy">The live policy.</param>
        /// <returns>n, or 0.</returns>
        public static int TrainedFleetSize(LivePolicy policy)
        {
            PolicyTable table = policy == null ? null : policy.Table as PolicyTable;
            return table == null ? 0 : table.AgentCount;
        }

        /// <summary>Call once per tick.</summary>
        /// <returns>The warning line when a mismatch starts at this tick (log it), else null.</returns>
        public string Tick()
        {
            if (++_ticks < _checkEveryTicks)
            {
                return null;
            }

            _ticks = 0;
            int trainedN = TrainedFleetSize(_policy);
            int liveN = _live.LiveRobots;
            if (_health != null)
            {
                _health.LiveFleetSize = liveN;
                _health.PolicyFleetSize = trainedN;
            }

            if (!FleetSizeCheck.Differs(trainedN, liveN))
            {
                _warned = false;
                return null;
            }

            if (_warned && _warnedTrainedN == trainedN)
            {
                return null;
            }

            _warned = true;
            _warnedTrainedN = trainedN;
            Warnings++;
            _faults.Record(FaultCounters.FleetSizeMismatch);
            return FleetSizeCheck.Warning(trainedN, liveN);
        }
    }
}
