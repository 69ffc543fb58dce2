namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// Deterministic retry schedule of <see cref="BootSupervisor"/>: after failure f (1, 2, …) it waits
    /// <c>min(FirstDelayMs · 2^(f−1), MaxDelayMs)</c>, and the failure numbered <see cref="RebootAfterFailures"/>
    /// reboots instead of waiting. Defaults: 1, 2, 4, 8, 16, 32, 60 s, then a reboot at the 8th failure, so a
    /// permanently failing node reboots about every 2 min (123 s of waits) and writes its fault counters 10 times per
    /// cycle (8 counts, the reboot cause, its clearing at boot). No jitter: the fleet's robots differ in when they fail, and a test can name every delay.
    /// </summary>
    public sealed class BackoffSchedule
    {
        /// <summary>Initializes a new instance of the <see cref="BackoffSchedule"/> class with the defaults.</summary>
        public BackoffSchedule()
        {
            FirstDelayMs = 1000;
            MaxDelayMs = 60000;
            RebootAfterFailures = 8;
            HealthySteps = 50;
        }

        /// <summary>Gets or sets the wait after the first failure, in ms (at least 1).</summary>
        public int FirstDelayMs { get; set; }

        /// <summary>Gets or sets the longest wait, in ms.</summary>
        public int MaxDelayMs { get; set; }

        /// <summary>Gets or sets the number of consecutive failures that ends in a reboot (at least 1).</summary>
        public int RebootAfterFailures { get; set; }

        /// <summary>
        /// Gets or sets the number of consecutive good loop steps after which the failure count restarts from 0
        /// (50 ticks = 10 s at 200 ms): a loop that fails on its first step again and again still reaches the reboot.
        /// </summary>
        public int HealthySteps { get; set; }

        /// <summary>Returns the wait after failure number <paramref name="failure"/> (1-based).</summary>
        /// <param name="failure">Consecutive failures so far (at least 1).</param>
        /// <returns>The delay in ms.</returns>
        public int DelayMs(int failure)
        {
            long delay = FirstDelayMs < 1 ? 1 : FirstDelayMs;
            for (int i = 1; i < failure && delay < MaxDelayMs; i++)
            {
                delay *= 2;
            }

            return delay > MaxDelayMs ? MaxDelayMs : (int)delay;
        }
    }
}
