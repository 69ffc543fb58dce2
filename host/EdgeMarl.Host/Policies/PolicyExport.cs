using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Policies;

/// <summary>
/// A trained policy (<c>policies.json</c>) → the bytes of its policy file, read back with the reader the robots run:
/// an exporter that writes files its own reader rejects is a bug to catch before anything reaches a device.
/// </summary>
public static class PolicyExport
{
    /// <summary>
    /// Encodes <paramref name="trained"/> (format version 2 when every <c>k'</c> table is stored, else version 3 or 4 with the stored
    /// ones) and checks that <see cref="PolicyTable"/> opens the result.
    /// </summary>
    /// <param name="trained">The trained policy and its metadata.</param>
    /// <param name="hmacKey">Fleet key for the HMAC-SHA256 section, or null.</param>
    /// <param name="policyVersion">Anti-rollback counter written into the header (devices refuse versions at or below the highest they accepted).</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException">The policy does not fit the format (from <see cref="PolicyFileWriter"/>).</exception>
    /// <exception cref="InvalidDataException">The written bytes do not validate (an internal error).</exception>
    public static byte[] ToVerifiedBytes(TrainedPolicy trained, byte[]? hmacKey, uint policyVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(trained);
        if (Array.Exists(trained.Pair.GlobalActions, t => t is null))
        {
            // Not every k' is stored (geometric degradation tables, or a lifted pair): format version 3 or 4 with the stored ones.
            PolicyPair pair = PolicyPair.WithoutAbsentTop(trained.Pair);
            List<EncodedGlobalTable> stored = [.. Enumerable.Range(pair.KMin, pair.K - pair.KMin + 1)
                .Where(kp => pair.GlobalActions[kp - pair.KMin] is not null)
                .Select(kp => CompactPolicyFileWriter.EncodeTable(pair, kp))];
            return ToVerifiedBytes(trained with { Pair = pair }, stored, hmacKey, policyVersion);
        }

        var metadata = new PolicyFileMetadata(trained.GameName, trained.GameHash, trained.ConfigHash, PolicyFileMetadata.CurrentProducerVersion, trained.AgentCount, policyVersion, trained.RobotTypes);
        byte[] bytes = PolicyFileWriter.Write(trained.Pair, metadata, hmacKey);
        IMessageAuthenticator? authenticator = hmacKey is null ? null : new HmacSha256Authenticator(hmacKey);
        if (!PolicyTable.TryOpen(bytes, 0, bytes.Length, authenticator, out _, out PolicyFileError error))
        {
            throw new InvalidDataException($"internal error: the written policy file does not validate: {PolicyFileMessages.Describe(error)}");
        }

        return bytes;
    }

    /// <summary>Writes a version-3 file of the chosen tables (<see cref="PolicyBudget"/>) and checks that <see cref="PolicyTable"/> opens it.</summary>
    /// <param name="trained">The trained policy and its metadata.</param>
    /// <param name="tables">The encoded global tables to store.</param>
    /// <param name="hmacKey">Fleet key, or null.</param>
    /// <param name="policyVersion">Anti-rollback counter stamped in the authenticated header (0 = unversioned, refused by devices).</param>
    /// <returns>The file's bytes.</returns>
    public static byte[] ToVerifiedBytes(TrainedPolicy trained, IReadOnlyList<EncodedGlobalTable> tables, byte[]? hmacKey, uint policyVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(trained);
        var metadata = new PolicyFileMetadata(trained.GameName, trained.GameHash, trained.ConfigHash, PolicyFileMetadata.CurrentProducerVersion, trained.AgentCount, policyVersion, trained.RobotTypes);
        byte[] bytes = CompactPolicyFileWriter.Write(trained.Pair, metadata, tables, hmacKey);
        IMessageAuthenticator? authenticator = hmacKey is null ? null : new HmacSha256Authenticator(hmacKey);
        if (!PolicyTable.TryOpen(bytes, 0, bytes.Length, authenticator, out _, out PolicyFileError error))
        {
            throw new InvalidDataException($"internal error: the written policy file does not validate: {PolicyFileMessages.Describe(error)}");
        }

        return bytes;
    }
}
