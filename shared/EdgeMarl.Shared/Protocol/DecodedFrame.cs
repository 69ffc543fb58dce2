namespace EdgeMarl.Shared.Protocol
{
    /// <summary>
    /// The fields of one decoded frame. A mutable holder the caller makes once and passes to every
    /// <see cref="FrameCodec.Decode"/>, so decoding allocates nothing; the payload stays in the caller's buffer
    /// at <see cref="PayloadOffset"/>. Fields are valid only after a decode that returned <see cref="FrameStatus.Ok"/>.
    /// </summary>
    public sealed class DecodedFrame
    {
        /// <summary>Gets or sets the frame kind.</summary>
        public FrameKind Kind { get; set; }

        /// <summary>Gets or sets the fleet id.</summary>
        public int FleetId { get; set; }

        /// <summary>Gets or sets the sender id (gateway or robot, 0 … 65,535).</summary>
        public int SenderId { get; set; }

        /// <summary>Gets or sets the epoch: the gateway's for gateway frames, the sender's session epoch for robot frames.</summary>
        public uint Epoch { get; set; }

        /// <summary>Gets or sets the gateway tick the frame belongs to.</summary>
        public uint Tick { get; set; }

        /// <summary>Gets or sets the sender's frame sequence number.</summary>
        public uint Sequence { get; set; }

        /// <summary>Gets or sets the absolute offset of the payload in the decoded buffer.</summary>
        public int PayloadOffset { get; set; }

        /// <summary>Gets or sets the payload length <c>P</c>.</summary>
        public int PayloadLength { get; set; }

        /// <summary>Gets or sets whether the frame carried a (verified) tag.</summary>
        public bool Tagged { get; set; }

        /// <summary>Gets or sets the join nonce (<see cref="FrameKind.Join"/> and <see cref="FrameKind.JoinAccept"/> only).</summary>
        public ulong Nonce { get; set; }

        /// <summary>Gets or sets the session lease in ticks (<see cref="FrameKind.JoinAccept"/> only).</summary>
        public uint LeaseTicks { get; set; }

        /// <summary>Gets or sets the poll's or join accept's target robot id (<see cref="FrameKind.Poll"/>, <see cref="FrameKind.JoinAccept"/>).</summary>
        public int TargetId { get; set; }

        /// <summary>Gets or sets the sequence of the poll a report answers (<see cref="FrameKind.Report"/> only).</summary>
        public uint EchoSequence { get; set; }

        /// <summary>Gets or sets the reported local state <c>s_l</c> (<see cref="FrameKind.Report"/> only).</summary>
        public int LocalState { get; set; }

        /// <summary>Gets or sets the broadcast global state <c>s_g</c> (<see cref="FrameKind.Broadcast"/> only).</summary>
        public int GlobalState { get; set; }

        /// <summary>Gets or sets the broadcast global action <c>a_g</c> (<see cref="FrameKind.Broadcast"/> only).</summary>
        public int GlobalAction { get; set; }

        /// <summary>Gets or sets how many reports <c>k'</c> the decision used (<see cref="FrameKind.Broadcast"/> only).</summary>
        public int SampleCount { get; set; }
    }
}
