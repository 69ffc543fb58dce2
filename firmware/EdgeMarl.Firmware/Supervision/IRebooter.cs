namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// Restarts the device. On an ESP32 this is nanoFramework's <c>Power.RebootDevice</c> and never returns; the host
    /// stand-in device returns and rebuilds its node from the files on its store folder, as a boot would.
    /// </summary>
    public interface IRebooter
    {
        /// <summary>Reboots (the cause is already persisted by the caller).</summary>
        void Reboot();
    }
}
