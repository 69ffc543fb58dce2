namespace EdgeMarl.Firmware.Boundary
{
    /// <summary>Reads the gateway's global state <c>s_g</c> (docs/design.md §1).</summary>
    public interface IGlobalStateSensor
    {
        /// <summary>Reads the current global state.</summary>
        /// <returns><c>s_g ∈ [0, |S_g|)</c>, or −1 when the reading is not a valid state (sensor fault).</returns>
        int ReadGlobalState();
    }
}
