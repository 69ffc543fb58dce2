using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.HostAdapters;

namespace EdgeMarl.Firmware.Tests.Fakes;

/// <summary>
/// A radio whose inbox the test fills; records what is sent. <see cref="Receive"/> with nothing queued
/// advances the simulated clock by the timeout, so deadline loops end without real waiting.
/// <see cref="OnSend"/> lets a test answer a poll by queueing frames.
/// </summary>
public sealed class ScriptedRadio(SimulatedClock clock) : IRadio
{
    private readonly Queue<byte[]> _inbox = new();

    public List<(int Destination, byte[] Frame)> Sent { get; } = [];
    public List<byte[]> Broadcasts { get; } = [];
    public Action<int, byte[]>? OnSend { get; set; }

    public void Enqueue(byte[] frame, int length) => _inbox.Enqueue(frame.AsSpan(0, length).ToArray());

    public bool Send(int destinationId, byte[] frame, int offset, int length)
    {
        byte[] copy = frame.AsSpan(offset, length).ToArray();
        Sent.Add((destinationId, copy));
        OnSend?.Invoke(destinationId, copy);
        return true;
    }

    public bool Broadcast(byte[] frame, int offset, int length)
    {
        Broadcasts.Add(frame.AsSpan(offset, length).ToArray());
        return true;
    }

    public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
    {
        if (_inbox.Count == 0)
        {
            clock.Advance(timeoutMs);
            return 0;
        }

        byte[] frame = _inbox.Dequeue();
        frame.CopyTo(buffer, offset);
        return frame.Length;
    }
}

/// <summary>Robots join a gateway driven over a <see cref="ScriptedRadio"/>: one tagged (or test-codec) Join each, answered by <c>ServeJoins</c>.</summary>
public static class ScriptedJoin
{
    public static void Admit(EdgeMarl.Firmware.Nodes.GatewayNode gateway, ScriptedRadio radio, EdgeMarl.Shared.Protocol.FrameCodec codec, params int[] robotIds)
    {
        Action<int, byte[]>? onSend = radio.OnSend;
        radio.OnSend = null;
        byte[] f = new byte[64];
        foreach (int id in robotIds)
        {
            radio.Enqueue(f, codec.EncodeJoin(id, 0, 0, 1, (ulong)id * 7919, f, 0));
        }

        gateway.ServeJoins(0);
        Assert.Equal(robotIds.Length, radio.Sent.Count(s => s.Frame[EdgeMarl.Shared.Protocol.FrameLayout.KindOffset] == (byte)EdgeMarl.Shared.Protocol.FrameKind.JoinAccept));
        radio.Sent.Clear();
        radio.OnSend = onSend;
    }
}
