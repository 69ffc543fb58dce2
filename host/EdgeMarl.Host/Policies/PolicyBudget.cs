using System.Globalization;

namespace EdgeMarl.Host.Policies;

/// <summary>A named device whose policy slot bounds the file size (<c>edgemarl export --device</c>).</summary>
/// <param name="Name">Profile name.</param>
/// <param name="Bytes">Largest policy file in bytes.</param>
/// <param name="Why">Where the number comes from.</param>
public sealed record DeviceProfile(string Name, int Bytes, string Why)
{
    /// <summary>Gets the known profiles.</summary>
    public static IReadOnlyList<DeviceProfile> All { get; } =
    [
        new("esp32-4mb", 114_688, "one A/B policy slot on I: of a stock 4 MB ESP32 (docs/policy-store.md, firmware/Esp32Common/FleetSettings.cs)"),
    ];

    /// <summary>Finds a profile by name (case-insensitive), or null.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The profile, or null.</returns>
    public static DeviceProfile? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What <see cref="PolicyBudget.Choose"/> picked.</summary>
/// <param name="K">The largest stored <c>k'</c>.</param>
/// <param name="Tables">The encoded tables, increasing <c>k'</c>.</param>
/// <param name="FileLength">File length in bytes.</param>
public sealed record PolicyConfiguration(int K, IReadOnlyList<EncodedGlobalTable> Tables, long FileLength)
{
    /// <summary>Gets the stored <c>k'</c> as text, e.g. <c>{1, 3, 6, 12, 25, 50}</c>.</summary>
    public string SampleSizesText => "{" + string.Join(", ", Tables.Select(t => t.SampleSize.ToString(CultureInfo.InvariantCulture))) + "}";
}

/// <summary>
/// Chooses which global tables to store against a byte budget (docs/policy-format.md "Degradation tables"): the top <c>k</c>
/// always, then the geometric degradation set <c>⌊k/2⌋, ⌊k/4⌋, …, 1</c> (within <c>[k_min, k]</c>) largest first, each
/// table kept if the file still fits; every table compact or bit-packed, whichever is smaller. Encodings are cached.
/// </summary>
public sealed class PolicyBudget(PolicyPair pair, bool hmac)
{
    private readonly Dictionary<int, EncodedGlobalTable> _encoded = [];

    /// <summary>Parses a size such as <c>114688</c>, <c>112KB</c>, <c>112KiB</c>, <c>1.5MB</c> (KB = KiB = 1024 B, MB = MiB = 1024² B).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Bytes.</returns>
    /// <exception cref="FormatException">Not a size.</exception>
    public static long ParseBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        (string Suffix, long Scale)[] units = [("KiB", 1024), ("MiB", 1024 * 1024), ("KB", 1024), ("MB", 1024 * 1024), ("K", 1024), ("M", 1024 * 1024), ("B", 1)];
        long scale = 1;
        foreach ((string suffix, long s) in units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                t = t[..^suffix.Length].Trim();
                scale = s;
                break;
            }
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || value * scale > int.MaxValue)
        {
            throw new FormatException($"\"{text}\" is not a size (e.g. 114688, 112KB, 1.5MB)");
        }

        return (long)Math.Floor(value * scale);
    }

    /// <summary>Returns the geometric degradation set of <paramref name="k"/>: <c>k, ⌊k/2⌋, ⌊k/4⌋, …</c> down to <c>max(1, kMin)</c>, decreasing.</summary>
    /// <param name="k">Top <c>k</c>.</param>
    /// <param name="kMin">Smallest table available.</param>
    /// <returns>The set, largest first.</returns>
    public static List<int> Geometric(int k, int kMin)
    {
        var set = new List<int>();
        for (int kPrime = k; kPrime >= Math.Max(1, kMin); kPrime /= 2)
        {
            set.Add(kPrime);
        }

        if (set.Count == 0)
        {
            set.Add(k);
        }

        return set;
    }

    /// <summary>Returns the best configuration with top <paramref name="k"/> within <paramref name="budget"/> bytes, or null when <c>k</c> alone does not fit.</summary>
    /// <param name="k">Top <c>k</c>; the pair must hold its table.</param>
    /// <param name="budget">Largest file in bytes.</param>
    /// <returns>The configuration, or null.</returns>
    public PolicyConfiguration? Choose(int k, long budget)
    {
        var chosen = new List<EncodedGlobalTable>();
        foreach (int kPrime in Geometric(k, pair.KMin))
        {
            var candidate = new List<EncodedGlobalTable>(chosen) { Encode(kPrime) };
            candidate.Sort((a, b) => a.SampleSize.CompareTo(b.SampleSize));
            if (CompactPolicyFileWriter.FileLength(pair, candidate, hmac) <= budget)
            {
                chosen = candidate;
            }
            else if (kPrime == k)
            {
                return null;
            }
        }

        return new PolicyConfiguration(k, chosen, CompactPolicyFileWriter.FileLength(pair, chosen, hmac));
    }

    /// <summary>Returns the configuration with the largest top <c>k ≤ kMax</c> that fits, or null when none does (searching down from <paramref name="kMax"/>).</summary>
    /// <param name="kMax">Largest top <c>k</c> to try.</param>
    /// <param name="budget">Largest file in bytes.</param>
    /// <returns>The configuration, or null.</returns>
    public PolicyConfiguration? LargestFitting(int kMax, long budget)
    {
        for (int k = kMax; k >= Math.Max(1, pair.KMin); k--)
        {
            if (pair.GlobalActions[k - pair.KMin] is null)
            {
                continue; // not stored (geometric degradation tables): no file can have this top
            }

            // The top table alone is the floor: skip encoding the whole set while even that is too large.
            if (CompactPolicyFileWriter.FileLength(pair, [Encode(k)], hmac) <= budget)
            {
                return Choose(k, budget);
            }
        }

        return null;
    }

    /// <summary>
    /// Lossy (<c>export --distill</c>): the geometric set of <paramref name="k"/>, every table compact, each keeping the same
    /// largest fraction of its longest exception runs such that the file fits (bisection, 16 steps); null when even the
    /// rules alone do not fit. <paramref name="disagreement"/> is the share of the top table's entries that differ from the trainer's.
    /// </summary>
    /// <param name="k">Top <c>k</c>.</param>
    /// <param name="budget">Largest file in bytes.</param>
    /// <param name="disagreement">Share of entries of the table of <paramref name="k"/> whose action changed.</param>
    /// <returns>The configuration, or null.</returns>
    public PolicyConfiguration? Distill(int k, long budget, out double disagreement)
    {
        disagreement = 0;
        List<int> set = Geometric(k, pair.KMin);
        set.Sort();
        var exact = set.ToDictionary(kp => kp, kp => CompactPolicyFileWriter.EncodeTable(pair, kp, GlobalTableEncoding.CompactRuleRuns).Body);
        List<EncodedGlobalTable> Build(double fraction) =>
            [.. set.Select(kp => new EncodedGlobalTable(kp, EdgeMarl.Shared.Policy.PolicyFileLayout.SectionCompactGlobalTable, CompactTableEncoder.Distill(
                exact[kp], pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, (int)(fraction * RunCount(exact[kp])))))];
        List<EncodedGlobalTable> best = Build(0);
        if (CompactPolicyFileWriter.FileLength(pair, best, hmac) > budget)
        {
            return null;
        }

        double lo = 0;
        double hi = 1;
        for (int step = 0; step < 16; step++)
        {
            double mid = (lo + hi) / 2;
            List<EncodedGlobalTable> candidate = Build(mid);
            if (CompactPolicyFileWriter.FileLength(pair, candidate, hmac) <= budget)
            {
                lo = mid;
                best = candidate;
            }
            else
            {
                hi = mid;
            }
        }

        List<EncodedGlobalTable> full = Build(1);
        if (CompactPolicyFileWriter.FileLength(pair, full, hmac) <= budget)
        {
            best = full;
        }

        disagreement = Disagreement(k, best[^1].Body);
        return new PolicyConfiguration(k, best, CompactPolicyFileWriter.FileLength(pair, best, hmac));
    }

    private static int RunCount(byte[] body) => (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(EdgeMarl.Shared.Policy.CompactGlobalLayout.RunCountOffset));

    // Reads the table of k back through the device reader and counts entries that differ from the trainer's.
    private double Disagreement(int k, byte[] body)
    {
        var metadata = new PolicyFileMetadata("distill", new byte[32], new byte[32], "0.0.0", 1);
        byte[] file = CompactPolicyFileWriter.Write(pair, metadata, [new EncodedGlobalTable(k, EdgeMarl.Shared.Policy.PolicyFileLayout.SectionCompactGlobalTable, body)]);
        if (!EdgeMarl.Shared.Policy.PolicyTable.TryOpen(file, 0, file.Length, out EdgeMarl.Shared.Policy.PolicyTable table, out _))
        {
            throw new InvalidDataException("internal error: distilled table does not validate");
        }

        int[] trained = pair.GlobalActions[k - pair.KMin];
        int ranks = trained.Length / pair.GlobalStates;
        long differ = 0;
        for (int e = 0; e < trained.Length; e++)
        {
            table.TryGetGlobalActionByRank(e / ranks, k, e % ranks, out int a);
            differ += a != trained[e] ? 1 : 0;
        }

        return (double)differ / trained.Length;
    }

    private EncodedGlobalTable Encode(int kPrime)
    {
        if (!_encoded.TryGetValue(kPrime, out EncodedGlobalTable? table))
        {
            table = CompactPolicyFileWriter.EncodeTable(pair, kPrime);
            _encoded[kPrime] = table;
        }

        return table;
    }
}
