using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Protocol;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeMarl.Firmware.Tests.Protocol;

public class FrameCodecPropertyTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();

    /// <summary>A frame description: kind, ids, tick, sequence and kind-specific fields.</summary>
    public sealed record Spec(FrameKind Kind, int Fleet, int Sender, uint Epoch, uint Tick, uint Sequence, int A, int B, int C, uint Echo, byte[] Payload, bool Tagged, ulong Nonce);

    private static readonly FrameKind[] Kinds = [FrameKind.Poll, FrameKind.Report, FrameKind.Broadcast, FrameKind.Join, FrameKind.JoinAccept, FrameKind.PolicyChunk, FrameKind.PolicyRequest, FrameKind.PolicyAck];

    private static Gen<uint> AnyUInt => Gen.Choose(0, 65535).SelectMany(hi => Gen.Choose(0, 65535), (hi, lo) => ((uint)hi << 16) | (uint)lo);

    private static Arbitrary<Spec> Specs()
    {
        Gen<Spec> gen =
            from kind in Gen.Elements(Kinds)
            from fleet in Gen.Choose(0, 65535)
            from sender in Gen.Choose(0, 65535)
            from epoch in AnyUInt
            from tick in AnyUInt
            from sequence in AnyUInt
            from a in Gen.Choose(0, 65535)
            from b in Gen.Choose(0, 65535)
            from c in Gen.Choose(0, 65535)
            from echo in AnyUInt
            from length in Gen.Choose(0, FrameLayout.MaxPayloadBytes)
            from payload in Gen.ArrayOf(Gen.Choose(0, 255).Select(x => (byte)x), length)
            from tagged in Gen.Elements(false, true)
            from nonceHigh in AnyUInt
            select new Spec(kind, fleet, sender, epoch, tick, sequence, a, b, c, echo, payload, tagged, ((ulong)nonceHigh << 32) | echo);
        return gen.ToArbitrary();
    }

    private static FrameCodec CodecFor(int fleet, bool tagged) => tagged ? new(fleet, new HmacSha256Authenticator(Key)) : FrameCodec.InsecureUntaggedForHostSimulation(fleet);

    private static int Encode(Spec s, byte[] frame, int offset)
    {
        FrameCodec codec = CodecFor(s.Fleet, s.Tagged);
        return s.Kind switch
        {
            FrameKind.Poll => codec.EncodePoll(s.Sender, s.Epoch, s.Tick, s.Sequence, s.A, frame, offset),
            FrameKind.Report => codec.EncodeReport(s.Sender, s.Epoch, s.Tick, s.Sequence, s.Echo, s.A, frame, offset),
            FrameKind.Broadcast => codec.EncodeBroadcast(s.Sender, s.Epoch, s.Tick, s.Sequence, s.A, s.B, s.C, frame, offset),
            FrameKind.Join => codec.EncodeJoin(s.Sender, s.Epoch, s.Tick, s.Sequence, s.Nonce, frame, offset),
            FrameKind.JoinAccept => codec.EncodeJoinAccept(s.Sender, s.Epoch, s.Tick, s.Sequence, s.A, s.Nonce, s.Echo, frame, offset),
            _ => codec.Encode(s.Kind, s.Sender, s.Epoch, s.Tick, s.Sequence, s.Payload, 0, s.Payload.Length, frame, offset),
        };
    }

    [Fact]
    public void EveryKindRoundTrips() =>
        Prop.ForAll(Specs(), Gen.Choose(0, 20).ToArbitrary(), (s, offset) =>
        {
            byte[] frame = new byte[offset + FrameLayout.MaxFrameBytes];
            int length = Encode(s, frame, offset);
            var d = new DecodedFrame();
            FrameStatus status = CodecFor(s.Fleet, s.Tagged).Decode(frame, offset, length, d);
            bool fields = s.Kind switch
            {
                FrameKind.Poll => d.TargetId == s.A,
                FrameKind.Report => d.EchoSequence == s.Echo && d.LocalState == s.A,
                FrameKind.Broadcast => d.GlobalState == s.A && d.GlobalAction == s.B && d.SampleCount == s.C,
                FrameKind.Join => d.Nonce == s.Nonce,
                FrameKind.JoinAccept => d.TargetId == s.A && d.Nonce == s.Nonce && d.LeaseTicks == s.Echo,
                _ => frame.AsSpan(d.PayloadOffset, d.PayloadLength).SequenceEqual(s.Payload),
            };
            return status == FrameStatus.Ok && length <= FrameLayout.MaxFrameBytes && d.Kind == s.Kind && d.FleetId == s.Fleet
                && d.SenderId == s.Sender && d.Epoch == s.Epoch && d.Tick == s.Tick && d.Sequence == s.Sequence && d.Tagged == s.Tagged && fields;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void EverySingleBitCorruptionIsRejected() =>
        Prop.ForAll(Specs(), s =>
        {
            byte[] frame = new byte[FrameLayout.MaxFrameBytes];
            int length = Encode(s, frame, 0);
            FrameCodec codec = CodecFor(s.Fleet, s.Tagged);
            var d = new DecodedFrame();
            for (int bit = 0; bit < length * 8; bit++)
            {
                frame[bit >> 3] ^= (byte)(1 << (bit & 7));
                FrameStatus status = codec.Decode(frame, 0, length, d);
                frame[bit >> 3] ^= (byte)(1 << (bit & 7));
                if (status == FrameStatus.Ok)
                {
                    return false;
                }
            }

            return codec.Decode(frame, 0, length, d) == FrameStatus.Ok;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void RandomBytesNeverThrowAndAlmostNeverDecode()
    {
        var rng = new System.Random(20261124);
        var plain = FrameCodec.InsecureUntaggedForHostSimulation(7);
        var tagged = new FrameCodec(7, new HmacSha256Authenticator(Key));
        var d = new DecodedFrame();
        byte[] buffer = new byte[400];
        int ok = 0;
        for (int i = 0; i < 20000; i++)
        {
            rng.NextBytes(buffer);
            if (i % 2 == 0)
            {
                buffer[0] = FrameLayout.Version; // get past the version check half the time
            }

            int offset = rng.Next(-5, 40);
            int length = rng.Next(-5, 300);
            ok += plain.Decode(buffer, offset, length, d) == FrameStatus.Ok ? 1 : 0;
            ok += tagged.Decode(buffer, offset, length, d) == FrameStatus.Ok ? 1 : 0;
        }

        // A random frame needs a matching CRC-32 (2^-32) and fleet id; none of 40,000 tries should pass.
        Assert.Equal(0, ok);
        Assert.Equal(FrameStatus.TooShort, plain.Decode(null!, 0, 30, d));
    }

    [Fact]
    public void FramesTaggedWithAnotherKeyAreRejectedAsBadTag()
    {
        var ours = new FrameCodec(9, new HmacSha256Authenticator(Key));
        var forger = new FrameCodec(9, new HmacSha256Authenticator(new byte[32]));
        byte[] frame = new byte[64];
        int length = forger.EncodeBroadcast(0, 1, 100, 500, 1, 2, 3, frame, 0);

        Assert.Equal(FrameStatus.BadTag, ours.Decode(frame, 0, length, new DecodedFrame()));
    }

    [Fact]
    public void ChangingTickOrSequenceInvalidatesTheTagEvenWithAFreshCrc()
    {
        // An attacker who rewrites the tick/sequence of a captured frame (to replay it as new) can fix the CRC
        // but not the tag: the MAC covers the whole header.
        var codec = new FrameCodec(9, new HmacSha256Authenticator(Key));
        byte[] frame = new byte[64];
        int length = codec.EncodeBroadcast(0, 1, 100, 500, 1, 2, 3, frame, 0);
        WireBytes.WriteUInt32(frame, FrameLayout.SequenceOffset, 501);
        WireBytes.WriteUInt32(frame, length - 4, EdgeMarl.Shared.Integrity.Crc32.Compute(frame, 0, length - 4));

        Assert.Equal(FrameStatus.BadTag, codec.Decode(frame, 0, length, new DecodedFrame()));
    }

    [Fact]
    public void StrippingTheTagIsADowngradeAndIsRejected()
    {
        var tagged = new FrameCodec(9, new HmacSha256Authenticator(Key));
        var plain = FrameCodec.InsecureUntaggedForHostSimulation(9);
        byte[] frame = new byte[64];
        int length = plain.EncodePoll(0, 1, 1, 1, 5, frame, 0);

        Assert.Equal(FrameStatus.MissingTag, tagged.Decode(frame, 0, length, new DecodedFrame()));
        length = tagged.EncodePoll(0, 1, 1, 1, 5, frame, 0);
        Assert.Equal(FrameStatus.UnexpectedTag, plain.Decode(frame, 0, length, new DecodedFrame()));
    }

    [Fact]
    public void AnotherFleetsFramesAreForeign()
    {
        byte[] frame = new byte[64];
        int length = FrameCodec.InsecureUntaggedForHostSimulation(1).EncodePoll(0, 1, 1, 1, 5, frame, 0);
        Assert.Equal(FrameStatus.ForeignFleet, FrameCodec.InsecureUntaggedForHostSimulation(2).Decode(frame, 0, length, new DecodedFrame()));
    }

    [Fact]
    public void ZeroFilledFrameWithAConsistentLengthFailsTheCrc()
    {
        byte[] zeros = new byte[34];
        zeros[0] = FrameLayout.Version;
        zeros[3] = 6; // a consistent length, so the check that fires is the CRC's
        Assert.Equal(FrameStatus.BadCrc, FrameCodec.InsecureUntaggedForHostSimulation(0).Decode(zeros, 0, FrameLayout.FrameBytes(6, false), new DecodedFrame()));
    }
}
