using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Firmware.Tests.Protocol;

/// <summary>
/// Bytes on the wire, pinned. The hex was produced independently of the codec (Python struct + zlib.crc32 +
/// hmac/sha256 with key 00 01 … 1F), so these vectors check the layout of docs/protocol.md, not the codec
/// against itself. Fleet 0x1234, tick 7.
/// </summary>
public class FrameCodecGoldenTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    public static TheoryData<string, bool, string> Vectors => new()
    {
        { "Poll", false, "0101000234120000070000000D0C0B0A0201256E5DC5" },
        { "Poll", true, "0101010234120000070000000D0C0B0A0201A6EAC53906FAA1A3C409E05C" },
        { "Report", false, "010200063412020107000000030000000D0C0B0A04009E330C0A" },
        { "Report", true, "010201063412020107000000030000000D0C0B0A0400EE1A565665C8C1BAA4BA05A8" },
        { "Broadcast", false, "0103000634120000070000000E0C0B0A0200010009001C317FA2" },
        { "Broadcast", true, "0103010634120000070000000E0C0B0A0200010009007411CDE5854AC90EDE99FF4F" },
        { "PolicyChunk", false, "01100004341200000700000005000000DEADBEEF190095A2" },
        { "PolicyChunk", true, "01100104341200000700000005000000DEADBEEFAC8A64BBE8A44D2A3B4FA7D0" },
        { "PolicyRequest", false, "01110000341202010700000006000000A97CDF62" },
        { "PolicyRequest", true, "011101003412020107000000060000001E3044FFA4991F00887D348E" },
        { "PolicyAck", false, "01120001341202010700000007000000011F67CA83" },
        { "PolicyAck", true, "01120101341202010700000007000000015DCAA090D15191113F82C6CC" },
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
            "Poll" => codec.EncodePoll(0, 7, 0x0A0B0C0D, 0x0102, frame, offset),
            "Report" => codec.EncodeReport(0x0102, 7, 3, 0x0A0B0C0D, 4, frame, offset),
            "Broadcast" => codec.EncodeBroadcast(0, 7, 0x0A0B0C0E, 2, 1, 9, frame, offset),
            "PolicyChunk" => codec.Encode(FrameKind.PolicyChunk, 0, 7, 5, [0xDE, 0xAD, 0xBE, 0xEF], 0, 4, frame, offset),
            "PolicyRequest" => codec.Encode(FrameKind.PolicyRequest, 0x0102, 7, 6, [], 0, 0, frame, offset),
            _ => codec.Encode(FrameKind.PolicyAck, 0x0102, 7, 7, [1], 0, 1, frame, offset),
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
        }
    }

    [Fact]
    public void FrameSizesAreThoseOfTheSpec()
    {
        // docs/protocol.md §4: poll 22/30, report and broadcast 26/34 bytes (untagged/tagged); all ≤ 250.
        Assert.Equal((22, 30), (FrameLayout.FrameBytes(FrameLayout.PollPayloadBytes, false), FrameLayout.FrameBytes(FrameLayout.PollPayloadBytes, true)));
        Assert.Equal((26, 34), (FrameLayout.FrameBytes(FrameLayout.ReportPayloadBytes, false), FrameLayout.FrameBytes(FrameLayout.ReportPayloadBytes, true)));
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
