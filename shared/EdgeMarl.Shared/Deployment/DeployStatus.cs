namespace EdgeMarl.Shared.Deployment
{
    /// <summary>
    /// Outcome of one step of a policy upload (serial or radio, docs/protocol.md §10). A wire value shown by the
    /// uploader: never renumbered. When the value is <see cref="PolicyRejected"/> the accompanying
    /// <see cref="Policy.PolicyStatus"/> and byte offset name the defect in the file.
    /// </summary>
    public enum DeployStatus : byte
    {
        /// <summary>The step succeeded.</summary>
        Ok = 0,

        /// <summary>A request was malformed (wrong payload length, chunk outside the announced image).</summary>
        BadRequest = 1,

        /// <summary>Data or finish arrived without a begin.</summary>
        NotStarted = 2,

        /// <summary>The image is larger than one store slot (two slots must fit the file system).</summary>
        TooLarge = 3,

        /// <summary>A data chunk skipped bytes; the reply carries the next offset the device expects.</summary>
        OutOfOrder = 4,

        /// <summary>Finish arrived before every byte of the announced length was received.</summary>
        Incomplete = 5,

        /// <summary>The CRC-32 of the received image differs from the one announced at begin (corrupted in transit or storage).</summary>
        ImageCrcMismatch = 6,

        /// <summary>The image is not a valid policy file; see the policy status and byte offset.</summary>
        PolicyRejected = 7,

        /// <summary>The policy is valid but made for another game: a size differs from the node's; the byte offset names the header field.</summary>
        WrongGame = 8,

        /// <summary>The flash file system failed (write, flush or read-back); the previous policy stays in use.</summary>
        StorageFailed = 9,

        /// <summary>The device already runs exactly this image; nothing was written.</summary>
        AlreadyActive = 10,

        /// <summary>The image is empty or shorter than a policy header.</summary>
        TooSmall = 11,

        /// <summary>
        /// The policy version is below the highest this device accepted (anti-rollback); nothing changed. The
        /// reply's error-offset field carries that highest version (docs/protocol.md §10).
        /// </summary>
        Rollback = 12,

        /// <summary>
        /// The policy version equals the highest this device accepted but the image differs: one version names one
        /// policy. Re-export with a higher <c>--version</c>. The reply's error-offset field carries that version.
        /// </summary>
        VersionReused = 13,

        /// <summary>
        /// The device has no fleet key yet (a blank device: no provisioning record): it answers provision and device-info
        /// only and refuses uploads until <c>edgemarl provision --key</c> (docs/provisioning.md).
        /// </summary>
        NotProvisioned = 14,
    }
}
