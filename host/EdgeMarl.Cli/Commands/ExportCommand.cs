using System.CommandLine;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl export --run DIR [--out FILE] [--key HEXFILE --version N] [--budget SIZE | --device NAME] [--tables all|geometric] [--k K]</c>:
/// DIR/policies.json → policy file (.empol). Without a budget: every <c>k' ∈ [k_min, k]</c> bit-packed (format version 2), as
/// before, unless <c>--tables geometric</c>. With a budget: format version 3 or 4, compact tables, the top <c>k</c> and as many
/// degradation tables as fit (docs/policy-format.md "Degradation tables"), or a one-line failure naming what would fit.
/// </summary>
/// <remarks>
/// The policy version is the anti-rollback counter devices check (docs/policy-store.md): it is required with
/// <c>--key</c> rather than derived, because only the operator knows what the fleet runs, and a derived value
/// (a clock) would make the same run export different bytes. Unsigned files get version 0: devices refuse them anyway.
/// </remarks>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "Training output folder holding policies.json.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Policy file to write (default: DIR/policy.empol)." };
        var key = new Option<FileInfo?>("--key") { Description = "Fleet key (hex text file, >= 16 bytes): adds an HMAC-SHA256 section." };
        var version = new Option<uint?>("--version")
        {
            Description = "Policy version N >= 1, the anti-rollback counter (required with --key): devices accept only a version above the highest they accepted. `edgemarl inspect` shows a file's version.",
        };
        var budget = new Option<string?>("--budget") { Description = "Largest file size, e.g. 112KB (KB = 1024 B), 114688, 1.5MB: format version 3 or 4, compact tables, degradation tables that fit." };
        var device = new Option<string?>("--device") { Description = "Budget of a named device: " + string.Join(", ", DeviceProfile.All.Select(p => $"{p.Name} ({p.Bytes} B)")) + "." };
        var tables = new Option<string>("--tables") { Description = "Which k' to store: all (k_min..k, version 2 when no budget) or geometric (k, k/2, k/4, ..., 1; version 3 or 4, compact).", DefaultValueFactory = _ => "auto" };
        var top = new Option<int?>("--k") { Description = "Largest k' to store (default: the trained k)." };
        var distill = new Option<bool>("--distill") { Description = "Lossy: with a budget, keep the rule and only the longest exception runs so that the geometric set fits; prints the share of k-table entries that changed." };
        var command = new Command("export", "Write the policy file (.empol) robots load from a training run's policies.json. Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input or does not fit the budget.")
        {
            run, output, key, version, budget, device, tables, top, distill,
        };
        command.Validators.Add(result =>
        {
            uint? v = result.GetValue(version);
            if (result.GetValue(key) is not null && v is null)
            {
                result.AddError("--version N is required with --key: devices refuse a policy whose version is not above the highest they accepted (see `edgemarl inspect` of the file they run)");
            }
            else if (v == 0)
            {
                result.AddError("--version must be at least 1 (0 means unversioned and is refused by devices)");
            }
        });
        command.SetAction(parse => PolicyCommandSupport.Guard("export", () => Run(
            parse.GetValue(run)!, parse.GetValue(output), parse.GetValue(key), parse.GetValue(budget), parse.GetValue(device), parse.GetValue(tables)!, parse.GetValue(top), parse.GetValue(distill), parse.GetValue(version) ?? 0)));
        return command;
    }

    private static int Run(DirectoryInfo run, FileInfo? output, FileInfo? keyFile, string? budgetText, string? deviceName, string tables, int? top, bool distill, uint policyVersion)
    {
        if (tables is not ("auto" or "all" or "geometric"))
        {
            return PolicyCommandSupport.Fail("export", $"--tables {tables}: expected all or geometric", PolicyCommandSupport.Usage);
        }

        if (budgetText is not null && deviceName is not null)
        {
            return PolicyCommandSupport.Fail("export", "give --budget or --device, not both", PolicyCommandSupport.Usage);
        }

        long? budget = null;
        string budgetName = string.Empty;
        if (deviceName is not null)
        {
            DeviceProfile? profile = DeviceProfile.Find(deviceName);
            if (profile is null)
            {
                return PolicyCommandSupport.Fail("export", $"--device {deviceName}: unknown; known: {string.Join(", ", DeviceProfile.All.Select(p => p.Name))}", PolicyCommandSupport.Usage);
            }

            budget = profile.Bytes;
            budgetName = $" ({profile.Name})";
        }
        else if (budgetText is not null)
        {
            try
            {
                budget = PolicyBudget.ParseBytes(budgetText);
            }
            catch (FormatException e)
            {
                return PolicyCommandSupport.Fail("export", $"--budget: {e.Message}", PolicyCommandSupport.Usage);
            }
        }

        if (distill && (budget is null || tables == "all"))
        {
            return PolicyCommandSupport.Fail("export", "--distill needs --budget or --device and the geometric tables", PolicyCommandSupport.Usage);
        }

        string source = Path.Combine(run.FullName, PolicyPairJson.FileName);
        TrainedPolicy trained = PolicyPairJson.Load(source);
        PolicyPair pair = trained.Pair;
        string lifted = string.Empty;
        if (pair.GlobalActions[^1] is null)
        {
            // A lifted pair (issue 18): no table above k'; the file stores up to k' and a gateway polling k subsamples to it.
            int trainedK = pair.K;
            pair = PolicyPair.WithoutAbsentTop(pair);
            trained = trained with { Pair = pair };
            lifted = string.Create(CultureInfo.InvariantCulture, $"; lifted pair: trained for k = {trainedK}, no table above k' = {pair.K}: a gateway polling k = {trainedK} (fleet --k {trainedK}) subsamples its replies to k'");
        }

        int k = top ?? pair.K;
        if (k < Math.Max(pair.KMin, 0) || k > pair.K)
        {
            return PolicyCommandSupport.Fail("export", $"--k {k}: the run has tables for k' in [{pair.KMin}, {pair.K}]", PolicyCommandSupport.OutOfRange);
        }

        if (pair.GlobalActions[k - pair.KMin] is null)
        {
            return PolicyCommandSupport.Fail("export", string.Create(CultureInfo.InvariantCulture, $"--k {k}: the run stores no table for it (tables: {StoredText(pair)})"), PolicyCommandSupport.OutOfRange);
        }

        byte[]? key = keyFile is null ? null : PolicyCommandSupport.ReadKey(keyFile.FullName);
        CultureInfo c = CultureInfo.InvariantCulture;
        byte[] bytes;
        string what;
        try
        {
            bool everyStored = Array.TrueForAll(pair.GlobalActions, t => t is not null);
            if (budget is null && tables != "geometric" && k == pair.K)
            {
                bytes = PolicyExport.ToVerifiedBytes(trained, key, policyVersion);
                what = everyStored ? $"k' = {pair.KMin}..{pair.K}, format version {bytes[EdgeMarl.Shared.Policy.PolicyFileLayout.VersionOffset]} (bit-packed{(trained.RobotTypes > 1 ? $", T = {trained.RobotTypes} robot types" : string.Empty)})" : $"k' in {{{StoredText(pair)}}} (the tables training stored), format version {bytes[EdgeMarl.Shared.Policy.PolicyFileLayout.VersionOffset]}";
            }
            else
            {
                var chooser = new PolicyBudget(pair, key is not null);
                PolicyConfiguration? chosen;
                double disagreement = 0;
                if (distill)
                {
                    chosen = chooser.Distill(k, budget!.Value, out disagreement);
                    if (chosen is null)
                    {
                        return PolicyCommandSupport.Fail("export", string.Create(c, $"even the rules alone of k = {k} exceed the budget of {budget} bytes{budgetName}"), PolicyCommandSupport.InvalidData);
                    }
                }
                else if (tables == "all")
                {
                    var all = Enumerable.Range(pair.KMin, k - pair.KMin + 1).Where(kp => pair.GlobalActions[kp - pair.KMin] is not null).Select(kp => CompactPolicyFileWriter.EncodeTable(pair, kp)).ToList();
                    chosen = new PolicyConfiguration(k, all, CompactPolicyFileWriter.FileLength(pair, all, key is not null));
                    if (budget is not null && chosen.FileLength > budget)
                    {
                        return PolicyCommandSupport.Fail("export", string.Create(c, $"every k' in [{pair.KMin}, {k}] needs {chosen.FileLength} bytes, above the budget of {budget} bytes{budgetName}; drop --tables all to store the degradation tables that fit"), PolicyCommandSupport.InvalidData);
                    }
                }
                else
                {
                    chosen = chooser.Choose(k, budget ?? int.MaxValue);
                    if (chosen is null)
                    {
                        PolicyConfiguration? fits = chooser.LargestFitting(k - 1, budget!.Value);
                        long alone = CompactPolicyFileWriter.FileLength(pair, [CompactPolicyFileWriter.EncodeTable(pair, k)], key is not null);
                        string hint = fits is null
                            ? "no k fits"
                            : string.Create(c, $"the largest that fits is k = {fits.K} with k' in {fits.SampleSizesText} ({fits.FileLength} bytes): export --k {fits.K}");
                        return PolicyCommandSupport.Fail("export", string.Create(c, $"k = {k} does not fit: its table alone makes a {alone}-byte file, above the budget of {budget} bytes{budgetName}; {hint}"), PolicyCommandSupport.InvalidData);
                    }
                }

                bytes = PolicyExport.ToVerifiedBytes(trained, chosen.Tables, key, policyVersion);
                int compact = chosen.Tables.Count(t => t.Kind == EdgeMarl.Shared.Policy.PolicyFileLayout.SectionCompactGlobalTable);
                int formatVersion = bytes[EdgeMarl.Shared.Policy.PolicyFileLayout.VersionOffset];
                what = string.Create(c, $"k' in {chosen.SampleSizesText}, format version {formatVersion} ({compact} compact, {chosen.Tables.Count - compact} bit-packed tables)")
                    + (budget is null ? string.Empty : string.Create(c, $", budget {budget} bytes{budgetName}"))
                    + (distill ? string.Create(c, $", DISTILLED (lossy): {disagreement:P2} of the k' = {k} entries differ from the trained policy") : string.Empty);
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        string path = output?.FullName ?? Path.Combine(run.FullName, "policy.empol");
        File.WriteAllBytes(path, bytes);
        Console.WriteLine(string.Create(c, $"wrote {path}: {bytes.Length} bytes, {what}, policy version {policyVersion}, HMAC {(key is null ? "no" : "yes")}{lifted}"));
        return PolicyCommandSupport.Ok;
    }

    /// <summary>The stored table sizes, largest first ("50, 25, 12, 6, 3, 1").</summary>
    private static string StoredText(PolicyPair pair) =>
        string.Join(", ", Enumerable.Range(pair.KMin, pair.GlobalActions.Length).Reverse().Where(kp => pair.GlobalActions[kp - pair.KMin] is not null));
}
