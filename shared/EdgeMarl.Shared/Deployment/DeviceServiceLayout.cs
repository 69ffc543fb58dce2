namespace EdgeMarl.Shared.Deployment
{
    /// <summary>
    /// Serial request types 0x05 provision and 0x06 device info (docs/protocol.md §10.4), on the upload's framing
    /// (<see cref="SerialFrameLayout"/>), and their payload layouts. The upload's types 0x01–0x04 are unchanged.
    /// </summary>
    public static class DeviceServiceLayout
    {
        /// <summary>Request: write the provisioning record. Payload: mode u8 (<see cref="ModeIfBlank"/> or <see cref="ModeReplace"/>), then the 160-byte record.</summary>
        public const byte TypeProvision = 0x05;

        /// <summary>Request: report identity, policy and faults. Empty payload.</summary>
        public const byte TypeInfo = 0x06;

        /// <summary>Provision mode: refuse (<see cref="DeployStatus.AlreadyActive"/>) when the device is already provisioned.</summary>
        public const byte ModeIfBlank = 0;

        /// <summary>Provision mode: replace the record in force.</summary>
        public const byte ModeReplace = 1;

        /// <summary>Provision request payload length.</summary>
        public const int ProvisionRequestBytes = 1 + ProvisioningRecord.Length;

        /// <summary>Provision response: status u8, 0 ×3, generation u32, key fingerprint u32.</summary>
        public const int ProvisionResponseBytes = 12;

        /// <summary>Info response payload length (layout 2; layout 1 had the first 128 bytes).</summary>
        public const int InfoResponseBytes = 160;

        /// <summary>Info response payload length of layout 1 (still read by the host).</summary>
        public const int InfoResponseBytesV1 = 128;

        /// <summary>
        /// Info response offsets (see docs/protocol.md §10.4 for the table). <see cref="InfoRobotType"/> (the record's robot type) was a
        /// zero byte before robot types, so older devices read as type 0 with the same layout version.
        /// </summary>
        public const int InfoStatus = 0, InfoVersion = 1, InfoProvisioned = 2, InfoRole = 3, InfoNodeId = 4, InfoFleetId = 6, InfoGeneration = 8,
            InfoTickPeriod = 12, InfoKeySet = 16, InfoFlags = 17, InfoUdpPort = 18, InfoKeyFingerprint = 20, InfoSsidLength = 24, InfoSsid = 25,
            InfoLastRebootCause = 57, InfoCorruptCopies = 58, InfoPolicyLength = 60, InfoPolicyCrc = 64, InfoPolicyGeneration = 68,
            InfoPolicyVersion = 72, InfoFaultCounts = 76, InfoFirmwareLength = 108, InfoFirmware = 109, InfoFirmwareMax = 19,
            InfoMoreFaultCounts = 128, InfoPhase = 144, InfoRetryCause = 145, InfoFailures = 146, InfoLiveFleetSize = 148, InfoPolicyFleetSize = 152,
            InfoRobotType = 156;

        /// <summary>Fault causes counted at <see cref="InfoFaultCounts"/> (0…7); causes 8…11 follow at <see cref="InfoMoreFaultCounts"/>.</summary>
        public const int InfoFaultCountsV1 = 8;

        /// <summary>Fault causes reported in layout 2.</summary>
        public const int InfoFaultCauses = 12;

        /// <summary>Info response layout version.</summary>
        public const int InfoLayoutVersion = 2;
    }
}
