namespace EdgeMarl.Shared.Protocol
{
    /// <summary>
    /// What a frame carries (docs/protocol.md §3). A wire value: every member has an explicit number that is
    /// never renumbered; retired values stay listed and are marked deprecated.
    /// </summary>
    public enum FrameKind : byte
    {
        /// <summary>Not a kind: an all-zero frame must never decode.</summary>
        None = 0,

        /// <summary>Gateway → one robot: "report your local state for this tick". Payload: target robot id (u16).</summary>
        Poll = 1,

        /// <summary>Robot → gateway: answer to a poll. Payload: echoed poll sequence (u32), local state <c>s_l</c> (u16).</summary>
        Report = 2,

        /// <summary>Gateway → all robots: the tick's decision. Payload: <c>s_g</c> (u16), <c>a_g</c> (u16), <c>k'</c> (u16).</summary>
        Broadcast = 3,

        /// <summary>Robot → gateway (unicast): "start a session with me". Payload: join nonce (u64), fresh per join; header epoch = the highest gateway epoch the robot knows (protocol v2).</summary>
        Join = 4,

        /// <summary>Gateway → one robot (unicast): the session floor. Payload: target robot id (u16), echoed nonce (u64), lease ticks (u32); header = the gateway's current (epoch, tick, sequence) (protocol v2).</summary>
        JoinAccept = 5,

        /// <summary>Gateway → all robots: a piece of a policy image, or (without data) a status poll and switch announcement. Payload: <c>Deployment.RadioPolicyLayout</c>.</summary>
        PolicyChunk = 16,

        /// <summary>Robot → gateway: bitmap of the policy chunks still missing. Payload: <c>Deployment.RadioPolicyLayout</c>.</summary>
        PolicyRequest = 17,

        /// <summary>Robot → gateway: the policy image is staged, active or rejected. Payload: <c>Deployment.RadioPolicyLayout</c>.</summary>
        PolicyAck = 18,
    }
}
