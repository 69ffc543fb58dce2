using System.CommandLine;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Cli.Commands;

/// <summary><c>edgemarl export --run DIR [--out FILE] [--key HEXFILE --version N]</c>: DIR/policies.json → policy file (.empol).</summary>
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
        var command = new Command("export", "Write the policy file (.empol) robots load from a training run's policies.json. Exit codes: 0 ok, 1 usage, 2 I/O, 3 invalid input.")
        {
            run, output, key, version,
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
        command.SetAction(parse => PolicyCommandSupport.Guard("export", () => Run(parse.GetValue(run)!, parse.GetValue(output), parse.GetValue(key), parse.GetValue(version) ?? 0)));
        return command;
    }

    private static int Run(DirectoryInfo run, FileInfo? output, FileInfo? keyFile, uint policyVersion)
    {
        string source = Path.Combine(run.FullName, PolicyPairJson.FileName);
        TrainedPolicy trained = PolicyPairJson.Load(source);
        byte[]? key = keyFile is null ? null : PolicyCommandSupport.ReadKey(keyFile.FullName);
        byte[] bytes;
        try
        {
            bytes = PolicyExport.ToVerifiedBytes(trained, key, policyVersion);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        string path = output?.FullName ?? Path.Combine(run.FullName, "policy.empol");
        File.WriteAllBytes(path, bytes);
        Console.WriteLine($"wrote {path}: {bytes.Length} bytes, k' = {trained.Pair.KMin}..{trained.Pair.K}, policy version {policyVersion}, HMAC {(key is null ? "no" : "yes")}");
        return PolicyCommandSupport.Ok;
    }
}
