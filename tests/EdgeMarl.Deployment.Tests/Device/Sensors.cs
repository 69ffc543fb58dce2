using EdgeMarl.Firmware.Boundary;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>Settable sensors and a no-op actuator for the device tests.</summary>
internal static class Sensors
{
    public sealed class Global : IGlobalStateSensor
    {
        public int State { get; set; }

        public int ReadGlobalState() => State;
    }

    public sealed class Local : ILocalStateSensor
    {
        public int State { get; set; }

        public int ReadLocalState() => State;
    }

    public sealed class Actuator : IActuator
    {
        public int Last { get; private set; } = -1;

        public void Apply(int action) => Last = action;

        public void ShowStatus(bool healthy)
        {
        }
    }
}
