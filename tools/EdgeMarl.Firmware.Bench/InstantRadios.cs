using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Bench;

/// <summary>
/// The gateway's radio with the air removed: each poll is decoded and answered at once by encoding the robot's
/// report (robot-side work, measured separately by <c>RobotSideWork</c>) into a preallocated inbox. No clock advance,
/// no allocation.
/// </summary>
internal sealed class InstantGatewayRadio : IRadio
{
    private readonly FrameCodec _robotCodec;
    private readonly byte[][] _inbox;
    private readonly int[] _lengths;
    private readonly DecodedFrame _poll = new();
    private int _head;
    private int _tail;
    private uint _robotSequence;

    public InstantGatewayRadio(FrameCodec robotCodec, int capacity)
    {
        _robotCodec = robotCodec;
        _inbox = new byte[capacity][];
        _lengths = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _inbox[i] = new byte[FrameLayout.MaxFrameBytes];
        }
    }

    /// <summary>Queues a Join from <paramref name="robotId"/> (setup: the roster is built by joins).</summary>
    public void InjectJoin(int robotId)
    {
        int slot = _tail++ % _inbox.Length;
        _lengths[slot] = _robotCodec.EncodeJoin(robotId, 0, 0, ++_robotSequence, (ulong)robotId, _inbox[slot], 0);
    }

    public bool Send(int destinationId, byte[] frame, int offset, int length)
    {
        _robotCodec.Decode(frame, offset, length, _poll);
        if (_poll.Kind != FrameKind.Poll)
        {
            return true; // a JoinAccept during setup
        }

        int slot = _tail++ % _inbox.Length;
        _lengths[slot] = _robotCodec.EncodeReport(destinationId, 1, _poll.Tick, ++_robotSequence, _poll.Sequence, destinationId % 5, _inbox[slot], 0);
        return true;
    }

    public bool Broadcast(byte[] frame, int offset, int length) => true;

    public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
    {
        if (_head == _tail)
        {
            return 0;
        }

        int slot = _head++ % _inbox.Length;
        Array.Copy(_inbox[slot], 0, buffer, offset, _lengths[slot]);
        return _lengths[slot];
    }
}

/// <summary>
/// A robot's radio with the air removed: each Receive yields the next gateway frame, alternating a poll for this
/// robot and a broadcast, encoded on the spot with rising sequences (so the robot accepts them).
/// </summary>
internal sealed class InstantRobotRadio(FrameCodec gatewayCodec, int robotId) : IRadio
{
    private readonly DecodedFrame _join = new();
    private uint _sequence;
    private bool _pending;
    private bool _accept;

    public void Arm() => _pending = true;

    /// <summary>Answers the robot's Join (setup) with a JoinAccept at sequence 0, so every later frame is fresh.</summary>
    public bool Send(int destinationId, byte[] frame, int offset, int length)
    {
        _accept = gatewayCodec.Decode(frame, offset, length, _join) == FrameStatus.Ok && _join.Kind == FrameKind.Join;
        return true;
    }

    public bool Broadcast(byte[] frame, int offset, int length) => true;

    public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
    {
        if (_accept)
        {
            _accept = false;
            return gatewayCodec.EncodeJoinAccept(0, 1, 0, 0, robotId, _join.Nonce, 1_000_000, buffer, offset);
        }

        if (!_pending)
        {
            return 0;
        }

        _sequence++;
        if ((_sequence & 1) == 1)
        {
            return gatewayCodec.EncodePoll(0, 1, _sequence, _sequence, robotId, buffer, offset);
        }

        _pending = false;
        return gatewayCodec.EncodeBroadcast(0, 1, _sequence, _sequence, (int)(_sequence % 5), 1, 10, buffer, offset);
    }
}
