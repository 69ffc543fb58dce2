namespace EdgeMarl.Firmware.Boundary
{
    /// <summary>Reads a robot's local state <c>s_l</c> (docs/design.md §1).</summary>
    public interface ILocalStateSensor
    {
        /// <summary>Reads the current local state.</summary>
        /// <returns><c>s_l ∈ [0, |S_l|)</c>, or −1 when the reading is not a valid state (sensor fault).</returns>
        int ReadLocalState();
    }
}
