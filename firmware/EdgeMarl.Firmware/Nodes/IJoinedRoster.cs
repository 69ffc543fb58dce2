namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// The robots that joined the gateway and are alive (docs/protocol.md §6), in ascending id order: what the policy
    /// rollout sends to and the fleet-size monitor counts. Ids are any authenticated robot ids (0 … 65,535 except the
    /// gateway's), MAC-derived ones included; the gateway's roster capacity bounds how many.
    /// </summary>
    public interface IJoinedRoster
    {
        /// <summary>Gets the number of robots joined and alive.</summary>
        int RosterCount { get; }

        /// <summary>Copies the roster (ascending ids) into <paramref name="destination"/> from <paramref name="offset"/>.</summary>
        /// <param name="destination">Caller-owned buffer with room for <see cref="RosterCount"/> ids.</param>
        /// <param name="offset">First entry written.</param>
        /// <returns>The number of ids written.</returns>
        int CopyRoster(int[] destination, int offset);
    }
}
