using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Integrity;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// The first-boot import of a preloaded policy file into a <see cref="PolicyStore"/>: through the same
    /// stage → verify (fleet key, format 2, anti-rollback version) → commit path as an upload, in slices.
    /// </summary>
    public static class PolicyImport
    {
        /// <summary>Bytes copied per step (the import's whole buffer).</summary>
        public const int ChunkBytes = 512;

        /// <summary>Stages, verifies and commits <paramref name="source"/>; the store's previous policy (if any) stays on any failure.</summary>
        /// <param name="store">The node's store (after <see cref="PolicyStore.Boot"/>).</param>
        /// <param name="source">The preloaded file.</param>
        /// <returns><see cref="DeployStatus.Ok"/> when the policy is now in force, else why not (details in the store's last error).</returns>
        public static DeployStatus Import(PolicyStore store, IPolicySource source)
        {
            int length = source.Length;
            if (length < PolicyFileLayout.HeaderLength + PolicyFileLayout.CrcLength)
            {
                return DeployStatus.TooSmall;
            }

            byte[] chunk = new byte[ChunkBytes];
            int covered = PolicyIdentity.CoveredLength(length);
            uint register = Crc32.Start();
            for (int position = 0; position < covered; position += ChunkBytes)
            {
                int count = covered - position < ChunkBytes ? covered - position : ChunkBytes;
                if (source.Read(position, chunk, 0, count) != count)
                {
                    return DeployStatus.StorageFailed;
                }

                register = Crc32.Append(register, chunk, 0, count);
            }

            DeployStatus status = store.BeginStage(length, Crc32.Finish(register));
            for (int position = 0; status == DeployStatus.Ok && position < length; position += ChunkBytes)
            {
                int count = length - position < ChunkBytes ? length - position : ChunkBytes;
                status = source.Read(position, chunk, 0, count) != count ? DeployStatus.StorageFailed : store.WriteStage(position, chunk, 0, count);
            }

            if (status == DeployStatus.Ok)
            {
                status = store.FinishStage();
            }

            return status == DeployStatus.Ok ? store.Commit() : status;
        }
    }
}
