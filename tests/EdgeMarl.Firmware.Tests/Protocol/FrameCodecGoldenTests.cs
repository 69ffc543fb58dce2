using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Protocol;

/// <summary>
/// Bytes on the wire, pinned. The hex was produced independently of the codec (Python struct + zlib.crc32 +
/// hmac/sha256 with key 00 01 … 1F), so these vectors check the layout of docs/protocol.md, not the codec
/// against itself. Protocol version 2: fleet 0x1234, epoch 0x11223344, tick 7.
/// </summary>
public class FrameCodecGoldenTests
{
    private const uint Epoch = 0x11223344;
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    public static TheoryData<string, bool, string> Vectors => new()
    {
        { "Poll", false, "020100023412000044332211070000000D0C0B0A020199D5F6AB" },
        { "Poll", true, "020101023412000044332211070000000D0C0B0A02013A994DC22137C2EBEE9E6FD0" },
        { "Report", false, "02020006341202014433221107000000030000000D0C0B0A0400AE6AEAF7" },
        { "Report", true, "02020106341202014433221107000000030000000D0C0B0A04000D7721603DCE8F1A1D343376" },
        { "Broadcast", false, "020300063412000044332211070000000E0C0B0A020001000900E373BF46" },
        { "Broadcast", true, "020301063412000044332211070000000E0C0B0A020001000900ABF8B7649946E0DAE0D4E43F" },
        { "Join", false, "0204000834120201443322110700000008000000EFCDAB896745230152C78884" },
        { "Join", true, "0204010834120201443322110700000008000000EFCDAB8967452301C2C81E977992CE5F66671A32" },
        { "JoinAccept", false, "0205000E341200004433221107000000090000000201EFCDAB8967452301B80B0000140BA2D4" },
        { "JoinAccept", true, "0205010E341200004433221107000000090000000201EFCDAB8967452301B80B0000DF4B6EEF0A45A33895CCBEAD" },
        { "PolicyChunk", false, "0210000434120000443322110700000005000000DEADBEEF0680FEB9" },
        { "PolicyChunk", true, "0210010434120000443322110700000005000000DEADBEEF540DF00005DE214E81D96F2D" },
        { "PolicyRequest", false, "0211000034120201443322110700000006000000491EDEA9" },
        { "PolicyRequest", true, "02110100341202014433221107000000060000001A3229FC7CADFD49FA00B4F7" },
        { "PolicyAck", false, "021200013412020144332211070000000700000001AA2A37D7" },
        { "PolicyAck", true, "0212010134120201443322110700000007000000018A6E3667069248F755BD8259" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void EncoderWritesTheGoldenBytes(string kind, bool tagged, string hex)
    {
        var codec = tagged ? new FrameCodec(0x1234, new HmacSha256Authenticator(Key)) : FrameCodec.InsecureUntaggedForHostSimulation(0x1234);
        byte[] frame = new byte[FrameLayout.MaxFrameBytes + 3];
        const int offset = 3;
        int length = kind switch
        {
            "Poll" => codec.EncodePoll(0, Epoch, 7, 0x0A0B0C0D, 0x0102, frame, offset),
            "Report" => codec.EncodeReport(0x0102, Epoch, 7, 3, 0x0A0B0C0D, 4, frame, offset),
            "Broadcast" => codec.EncodeBroadcast(0, Epoch, 7, 0x0A0B0C0E, 2, 1, 9, frame, offset),
            "Join" => codec.EncodeJoin(0x0102, Epoch, 7, 8, 0x0123456789ABCDEF, frame, offset),
            "JoinAccept" => codec.EncodeJoinAccept(0, Epoch, 7, 9, 0x0102, 0x0123456789ABCDEF, 3000, frame, offset),
            "PolicyChunk" => codec.Encode(FrameKind.PolicyChunk, 0, Epoch, 7, 5, [0xDE, 0xAD, 0xBE, 0xEF], 0, 4, frame, offset),
            "PolicyRequest" => codec.Encode(FrameKind.PolicyRequest, 0x0102, Epoch, 7, 6, [], 0, 0, frame, offset),
            _ => codec.Encode(FrameKind.PolicyAck, 0x0102, Epoch, 7, 7, [1], 0, 1, frame, offset),
        };

        Assert.Equal(hex, Convert.ToHexString(frame, offset, length));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void DecoderReadsTheGoldenBytes(string kind, bool tagged, string hex)
    {
        var codec = tagged ? new FrameCodec(0x1234, new HmacSha256Authenticator(Key)) : FrameCodec.InsecureUntaggedForHostSimulation(0x1234);
        byte[] frame = Convert.FromHexString(hex);
        var decoded = new DecodedFrame();

        Assert.Equal(FrameStatus.Ok, codec.Decode(frame, 0, frame.Length, decoded));
        Assert.Equal(kind, decoded.Kind.ToString());
        Assert.Equal(7u, decoded.Tick);
        Assert.Equal(Epoch, decoded.Epoch);
        Assert.Equal(tagged, decoded.Tagged);
        switch (decoded.Kind)
        {
            case FrameKind.Poll:
                Assert.Equal(0x0102, decoded.TargetId);
                break;
            case FrameKind.Report:
                Assert.Equal((0x0102, 0x0A0B0C0Du, 4), (decoded.SenderId, decoded.EchoSequence, decoded.LocalState));
                break;
            case FrameKind.Broadcast:
                Assert.Equal((2, 1, 9), (decoded.GlobalState, decoded.GlobalAction, decoded.SampleCount));
                break;
            case FrameKind.Join:
                Assert.Equal((0x0102, 0x0123456789ABCDEFUL), (decoded.SenderId, decoded.Nonce));
                break;
            case FrameKind.JoinAccept:
                Assert.Equal((0x0102, 0x0123456789ABCDEFUL, 3000u, 9u), (decoded.TargetId, decoded.Nonce, decoded.LeaseTicks, decoded.Sequence));
                break;
        }
    }

    [Theory]
    [InlineData("0103010634120000070000000E0C0B0A0200010009007411CDE5854AC90EDE99FF4F")] // a tagged v1 broadcast (the old golden vector)
    [InlineData("0101010234120000070000000D0C0B0A0201A6EAC53906FAA1A3C409E05C")] // a tagged v1 poll
    public void Version1FramesAreDroppedAsBadVersion(string hex)
    {
        var codec = new FrameCodec(0x1234, new HmacSha256Authenticator(Key));
        byte[] frame = Convert.FromHexString(hex);
        Assert.Equal(FrameStatus.BadVersion, codec.Decode(frame, 0, frame.Length, new DecodedFrame()));
    }

    [Fact]
    public void FrameSizesAreThoseOfTheSpec()
    {
        // docs/protocol.md §4 (v2): poll 26/34, report and broadcast 30/38, join 32/40, join accept 38/46 bytes (untagged/tagged); all ≤ 250.
        Assert.Equal((26, 34), (FrameLayout.FrameBytes(FrameLayout.PollPayloadBytes, false), FrameLayout.FrameBytes(FrameLayout.PollPayloadBytes, true)));
        Assert.Equal((30, 38), (FrameLayout.FrameBytes(FrameLayout.ReportPayloadBytes, false), FrameLayout.FrameBytes(FrameLayout.ReportPayloadBytes, true)));
        Assert.Equal((32, 40), (FrameLayout.FrameBytes(FrameLayout.JoinPayloadBytes, false), FrameLayout.FrameBytes(FrameLayout.JoinPayloadBytes, true)));
        Assert.Equal((38, 46), (FrameLayout.FrameBytes(FrameLayout.JoinAcceptPayloadBytes, false), FrameLayout.FrameBytes(FrameLayout.JoinAcceptPayloadBytes, true)));
        Assert.Equal(250, FrameLayout.FrameBytes(FrameLayout.MaxPayloadBytes, true));
    }

    [Fact]
    public void HostHmacMatchesRfc4231TestCase2()
    {
        byte[] data = "what do ya want for nothing?"u8.ToArray();
        byte[] mac = new byte[32];
        new HmacSha256Authenticator("Jefe"u8.ToArray()).ComputeHmacSha256(data, 0, data.Length, mac, 0);
        Assert.Equal("5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843", Convert.ToHexString(mac));
    }
}
