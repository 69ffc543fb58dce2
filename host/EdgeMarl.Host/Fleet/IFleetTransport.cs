using EdgeMarl.Firmware.Boundary;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// The air between the nodes: radios for the gateway, each robot and an attacker, a clock, and the event loop that lets
/// robots handle their frames (robots never block; the transport calls <c>pumpRobot(i)</c> when robot <c>i</c> may have
/// frames waiting, and the runner's pump calls <c>RobotNode.ProcessPending</c> or drains a crashed robot's radio).
/// </summary>
internal interface IFleetTransport : IDisposable
{
    /// <summary>Gets the clock every node uses.</summary>
    IClock Clock { get; }

    /// <summary>Gets the gateway's radio.</summary>
    IRadio GatewayRadio { get; }

    /// <summary>Gets what learns a robot's address from its authenticated join (UDP: the datagram's source endpoint), or null when ids are the addresses.</summary>
    IAddressLearner? GatewayAddressLearner { get; }

    /// <summary>Gets the attacker's radio (null when no forging is configured).</summary>
    IRadio? AttackerRadio { get; }

    /// <summary>Returns robot <paramref name="robot"/>'s radio.</summary>
    IRadio RobotRadio(int robot);

    /// <summary>Marks the start of a tick (before the gateway's <c>Tick</c>).</summary>
    void BeginTick();

    /// <summary>Delivers what is due for the rest of the tick and lets every robot handle its frames; bounded in time.</summary>
    void Settle();

    /// <summary>Adds the transport's own counters (cumulative since construction) to <paramref name="counters"/>.</summary>
    void AddCounters(FleetCounters counters);
}
