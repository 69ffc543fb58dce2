namespace EdgeMarl.Shared.Protocol
{
    /// <summary>
    /// Byte layout of protocol version 2 (docs/protocol.md §2). All multi-byte fields are little-endian.
    /// <code>
    /// offset  size  field
    ///  0      1     version (= 2)
    ///  1      1     kind (FrameKind)
    ///  2      1     flags (bit 0: tagged; other bits 0)
    ///  3      1     payload length P
    ///  4      2     fleet id
    ///  6      2     sender id
    ///  8      4     epoch (gateway frames: the gateway's epoch; robot frames: the robot's session epoch, 0 before any)
    /// 12      4     tick
    /// 16      4     sequence (gateway frames: within the epoch)
    /// 20      P     payload
    /// 20+P    T     tag: first 8 bytes of HMAC-SHA256(fleet key, bytes [0, 20+P)), T = 8 when tagged, else 0
    /// 20+P+T  4     CRC-32 of bytes [0, 20+P+T)
    /// </code>
    /// </summary>
    public static class FrameLayout
    {
        /// <summary>Protocol version written and accepted.</summary>
        public const byte Version = 2;

        /// <summary>ESP-NOW v1 carries at most 250 bytes per frame; UDP frames keep the same bound so one codec fits both.</summary>
        public const int MaxFrameBytes = 250;

        /// <summary>Header bytes before the payload.</summary>
        public const int HeaderBytes = 20;

        /// <summary>Bytes of the truncated HMAC-SHA256 tag (64 bits: a blind forgery succeeds with probability 2^-64).</summary>
        public const int TagBytes = 8;

        /// <summary>Bytes of the trailing CRC-32.</summary>
        public const int CrcBytes = 4;

        /// <summary>Smallest frame: header, empty payload, no tag, CRC.</summary>
        public const int MinFrameBytes = HeaderBytes + CrcBytes;

        /// <summary>Largest payload: 250 − 20 (header) − 8 (tag) − 4 (CRC) = 218 bytes, so a tagged frame always fits.</summary>
        public const int MaxPayloadBytes = MaxFrameBytes - HeaderBytes - TagBytes - CrcBytes;

        /// <summary>Flag bit 0: the frame carries a tag.</summary>
        public const byte FlagTagged = 0x01;

        /// <summary>Payload bytes of a <see cref="FrameKind.Poll"/>: target id (u16).</summary>
        public const int PollPayloadBytes = 2;

        /// <summary>Payload bytes of a <see cref="FrameKind.Report"/>: echoed poll sequence (u32), <c>s_l</c> (u16).</summary>
        public const int ReportPayloadBytes = 6;

        /// <summary>Payload bytes of a <see cref="FrameKind.Broadcast"/>: <c>s_g</c>, <c>a_g</c>, <c>k'</c> (u16 each).</summary>
        public const int BroadcastPayloadBytes = 6;

        /// <summary>Payload bytes of a <see cref="FrameKind.Join"/>: the robot's join nonce (u64).</summary>
        public const int JoinPayloadBytes = 8;

        /// <summary>Payload bytes of a <see cref="FrameKind.JoinAccept"/>: target robot id (u16), echoed nonce (u64), lease in ticks (u32).</summary>
        public const int JoinAcceptPayloadBytes = 14;

        /// <summary>Offset of the version byte.</summary>
        public const int VersionOffset = 0;

        /// <summary>Offset of the kind byte.</summary>
        public const int KindOffset = 1;

        /// <summary>Offset of the flags byte.</summary>
        public const int FlagsOffset = 2;

        /// <summary>Offset of the payload-length byte.</summary>
        public const int PayloadLengthOffset = 3;

        /// <summary>Offset of the fleet id.</summary>
        public const int FleetIdOffset = 4;

        /// <summary>Offset of the sender id.</summary>
        public const int SenderIdOffset = 6;

        /// <summary>Offset of the epoch.</summary>
        public const int EpochOffset = 8;

        /// <summary>Offset of the tick.</summary>
        public const int TickOffset = 12;

        /// <summary>Offset of the sequence number.</summary>
        public const int SequenceOffset = 16;

        /// <summary>Returns the total frame size for a payload of <paramref name="payloadBytes"/>.</summary>
        /// <param name="payloadBytes">Payload length <c>P</c>.</param>
        /// <param name="tagged">Whether a tag is appended.</param>
        /// <returns><c>20 + P + (tagged ? 8 : 0) + 4</c>.</returns>
        public static int FrameBytes(int payloadBytes, bool tagged)
        {
            return HeaderBytes + payloadBytes + (tagged ? TagBytes : 0) + CrcBytes;
        }
    }
}
