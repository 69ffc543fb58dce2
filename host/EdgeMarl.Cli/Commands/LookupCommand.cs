using System.CommandLine;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl lookup FILE --sg N --counts 3,2,0 [--sl N --byte B]</c>: what a gateway (and a robot) would do,
/// through the same reader the firmware uses.
/// </summary>
internal static class LookupCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Policy file (.empol)." };
        var globalState = new Option<int>("--sg") { Description = "Global state s_g.", Required = true };
        var counts = new Option<string>("--counts") { Description = "Count vector c, |S_l| comma-separated entries; k' = sum.", Required = true };
        var localState = new Option<int?>("--sl") { Description = "Local state s_l (a typed policy: the class x = τ·|S_l| + s_l): also draw a robot's action." };
        var randomByte = new Option<int?>("--byte") { Description = "The robot's uniform byte 0..255 for the draw (with --sl)." };
        var key = new Option<FileInfo?>("--key") { Description = "Fleet key (hex text file) to verify the HMAC with." };
        var command = new Command("lookup", "Look up a_g = pi_g(s_g, c) and optionally a_l. Exit codes: 0 ok, 1 usage, 2 I/O, 3 file rejected, 4 out of range.")
        {
            file, globalState, counts, localState, randomByte, key,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("lookup", () => Run(
            parse.GetValue(file)!, parse.GetValue(globalState), parse.GetValue(counts)!, parse.GetValue(localState), parse.GetValue(randomByte), parse.GetValue(key))));
        return command;
    }

    private static int Run(FileInfo file, int globalState, string countsText, int? localState, int? randomByte, FileInfo? keyFile)
    {
        int[]? counts = ParseCounts(countsText);
        if (counts is null)
        {
            return PolicyCommandSupport.Fail("lookup", $"--counts \"{countsText}\": expected comma-separated non-negative integers", PolicyCommandSupport.Usage);
        }

        if (localState.HasValue != randomByte.HasValue || randomByte is < 0 or > 255)
        {
            return PolicyCommandSupport.Fail("lookup", "--sl and --byte go together; --byte must be in 0..255", PolicyCommandSupport.Usage);
        }

        byte[]? key = keyFile is null ? null : PolicyCommandSupport.ReadKey(keyFile.FullName);
        PolicyTable table = PolicyFileMessages.Open(file.FullName, key);
        // A typed policy (format 5) counts T·|S_l| (type, state) classes, and its local rows are per class x = τ·|S_l| + s_l.
        int classes = table.RobotTypes * table.LocalStates;
        if (counts.Length != classes)
        {
            return PolicyCommandSupport.Fail("lookup", table.RobotTypes > 1
                ? $"--counts has {counts.Length} entries; the policy counts T·|S_l| = {table.RobotTypes}·{table.LocalStates} = {classes} (type, state) classes"
                : $"--counts has {counts.Length} entries; the policy has |S_l| = {table.LocalStates}", PolicyCommandSupport.OutOfRange);
        }

        long sum = counts.Sum(c => (long)c);
        if (!table.TryGetGlobalAction(globalState, counts, 0, out int globalAction))
        {
            return PolicyCommandSupport.Fail(
                "lookup",
                string.Create(CultureInfo.InvariantCulture, $"no entry for s_g = {globalState}, k' = {sum}: need s_g in [0, {table.GlobalStates}) and k' in {StoredText(table)}"),
                PolicyCommandSupport.OutOfRange);
        }

        int rank = new CountRanker(classes, table.K).Rank(counts, 0, (int)sum);
        string encoding = table.GlobalTableKind((int)sum) == EdgeMarl.Shared.Policy.PolicyFileLayout.SectionCompactGlobalTable ? ", compact table" : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"a_g = {globalAction}   (s_g = {globalState}, k' = {sum}, rank {rank} of {table.RankCount((int)sum)}{encoding})"));
        if (localState is int sl && randomByte is int b)
        {
            int localAction = table.GetLocalAction(globalState, sl, (byte)b);
            if (localAction < 0)
            {
                return PolicyCommandSupport.Fail("lookup", table.RobotTypes > 1 ? $"no row for x = {sl}: need x = τ·|S_l| + s_l in [0, {classes})" : $"no row for s_l = {sl}: need s_l in [0, {table.LocalStates})", PolicyCommandSupport.OutOfRange);
            }

            string weights = string.Join('/', Enumerable.Range(0, table.LocalActions).Select(a => table.GetLocalWeight(globalState, sl, a).ToString(CultureInfo.InvariantCulture)));
            Console.WriteLine($"a_l = {localAction}   (s_l = {sl}, byte {b}, weights {weights} in 1/256)");
        }

        return PolicyCommandSupport.Ok;
    }

    // "[k_min, k]" for a version-1 file; the stored set, e.g. "{1, 3, 6, 12, 25, 50}", when only some k' are stored.
    private static string StoredText(PolicyTable table)
    {
        var stored = Enumerable.Range(table.KMin, table.K - table.KMin + 1).Where(table.HasGlobalTable).ToList();
        return stored.Count == table.K - table.KMin + 1
            ? string.Create(CultureInfo.InvariantCulture, $"[{table.KMin}, {table.K}]")
            : "{" + string.Join(", ", stored) + "} (the gateway subsamples other k' to the largest stored one below)";
    }

    private static int[]? ParseCounts(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]))
            {
                return null;
            }
        }

        return counts;
    }
}
