using EdgeMarl.Firmware.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// Detects a network link lost at run time, once per tick, with integers only: the node's network interface has had no
    /// address for <see cref="DownTicks"/> ticks in a row (Wi-Fi dropped and did not come back by itself), or, when
    /// <see cref="SilentTicks"/> is above 0, nothing was heard from the fleet for that many ticks (an association that
    /// looks up but carries nothing). The program then returns <see cref="FaultCounters.NoNetwork"/> from its step: the
    /// <see cref="BootSupervisor"/> counts it, puts the node into its safe state, waits its backoff and boots again, and the
    /// boot reconnects the network (docs/provisioning.md "Self-healing").
    /// </summary>
    /// <remarks>
    /// A gateway that is simply off is not a link loss for a robot: robots already hold their safe action after
    /// <c>SilentTicksBeforeSafeAction</c> and rejoin; <see cref="SilentTicks"/> only adds a reconnect after a much longer
    /// silence (default 300 ticks = 60 s at 200 ms), which, with the supervisor's failure count reset after 50 good steps,
    /// never escalates to a reboot by itself.
    /// </remarks>
    public sealed class LinkMonitor
    {
        private int _down;
        private bool _lost;

        /// <summary>Initializes a new instance of the <see cref="LinkMonitor"/> class.</summary>
        /// <param name="downTicks">Ticks in a row without a network address before the link counts as lost, at least 1.</param>
        /// <param name="silentTicks">Ticks in a row without a frame from the fleet before the link counts as lost; 0 disables.</param>
        public LinkMonitor(int downTicks, int silentTicks)
        {
            if (downTicks < 1 || silentTicks < 0)
            {
                throw new System.ArgumentException("link monitor: down ticks >= 1, silent ticks >= 0", nameof(downTicks));
            }

            DownTicks = downTicks;
            SilentTicks = silentTicks;
        }

        /// <summary>Gets the ticks without a network address that make the link lost.</summary>
        public int DownTicks { get; private set; }

        /// <summary>Gets the ticks without a fleet frame that make the link lost (0: never).</summary>
        public int SilentTicks { get; private set; }

        /// <summary>Gets the number of link losses detected.</summary>
        public int Losses { get; private set; }

        /// <summary>Gets a value indicating whether the last loss was for want of an address (else silence).</summary>
        public bool LastLossWasDown { get; private set; }

        /// <summary>Observes the end of one tick.</summary>
        /// <param name="networkUp">True when the network interface has an address now.</param>
        /// <param name="silentTicks">Consecutive ticks without a frame from the fleet (robot: <c>RobotNode.SilentTicks</c>; 0 when not tracked).</param>
        /// <returns>True once per loss: the tick at which the link became lost.</returns>
        public bool EndTick(bool networkUp, int silentTicks)
        {
            _down = networkUp ? 0 : _down + 1;
            bool lost = _down >= DownTicks || (SilentTicks > 0 && silentTicks >= SilentTicks);
            bool first = lost && !_lost;
            _lost = lost;
            if (first)
            {
                Losses++;
                LastLossWasDown = _down >= DownTicks;
            }

            return first;
        }

        /// <summary>Forgets the counts (after the network has been reconnected).</summary>
        public void Reset()
        {
            _down = 0;
            _lost = false;
        }
    }
}
