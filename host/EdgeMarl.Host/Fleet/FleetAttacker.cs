using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// An attacker on the air without the fleet key: with probability <c>forge</c> per tick it sends a broadcast to every
/// robot and a poll to one robot, both claiming to be the gateway with a sequence ahead of the real one (so that, were
/// they accepted, robots would also lock out the real gateway), and a report to the gateway claiming to be a robot. Every
/// frame is well-formed with a valid CRC and a tag under a key that is not the fleet's.
/// </summary>
internal sealed class FleetAttacker
{
    private readonly IRadio _radio;
    private readonly double _forge;
    private readonly int _globalStates;
    private readonly int _globalActions;
    private readonly int _localStates;
    private readonly int _robots;
    private readonly int _k;
    private readonly FrameCodec _codec;
    private readonly byte[] _frame = new byte[FrameLayout.MaxFrameBytes];

    public FleetAttacker(IRadio radio, double forge, int globalStates, int globalActions, int localStates, int robots, int k)
    {
        _radio = radio;
        _forge = forge;
        _globalStates = globalStates;
        _globalActions = globalActions;
        _localStates = localStates;
        _robots = robots;
        _k = k;
        byte[] wrongKey = new byte[32];
        for (int i = 0; i < wrongKey.Length; i++)
        {
            wrongKey[i] = (byte)((i * 31) + 7);
        }

        _codec = new FrameCodec(FleetRunner.FleetId, new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(wrongKey));
    }

    /// <summary>Attacks with probability <c>forge</c>; every draw comes from <paramref name="faults"/>.</summary>
    /// <param name="faults">The run's fault stream.</param>
    /// <param name="epoch">The gateway's current epoch (public: it is in every frame header).</param>
    /// <param name="tick">The gateway's current tick.</param>
    /// <param name="lastSequence">The gateway's last sequence.</param>
    /// <returns>The number of forged frames sent (0 or 3).</returns>
    public int MaybeAttack(Pcg32 faults, uint epoch, uint tick, uint lastSequence)
    {
        if (!(faults.NextUnitDouble() < _forge))
        {
            return 0;
        }

        uint sequence = lastSequence + 1 + faults.NextBelow(1000);
        int sg = (int)faults.NextBelow((uint)_globalStates);
        int ag = (int)faults.NextBelow((uint)_globalActions);
        int length = _codec.EncodeBroadcast(FleetRunner.GatewayId, epoch, tick, sequence, sg, ag, _k, _frame, 0);
        _radio.Broadcast(_frame, 0, length);
        int target = (int)faults.NextBelow((uint)_robots);
        length = _codec.EncodePoll(FleetRunner.GatewayId, epoch, tick, sequence + 1, target, _frame, 0);
        _radio.Send(target, _frame, 0, length);
        length = _codec.EncodeReport(target, epoch, tick, 1, lastSequence, (int)faults.NextBelow((uint)_localStates), _frame, 0);
        _radio.Send(FleetRunner.GatewayId, _frame, 0, length);
        return 3;
    }
}
