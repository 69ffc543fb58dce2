using EdgeMarl.Firmware.Supervision;
using nanoFramework.Runtime.Native;

namespace EdgeMarl.Esp32
{
    /// <summary>nanoFramework ONLY. Reboots the ESP32 (<c>Power.RebootDevice</c>, nanoFramework.Runtime.Native); does not return.</summary>
    public sealed class EspRebooter : IRebooter
    {
        /// <inheritdoc/>
        public void Reboot()
        {
            Power.RebootDevice(RebootOption.NormalReboot);
        }
    }
}
