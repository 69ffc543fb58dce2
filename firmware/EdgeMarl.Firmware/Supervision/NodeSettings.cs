using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// A node's run-time settings, taken from its provisioning record (docs/provisioning.md): role, radio id, fleet id,
    /// key, tick period, UDP port, Wi-Fi and (gateway) roster capacity. One image per role: nothing here is compiled in. Where the record leaves a
    /// field out, the documented default applies: an empty SSID means "the Wi-Fi credentials stored on the device"
    /// (<c>nanoff --networkdeployment</c>); the MAC flag means "robot id = low 15 bits of the Wi-Fi MAC".
    /// </summary>
    public sealed class NodeSettings
    {
        /// <summary>The gateway's roster capacity when the record leaves it at 0: 1,024 robots (about 18 KB of heap, docs/provisioning.md).</summary>
        public const int DefaultRosterCapacity = 1024;

        /// <summary>Gets the role (<see cref="ProvisioningRecord.RoleGateway"/> or <see cref="ProvisioningRecord.RoleRobot"/>).</summary>
        public int Role { get; private set; }

        /// <summary>Gets the node id on the radio.</summary>
        public int NodeId { get; private set; }

        /// <summary>Gets the fleet id carried in every frame.</summary>
        public int FleetId { get; private set; }

        /// <summary>Gets the tick period in ms.</summary>
        public int TickPeriodMs { get; private set; }

        /// <summary>Gets the UDP port of the fleet's frames.</summary>
        public int UdpPort { get; private set; }

        /// <summary>Gets the gateway's roster capacity: robots that may be joined at once (the record's, else <see cref="DefaultRosterCapacity"/>).</summary>
        public int RosterCapacity { get; private set; }

        /// <summary>Gets the robot's type in a typed fleet (the record's byte 155; 0 untyped and on gateways).</summary>
        public int RobotType { get; private set; }

        /// <summary>Gets the fleet key.</summary>
        public byte[] Key { get; private set; }

        /// <summary>Gets the Wi-Fi SSID, or null to use the credentials stored on the device.</summary>
        public string Ssid { get; private set; }

        /// <summary>Gets the Wi-Fi password (empty for an open network), or null with <see cref="Ssid"/>.</summary>
        public string Password { get; private set; }

        /// <summary>Builds the settings of a provisioned node.</summary>
        /// <param name="record">The record in force.</param>
        /// <param name="mac">The Wi-Fi MAC (6 bytes) for a MAC-derived robot id, or null.</param>
        /// <returns>The settings, or null when the record asks for a MAC-derived id and no MAC is given.</returns>
        public static NodeSettings From(ProvisioningRecord record, byte[] mac)
        {
            if (record == null)
            {
                return null;
            }

            int nodeId = record.NodeId;
            if ((record.Flags & ProvisioningRecord.FlagIdFromMac) != 0)
            {
                if (mac == null || mac.Length < 6)
                {
                    return null;
                }

                nodeId = RobotIdFromMac(mac);
            }

            NodeSettings settings = new NodeSettings();
            settings.Role = record.Role;
            settings.NodeId = nodeId;
            settings.FleetId = record.FleetId;
            settings.TickPeriodMs = record.TickPeriodMs;
            settings.UdpPort = record.UdpPort;
            settings.RosterCapacity = record.RosterCapacity > 0 ? record.RosterCapacity : DefaultRosterCapacity;
            settings.RobotType = record.RobotType;
            settings.Key = record.Key;
            if (record.Ssid != null && record.Ssid.Length > 0)
            {
                settings.Ssid = System.Text.Encoding.UTF8.GetString(record.Ssid, 0, record.Ssid.Length);
                settings.Password = record.Password == null ? string.Empty : System.Text.Encoding.UTF8.GetString(record.Password, 0, record.Password.Length);
            }

            return settings;
        }

        /// <summary>
        /// The robot id derived from a MAC: its last two bytes' low 15 bits (1 … 32767; 0 becomes 32767). Two robots whose
        /// MACs share these bits collide; <c>edgemarl device-info</c> shows the id, and such a robot is provisioned with <c>--id</c>.
        /// </summary>
        /// <param name="mac">The 6-byte MAC.</param>
        /// <returns>The id.</returns>
        public static int RobotIdFromMac(byte[] mac)
        {
            int id = ((mac[4] << 8) | mac[5]) & 0x7FFF;
            return id == 0 ? 0x7FFF : id;
        }
    }
}
