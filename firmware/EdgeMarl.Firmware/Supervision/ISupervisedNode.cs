namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// What <see cref="BootSupervisor"/> runs: a node's boot steps, one step of its loop, its safe state and its wait
    /// between retries. Results are fault causes (<c>FaultCounters</c>) or the supervisor's own codes
    /// (<see cref="BootSupervisor.Unprovisioned"/>, <see cref="BootSupervisor.RestartRequested"/>). Exceptions are
    /// allowed: the supervisor catches them and counts them as <c>FaultCounters.LoopException</c>.
    /// </summary>
    public interface ISupervisedNode
    {
        /// <summary>Runs the boot steps not done yet (idempotent: called again after every failure).</summary>
        /// <returns><c>FaultCounters.None</c> when the node can run its loop, a fault cause, or <see cref="BootSupervisor.Unprovisioned"/>.</returns>
        int Boot();

        /// <summary>Runs one step of the loop (one tick).</summary>
        /// <returns><c>FaultCounters.None</c> to go on, a fault cause, or <see cref="BootSupervisor.RestartRequested"/>.</returns>
        int Step();

        /// <summary>Puts the node into its safe state (robot: the safe action; gateway: no broadcasts). Called after every failure.</summary>
        void HoldSafe();

        /// <summary>Waits about <paramref name="milliseconds"/> while keeping the safe state and serving the serial port.</summary>
        /// <param name="milliseconds">The backoff delay.</param>
        /// <returns>True when an operator changed something that may fix the boot (a record provisioned, a policy uploaded):
        /// the supervisor then retries at once and restarts its failure count.</returns>
        bool Wait(int milliseconds);
    }
}
