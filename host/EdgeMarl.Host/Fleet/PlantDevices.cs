using EdgeMarl.Firmware.Boundary;

namespace EdgeMarl.Host.Fleet;

/// <summary>The gateway's sensor of <c>s_g</c>: reads the plant.</summary>
/// <param name="plant">The plant.</param>
internal sealed class PlantGlobalSensor(FleetPlant plant) : IGlobalStateSensor
{
    public int ReadGlobalState() => plant.GlobalState;
}

/// <summary>Robot <c>i</c>'s sensor of <c>s_l</c>: reads the plant.</summary>
/// <param name="plant">The plant.</param>
/// <param name="robot">Robot index (= id).</param>
internal sealed class PlantLocalSensor(FleetPlant plant, int robot) : ILocalStateSensor
{
    public int ReadLocalState() => plant.LocalStates[robot];
}

/// <summary>The gateway's actuator: commands <c>a_g</c> on the plant.</summary>
/// <param name="plant">The plant.</param>
internal sealed class PlantGlobalActuator(FleetPlant plant) : IActuator
{
    public void Apply(int action)
    {
        if (action >= 0 && action < plant.GlobalActionCount)
        {
            plant.GlobalAction = action;
        }
    }

    public void ShowStatus(bool healthy)
    {
    }
}

/// <summary>Robot <c>i</c>'s actuator: commands <c>a_l</c> on the plant; an unknown action drives the safe action.</summary>
/// <param name="plant">The plant.</param>
/// <param name="robot">Robot index (= id).</param>
internal sealed class PlantLocalActuator(FleetPlant plant, int robot) : IActuator
{
    public void Apply(int action) =>
        plant.LocalActions[robot] = action >= 0 && action < plant.LocalActionCount ? action : plant.SafeAction;

    public void ShowStatus(bool healthy)
    {
    }
}
