using System.IO;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// First-boot import of a policy file preloaded on the device's file system (e.g. <c>I:\policy.empol</c> put there
    /// with the deployment tools) into an empty <see cref="PolicyStore"/>, in chunks of at most
    /// <see cref="MaxChunkBytes"/>: a slot holds up to 112 KB while a WROOM has 50–80 KB of managed heap, so the file is
    /// never read whole. The bytes go through the store's normal staged-write path (<see cref="PolicyStore.BeginStage"/>,
    /// <see cref="PolicyStore.WriteStage"/>, <see cref="PolicyStore.FinishStage"/>), so an import passes every check
    /// an upload passes (CRC, structure, game sizes, fleet-key authentication) before <see cref="PolicyStore.Commit"/>.
    /// </summary>
    /// <remarks>Two passes over the file: one for the image CRC the store checks at the end, one to write it.</remarks>
    public static class PreloadImporter
    {
        /// <summary>The largest chunk the importer reads at once.</summary>
        public const int MaxChunkBytes = 4096;

        /// <summary>Imports the policy file at <paramref name="path"/>; <see cref="DeployStatus.NotStarted"/> when it does not exist.</summary>
        /// <param name="store">A booted store.</param>
        /// <param name="path">The preloaded file.</param>
        /// <param name="chunk">Caller-owned buffer, 1 to <see cref="MaxChunkBytes"/> bytes.</param>
        /// <returns><see cref="DeployStatus.Ok"/> when the policy is now in force, otherwise why not (details in the store's LastPolicyError).</returns>
        public static DeployStatus ImportFile(PolicyStore store, string path, byte[] chunk)
        {
            if (!File.Exists(path))
            {
                return DeployStatus.NotStarted;
            }

            try
            {
                using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    return Import(store, stream, chunk);
                }
            }
            catch (IOException)
            {
                return DeployStatus.StorageFailed;
            }
        }

        /// <summary>Imports the policy file read from <paramref name="source"/> (seekable, positioned anywhere).</summary>
        /// <param name="store">A booted store.</param>
        /// <param name="source">The file.</param>
        /// <param name="chunk">Caller-owned buffer, 1 to <see cref="MaxChunkBytes"/> bytes.</param>
        /// <returns><see cref="DeployStatus.Ok"/> when the policy is now in force, otherwise why not.</returns>
        public static DeployStatus Import(PolicyStore store, Stream source, byte[] chunk)
        {
            if (store == null || source == null || chunk == null || chunk.Length < 1 || chunk.Length > MaxChunkBytes)
            {
                throw new System.ArgumentException("import: store, source and a 1..4096-byte chunk buffer required", nameof(chunk));
            }

            long longLength = source.Length;
            if (longLength > store.Capacity)
            {
                return DeployStatus.TooLarge;
            }

            int length = (int)longLength;
            if (length < PolicyFileLayout.HeaderLength + PolicyFileLayout.CrcLength)
            {
                return DeployStatus.TooSmall;
            }

            // Pass 1: the image CRC (PolicyIdentity leaves out the file's own CRC trailer).
            int covered = PolicyIdentity.CoveredLength(length);
            uint register = EdgeMarl.Shared.Integrity.Crc32.Start();
            source.Seek(0, SeekOrigin.Begin);
            for (int position = 0; position < covered;)
            {
                int want = covered - position < chunk.Length ? covered - position : chunk.Length;
                int read = ReadFully(source, chunk, want);
                if (read != want)
                {
                    return DeployStatus.StorageFailed;
                }

                register = EdgeMarl.Shared.Integrity.Crc32.Append(register, chunk, 0, read);
                position += read;
            }

            // Pass 2: the store's staged write, then its full verification from flash.
            DeployStatus status = store.BeginStage(length, EdgeMarl.Shared.Integrity.Crc32.Finish(register));
            source.Seek(0, SeekOrigin.Begin);
            for (int position = 0; status == DeployStatus.Ok && position < length;)
            {
                int want = length - position < chunk.Length ? length - position : chunk.Length;
                int read = ReadFully(source, chunk, want);
                if (read != want)
                {
                    return DeployStatus.StorageFailed;
                }

                status = store.WriteStage(position, chunk, 0, read);
                position += read;
            }

            if (status == DeployStatus.Ok)
            {
                status = store.FinishStage();
            }

            return status == DeployStatus.Ok ? store.Commit() : status;
        }

        private static int ReadFully(Stream source, byte[] chunk, int want)
        {
            int total = 0;
            while (total < want)
            {
                int read = source.Read(chunk, total, want - total);
                if (read <= 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
    }
}
