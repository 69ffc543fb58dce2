using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Protocol;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeMarl.Deployment.Tests;

public sealed class WireFormatTests
{
    [Fact]
    public void Largest_policy_frames_fit_250_bytes_when_tagged()
    {
        var codec = new FrameCodec(1, new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(TestPolicies.Key));
        var frame = new byte[400];
        var payload = new byte[FrameLayout.MaxPayloadBytes];
        int chunk = codec.Encode(FrameKind.PolicyChunk, 0, 1, 1, 1, payload, 0, RadioPolicyLayout.ChunkHeaderBytes + RadioPolicyLayout.ChunkDataBytes, frame, 0);
        int request = codec.Encode(FrameKind.PolicyRequest, 1, 1, 1, 1, payload, 0, RadioPolicyLayout.RequestHeaderBytes + RadioPolicyLayout.MaxBitmapBytes, frame, 0);
        int ack = codec.Encode(FrameKind.PolicyAck, 1, 1, 1, 1, payload, 0, RadioPolicyLayout.AckPayloadBytes, frame, 0);
        Assert.Equal(240, chunk); // protocol v2: 20-byte header
        Assert.Equal(246, request);
        Assert.Equal(48, ack);
        Assert.True(RadioPolicyLayout.MaxBitmapBytes * 8 * RadioPolicyLayout.ChunkDataBytes >= 2 * 114_688, "one request covers a whole slot");
    }

    [Fact]
    public void Serial_response_golden_bytes()
    {
        var frame = new byte[SerialFrameLayout.MaxFrameBytes];
        frame[6] = 0xAB;
        int length = SerialFrameWriter.Seal(frame, SerialFrameLayout.TypeBegin | SerialFrameLayout.ResponseBit, 7, 1);
        Assert.Equal(11, length);
        Assert.Equal("E54D8107 0100 AB", $"{Convert.ToHexString(frame, 0, 4)} {Convert.ToHexString(frame, 4, 2)} {Convert.ToHexString(frame, 6, 1)}");
        Assert.Equal(EdgeMarl.Shared.Integrity.Crc32.Compute(frame, 2, 5), BitConverter.ToUInt32(frame, 7));
    }

    /// <summary>Frames embedded in random noise, some corrupted: the decoder yields exactly the intact ones, in order, unchanged.</summary>
    [Fact]
    public void Decoder_recovers_every_intact_frame_from_noise() =>
        Check.QuickThrowOnFailure(Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var rng = new EdgeMarl.Shared.Random.Pcg32((ulong)seed);
            var stream = new List<byte>();
            var sent = new List<byte[]>();
            var frame = new byte[SerialFrameLayout.MaxFrameBytes];
            for (int f = 0; f < 6; f++)
            {
                for (int noise = (int)rng.NextBelow(20); noise > 0; noise--)
                {
                    stream.Add(rng.NextByte());
                }

                int payload = (int)rng.NextBelow(40);
                for (int i = 0; i < payload; i++)
                {
                    frame[SerialFrameLayout.HeaderBytes + i] = rng.NextByte();
                }

                int length = SerialFrameWriter.Seal(frame, SerialFrameLayout.TypeData, (byte)f, payload);
                byte[] copy = frame[..length];
                if (rng.NextBelow(3) == 0)
                {
                    copy[2 + (int)rng.NextBelow((uint)length - 2)] ^= (byte)(1 << (int)rng.NextBelow(8));
                }
                else
                {
                    sent.Add(copy);
                }

                stream.AddRange(copy);
            }

            var decoder = new SerialFrameDecoder();
            var got = new List<byte[]>();
            foreach (byte b in stream)
            {
                if (!decoder.Push(b))
                {
                    continue;
                }

                do
                {
                    got.Add(decoder.Buffer[..(SerialFrameLayout.HeaderBytes + decoder.PayloadLength + SerialFrameLayout.CrcBytes)]);
                }
                while (decoder.Consume());
            }

            // End of stream = idle line: a candidate with a corrupted (too long) length must release what is behind it.
            while (decoder.Idle())
            {
                do
                {
                    got.Add(decoder.Buffer[..(SerialFrameLayout.HeaderBytes + decoder.PayloadLength + SerialFrameLayout.CrcBytes)]);
                }
                while (decoder.Consume());
            }

            // Noise could, with probability ~2^-32 per position, form a valid frame; intact frames must all appear in order.
            int next = 0;
            foreach (byte[] g in got)
            {
                if (next < sent.Count && g.AsSpan().SequenceEqual(sent[next]))
                {
                    next++;
                }
            }

            return next == sent.Count;
        }));

    [Fact]
    public void Live_policy_delegates_to_the_table_it_points_at()
    {
        var store = PolicyStore.CreateInsecureForHostTests(new EdgeMarl.Firmware.HostAdapters.MemoryPolicyStorage(8192), TestPolicies.SmallGame(), 64, 2);
        store.Boot();
        TestPolicies.Install(store, TestPolicies.Small(1));
        var live = store.Live;
        Assert.Equal(2, live.GlobalStates);
        Assert.Equal(3, live.GlobalActions);
        Assert.Equal(2, live.LocalStates);
        Assert.Equal(2, live.LocalActions);
        Assert.Equal(2, live.K);
        Assert.Equal(1, live.KMin);
        Assert.True(live.TryGetGlobalAction(1, [1, 1], 0, out int a_g));
        Assert.Equal(store.Live.Table!.TryGetGlobalAction(1, [1, 1], 0, out int direct) ? direct : -1, a_g);
    }
}

public sealed class ReceiverResyncTests
{
    private sealed class QueueLink : EdgeMarl.Firmware.Deployment.ISerialLink
    {
        public Queue<byte> In { get; } = new();
        public List<byte> Out { get; } = [];

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = 0;
            while (n < count && In.Count > 0)
            {
                buffer[offset + n++] = In.Dequeue();
            }

            return n;
        }

        public void Write(byte[] buffer, int offset, int count) => Out.AddRange(buffer.AsSpan(offset, count).ToArray());
    }

    [Fact]
    public void A_request_behind_a_header_with_a_corrupted_length_is_answered_after_line_silence()
    {
        var store = PolicyStore.CreateInsecureForHostTests(new EdgeMarl.Firmware.HostAdapters.MemoryPolicyStorage(8192), TestPolicies.SmallGame(), 64, 2);
        store.Boot();
        var link = new QueueLink();
        var receiver = new SerialPolicyReceiver(link, store, true);

        // A bogus header claiming 500 payload bytes, then a complete status request that it swallows.
        foreach (byte b in (byte[])[0xE5, 0x4D, 0x02, 0x01, 0xF4, 0x01, 1, 2, 3])
        {
            link.In.Enqueue(b);
        }

        var frame = new byte[16];
        int length = SerialFrameWriter.Seal(frame, SerialFrameLayout.TypeStatus, 9, 0);
        foreach (byte b in frame[..length])
        {
            link.In.Enqueue(b);
        }

        Assert.Equal(0, receiver.Poll(20));
        int handled = 0;
        int polls = 0;
        while (handled == 0 && polls < 100)
        {
            handled = receiver.Poll(20);
            polls++;
        }

        Assert.Equal(1, handled);
        Assert.InRange(polls * 20, SerialPolicyReceiver.IdleResyncMs, SerialPolicyReceiver.IdleResyncMs + 20);
        Assert.Equal(SerialFrameLayout.TypeStatus | SerialFrameLayout.ResponseBit, link.Out[2]);
        Assert.Equal(9, link.Out[3]);
    }
}
