using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Shared.Deployment
{
    /// <summary>
    /// A device's identity and fleet settings (docs/provisioning.md, record versions 1 and 2): 160 bytes, little-endian,
    /// CRC-32 over the first 156. Held on flash as two alternating copies with a generation (<c>ProvisioningStore</c>)
    /// and sent over serial as the payload of a provision request (docs/protocol.md §10.4). Replaces the compile-time
    /// identity, so one firmware image serves every robot of a role.
    /// </summary>
    /// <remarks>Plain fields and one 160-byte codec; nanoFramework-compatible (no generics, no Span).</remarks>
    public sealed class ProvisioningRecord
    {
        /// <summary>Encoded length in bytes.</summary>
        public const int Length = 160;

        /// <summary>Record format version written for untyped robots and gateways (byte-identical to before robot types).</summary>
        public const int CurrentVersion = 1;

        /// <summary>
        /// Record format version of a typed robot's record: byte 155 holds its robot type (reserved 0 in version 1). Written only
        /// when the type is not 0, so an older image, which reads version 1 only, refuses a record it cannot honour.
        /// </summary>
        public const int TypedVersion = 2;

        /// <summary>Largest robot type (a policy file carries at most 255 types, so types are 0 … 254).</summary>
        public const int MaxRobotType = 254;

        /// <summary>Role: gateway.</summary>
        public const int RoleGateway = 1;

        /// <summary>Role: robot.</summary>
        public const int RoleRobot = 2;

        /// <summary>Flag: the robot id is derived from the Wi-Fi MAC (its low 15 bits) at boot; <see cref="NodeId"/> is ignored.</summary>
        public const int FlagIdFromMac = 1;

        /// <summary>Gateway discovery: robots learn the gateway from its join accept on the broadcast address (no address plan).</summary>
        public const int DiscoveryBroadcast = 0;

        /// <summary>Largest key length (bytes); keys are 16 to 32 bytes or absent.</summary>
        public const int MaxKeyBytes = 32;

        /// <summary>Largest SSID length (bytes, UTF-8), as 802.11 allows.</summary>
        public const int MaxSsidBytes = 32;

        /// <summary>Largest Wi-Fi password length (bytes), as WPA2 allows.</summary>
        public const int MaxPasswordBytes = 63;

        /// <summary>Byte offsets of the fields.</summary>
        public const int MagicOffset = 0, VersionOffset = 4, RoleOffset = 5, FlagsOffset = 6, GenerationOffset = 8, NodeIdOffset = 12,
            FleetIdOffset = 14, TickPeriodOffset = 16, KeyLengthOffset = 20, KeyOffset = 21, SsidLengthOffset = 53, SsidOffset = 54,
            PasswordLengthOffset = 86, PasswordOffset = 87, DiscoveryOffset = 150, UdpPortOffset = 151, RosterCapacityOffset = 153, ReservedOffset = 155, RobotTypeOffset = 155, CrcOffset = 156;

        private const uint Magic = 0x56504D45; // "EMPV" little-endian

        /// <summary>Gets or sets the role (<see cref="RoleGateway"/> or <see cref="RoleRobot"/>).</summary>
        public int Role { get; set; }

        /// <summary>Gets or sets the flags (<see cref="FlagIdFromMac"/>).</summary>
        public int Flags { get; set; }

        /// <summary>Gets or sets the generation (set by the store when written).</summary>
        public uint Generation { get; set; }

        /// <summary>Gets or sets the node id on the radio (gateway: usually 0; robots 1…32767).</summary>
        public int NodeId { get; set; }

        /// <summary>Gets or sets the fleet id carried in every frame.</summary>
        public int FleetId { get; set; }

        /// <summary>Gets or sets the tick period in milliseconds.</summary>
        public int TickPeriodMs { get; set; }

        /// <summary>Gets or sets the fleet key (16–32 bytes) or null.</summary>
        public byte[] Key { get; set; }

        /// <summary>Gets or sets the Wi-Fi SSID bytes (UTF-8) or null.</summary>
        public byte[] Ssid { get; set; }

        /// <summary>Gets or sets the Wi-Fi password bytes or null.</summary>
        public byte[] Password { get; set; }

        /// <summary>Gets or sets how the gateway is found (<see cref="DiscoveryBroadcast"/>).</summary>
        public int Discovery { get; set; }

        /// <summary>Gets or sets the UDP port of the fleet's frames.</summary>
        public int UdpPort { get; set; }

        /// <summary>
        /// Gets or sets the gateway's roster capacity: how many robots may be joined at once (0 … 65,535; 0 = the image's
        /// default). Bytes 153–154, reserved (0) before provisioning layout 3, so older records read as the default. Robots ignore it.
        /// </summary>
        public int RosterCapacity { get; set; }

        /// <summary>
        /// Gets or sets the robot's type <c>τ</c> in a typed fleet (0 … 254; 0 for untyped fleets and gateways): it reports
        /// <c>x = τ·|S_l| + s_l</c> and acts by its type's rows of a typed policy (docs/heterogeneity.md §8). Byte 155, reserved (0) in
        /// record version 1, so older records read as type 0.
        /// </summary>
        public int RobotType { get; set; }

        /// <summary>Gets the record version <see cref="Encode"/> writes: <see cref="TypedVersion"/> for a typed robot, else <see cref="CurrentVersion"/>.</summary>
        public int EncodedVersion
        {
            get { return RobotType != 0 ? TypedVersion : CurrentVersion; }
        }

        /// <summary>Returns the first field that is out of range, or null when the record can be encoded.</summary>
        /// <returns>A message naming the field, or null.</returns>
        public string Problem()
        {
            if (Role != RoleGateway && Role != RoleRobot)
            {
                return "role: must be 1 (gateway) or 2 (robot)";
            }

            if (NodeId < 0 || NodeId > 0x7FFF)
            {
                return "node id: must be in [0, 32767]";
            }

            if (Role == RoleRobot && NodeId == 0 && (Flags & FlagIdFromMac) == 0)
            {
                return "node id: a robot needs an id in [1, 32767] or the MAC-derived id";
            }

            if (FleetId < 0 || FleetId > 0xFFFF)
            {
                return "fleet id: must be in [0, 65535]";
            }

            if (TickPeriodMs < 10 || TickPeriodMs > 60000)
            {
                return "tick period: must be in [10, 60000] ms";
            }

            if (Key != null && (Key.Length < 16 || Key.Length > MaxKeyBytes))
            {
                return "key: must be 16 to 32 bytes";
            }

            if (Ssid != null && Ssid.Length > MaxSsidBytes)
            {
                return "ssid: at most 32 bytes";
            }

            if (Password != null && Password.Length > MaxPasswordBytes)
            {
                return "password: at most 63 bytes";
            }

            if (UdpPort < 1 || UdpPort > 0xFFFF)
            {
                return "udp port: must be in [1, 65535]";
            }

            if (RosterCapacity < 0 || RosterCapacity > 0xFFFF)
            {
                return "roster capacity: must be in [0, 65535] (0 = the firmware's default)";
            }

            if (RobotType < 0 || RobotType > MaxRobotType)
            {
                return "robot type: must be in [0, 254]";
            }

            if (RobotType != 0 && Role != RoleRobot)
            {
                return "robot type: only a robot has a type (a gateway's is 0)";
            }

            return Discovery != DiscoveryBroadcast ? "discovery: must be 0 (broadcast join)" : null;
        }

        /// <summary>Writes the record with its CRC into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
        /// <param name="buffer">Destination with <see cref="Length"/> bytes from offset.</param>
        /// <param name="offset">First byte.</param>
        public void Encode(byte[] buffer, int offset)
        {
            for (int i = 0; i < Length; i++)
            {
                buffer[offset + i] = 0;
            }

            WireBytes.WriteUInt32(buffer, offset + MagicOffset, Magic);
            buffer[offset + VersionOffset] = (byte)EncodedVersion;
            buffer[offset + RoleOffset] = (byte)Role;
            WireBytes.WriteUInt16(buffer, offset + FlagsOffset, Flags);
            WireBytes.WriteUInt32(buffer, offset + GenerationOffset, Generation);
            WireBytes.WriteUInt16(buffer, offset + NodeIdOffset, NodeId);
            WireBytes.WriteUInt16(buffer, offset + FleetIdOffset, FleetId);
            WireBytes.WriteUInt32(buffer, offset + TickPeriodOffset, (uint)TickPeriodMs);
            PutBytes(buffer, offset + KeyLengthOffset, Key);
            PutBytes(buffer, offset + SsidLengthOffset, Ssid);
            PutBytes(buffer, offset + PasswordLengthOffset, Password);
            buffer[offset + DiscoveryOffset] = (byte)Discovery;
            WireBytes.WriteUInt16(buffer, offset + UdpPortOffset, UdpPort);
            WireBytes.WriteUInt16(buffer, offset + RosterCapacityOffset, RosterCapacity);
            buffer[offset + RobotTypeOffset] = (byte)RobotType;
            WireBytes.WriteUInt32(buffer, offset + CrcOffset, Crc32.Compute(buffer, offset, CrcOffset));
        }

        /// <summary>
        /// Checks magic, version (1, or 2 with a type in [1, 254]), CRC and the length bytes of a stored or received record. A
        /// version-1 record must keep byte 155 zero (reserved then), so an old record always reads as type 0.
        /// </summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Bytes available.</param>
        /// <returns>True when <see cref="Decode"/> may read it.</returns>
        public static bool IsValid(byte[] buffer, int offset, int count)
        {
            return count >= Length
                && WireBytes.ReadUInt32(buffer, offset + MagicOffset) == Magic
                && (buffer[offset + VersionOffset] == CurrentVersion ? buffer[offset + RobotTypeOffset] == 0
                    : buffer[offset + VersionOffset] == TypedVersion && buffer[offset + RobotTypeOffset] != 0 && buffer[offset + RobotTypeOffset] <= MaxRobotType
                        && buffer[offset + RoleOffset] == RoleRobot)
                && WireBytes.ReadUInt32(buffer, offset + CrcOffset) == Crc32.Compute(buffer, offset, CrcOffset)
                && buffer[offset + KeyLengthOffset] <= MaxKeyBytes
                && buffer[offset + SsidLengthOffset] <= MaxSsidBytes
                && buffer[offset + PasswordLengthOffset] <= MaxPasswordBytes;
        }

        /// <summary>Reads a record that <see cref="IsValid"/> accepted (allocates the record and its byte fields: boot only).</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The record.</returns>
        public static ProvisioningRecord Decode(byte[] buffer, int offset)
        {
            ProvisioningRecord record = new ProvisioningRecord();
            record.Role = buffer[offset + RoleOffset];
            record.Flags = WireBytes.ReadUInt16(buffer, offset + FlagsOffset);
            record.Generation = WireBytes.ReadUInt32(buffer, offset + GenerationOffset);
            record.NodeId = WireBytes.ReadUInt16(buffer, offset + NodeIdOffset);
            record.FleetId = WireBytes.ReadUInt16(buffer, offset + FleetIdOffset);
            record.TickPeriodMs = (int)WireBytes.ReadUInt32(buffer, offset + TickPeriodOffset);
            record.Key = GetBytes(buffer, offset + KeyLengthOffset);
            record.Ssid = GetBytes(buffer, offset + SsidLengthOffset);
            record.Password = GetBytes(buffer, offset + PasswordLengthOffset);
            record.Discovery = buffer[offset + DiscoveryOffset];
            record.UdpPort = WireBytes.ReadUInt16(buffer, offset + UdpPortOffset);
            record.RosterCapacity = WireBytes.ReadUInt16(buffer, offset + RosterCapacityOffset);
            record.RobotType = buffer[offset + RobotTypeOffset];
            return record;
        }

        private static void PutBytes(byte[] buffer, int lengthOffset, byte[] value)
        {
            int length = value == null ? 0 : value.Length;
            buffer[lengthOffset] = (byte)length;
            for (int i = 0; i < length; i++)
            {
                buffer[lengthOffset + 1 + i] = value[i];
            }
        }

        private static byte[] GetBytes(byte[] buffer, int lengthOffset)
        {
            int length = buffer[lengthOffset];
            if (length == 0)
            {
                return null;
            }

            byte[] value = new byte[length];
            for (int i = 0; i < length; i++)
            {
                value[i] = buffer[lengthOffset + 1 + i];
            }

            return value;
        }
    }
}
