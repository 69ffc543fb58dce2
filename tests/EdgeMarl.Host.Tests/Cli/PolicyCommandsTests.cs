using System.CommandLine;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Tests.Policies;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary>export → inspect → lookup through the real commands; errors are one line with a documented exit code.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class PolicyCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-policy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) =>
        CliRunner.Run([ExportCommand.Create(), InspectCommand.Create(), LookupCommand.Create()], args);

    private string ExportTiny(string? keyHex = null)
    {
        PolicyFileMetadata m = PolicyFileGoldenTests.TinyMetadata();
        PolicyPairJson.Save(new TrainedPolicy(PolicyFileGoldenTests.TinyPair(), m.GameName, m.GameHash, m.ConfigHash, m.AgentCount), Path.Combine(_dir, "policies.json"));
        string file = Path.Combine(_dir, "tiny.empol");
        var args = new List<string> { "export", "--run", _dir, "--out", file };
        if (keyHex is not null)
        {
            File.WriteAllText(Path.Combine(_dir, "key.hex"), keyHex + "\n");
            args.AddRange(["--key", Path.Combine(_dir, "key.hex"), "--version", "3"]);
        }

        (int code, string output, string error) = Run([.. args]);
        Assert.True(code == 0, error);
        Assert.Contains(keyHex is null ? "203 bytes" : "247 bytes", output, StringComparison.Ordinal);
        return file;
    }

    [Fact]
    public void ExportWritesTheWritersBytesFromPoliciesJson()
    {
        string file = ExportTiny();
        PolicyFileMetadata stamped = PolicyFileGoldenTests.TinyMetadata() with { ProducerVersion = PolicyFileMetadata.CurrentProducerVersion };
        Assert.Equal(PolicyFileWriter.Write(PolicyFileGoldenTests.TinyPair(), stamped), File.ReadAllBytes(file));
    }

    [Fact]
    public void InspectShowsSizesHistogramsAndSectionBytes()
    {
        (int code, string output, _) = Run("inspect", ExportTiny());
        Assert.Equal(0, code);
        Assert.Contains("|S_g|=2 |A_g|=3 |S_l|=2 |A_l|=2 n=4 k=2 k_min=1 bits/entry=2", output, StringComparison.Ordinal);
        Assert.Contains("actions 0:1 1:2 2:3", output, StringComparison.Ordinal);
        Assert.Contains("hmac            absent", output, StringComparison.Ordinal);
        (code, output, _) = Run("inspect", Path.Combine(_dir, "tiny.empol"), "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"actionHistogram\": [", output, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectWithTheKeyReportsTheHmacVerified()
    {
        string file = ExportTiny(new string('a', 64));
        Assert.Equal(203 + 12 + 32, new FileInfo(file).Length); // one more section entry and the 32-byte tag
        (int code, string output, _) = Run("inspect", file, "--key", Path.Combine(_dir, "key.hex"));
        Assert.Equal(0, code);
        Assert.Contains("hmac            verified", output, StringComparison.Ordinal);
        Assert.Contains("not verified", Run("inspect", file).Out, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "key.hex"), new string('b', 64));
        (code, _, string error) = Run("inspect", file, "--key", Path.Combine(_dir, "key.hex"));
        Assert.Equal(3, code);
        Assert.Contains("HMAC section", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LookupPrintsTheGlobalAndLocalAction()
    {
        (int code, string output, _) = Run("lookup", ExportTiny(), "--sg", "1", "--counts", "1,1", "--sl", "1", "--byte", "3");
        Assert.Equal(0, code);
        Assert.Contains("a_g = 2", output, StringComparison.Ordinal);
        Assert.Contains("a_l = 1", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--sg", "1", "--counts", "3,0" }, 4, "k' = 3")]
    [InlineData(new[] { "--sg", "1", "--counts", "1,0,0" }, 4, "|S_l| = 2")]
    [InlineData(new[] { "--sg", "5", "--counts", "1,0" }, 4, "s_g = 5")]
    [InlineData(new[] { "--sg", "1", "--counts", "1,x" }, 1, "--counts")]
    public void LookupOutOfRangeFailsWithOneLine(string[] options, int exitCode, string mentions)
    {
        (int code, _, string error) = Run(["lookup", ExportTiny(), .. options]);
        Assert.Equal(exitCode, code);
        Assert.Contains(mentions, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void CorruptFileIsRejectedWithFieldAndOffset()
    {
        string file = ExportTiny();
        byte[] bytes = File.ReadAllBytes(file);
        uint stored = BitConverter.ToUInt32(bytes, bytes.Length - 4);
        bytes[20] ^= 0x01; // |S_l|
        File.WriteAllBytes(file, bytes);
        (int code, _, string error) = Run("inspect", file);
        Assert.Equal(3, code);
        Assert.StartsWith($"edgemarl inspect: {file}: byte 199 (CRC-32 trailer): CRC-32 mismatch (file corrupted) (stored 0x{stored:x8}, computed 0x", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void MissingFilesExitWithTheIoCode()
    {
        Assert.Equal(2, Run("inspect", Path.Combine(_dir, "none.empol")).Code);
        (int code, _, string error) = Run("export", "--run", _dir);
        Assert.Equal(2, code);
        Assert.Contains("policies.json", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal); // no stack trace
    }

    private void SaveStructured(ulong seed)
    {
        PolicyPair pair = CompactPolicyFileTests.Structured(seed, maxSampleSize: 12);
        PolicyFileMetadata m = RandomPolicies.Metadata(seed);
        PolicyPairJson.Save(new TrainedPolicy(pair, m.GameName, m.GameHash, m.ConfigHash, m.AgentCount), Path.Combine(_dir, "policies.json"));
    }

    [Fact]
    public void ExportWithABudgetWritesACompactFileThatFitsAndInspectShowsTheEncoding()
    {
        SaveStructured(21);
        PolicyPair pair = PolicyPairJson.Load(Path.Combine(_dir, "policies.json")).Pair;
        string file = Path.Combine(_dir, "budget.empol");

        (int code, string output, string error) = Run("export", "--run", _dir, "--out", file, "--budget", "112KB");

        Assert.True(code == 0, error);
        byte[] bytes = File.ReadAllBytes(file);
        Assert.True(bytes.Length <= 114_688);
        Assert.True(EdgeMarl.Shared.Policy.PolicyTable.TryOpen(bytes, 0, bytes.Length, out EdgeMarl.Shared.Policy.PolicyTable table, out _));
        Assert.InRange(table.FormatVersion, 3, 4);
        Assert.Contains($"format version {table.FormatVersion} (", output, StringComparison.Ordinal);
        Assert.Equal(pair.K, table.K);
        foreach (int kPrime in PolicyBudget.Geometric(pair.K, pair.KMin))
        {
            Assert.True(table.HasGlobalTable(kPrime), $"k'={kPrime}");
        }

        (code, output, _) = Run("inspect", file);
        Assert.Equal(0, code);
        Assert.Contains($"format version {table.FormatVersion}", output, StringComparison.Ordinal);
        Assert.Matches("global k'=\\d+ +\\d+ bytes @ \\d+  (compact(-coded)?, \\d+ runs|bit-packed)", output);
    }

    [Fact]
    public void ExportAboveTheBudgetFailsInOneLineNamingTheLargestConfigurationThatFits()
    {
        SaveStructured(22);
        PolicyPair pair = PolicyPairJson.Load(Path.Combine(_dir, "policies.json")).Pair;
        var budget = new PolicyBudget(pair, hmac: false);
        PolicyConfiguration full = budget.Choose(pair.K, int.MaxValue)!;
        long tight = CompactPolicyFileWriter.FileLength(pair, [full.Tables[^1]], hmac: false) - 1; // the top table alone no longer fits

        (int code, _, string error) = Run("export", "--run", _dir, "--budget", tight.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(3, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains($"k = {pair.K} does not fit", error, StringComparison.Ordinal);
        PolicyConfiguration? fits = budget.LargestFitting(pair.K - 1, tight);
        Assert.Contains(fits is null ? "no k fits" : $"the largest that fits is k = {fits.K}", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "policy.empol")));
    }

    [Fact]
    public void DistillFitsATightBudgetAndSaysHowManyEntriesChanged()
    {
        SaveStructured(24);
        PolicyPair pair = PolicyPairJson.Load(Path.Combine(_dir, "policies.json")).Pair;
        PolicyConfiguration full = new PolicyBudget(pair, hmac: false).Choose(pair.K, int.MaxValue)!;
        long budget = (full.FileLength * 2 / 3) + 400; // the exact set does not fit, the rules do
        string file = Path.Combine(_dir, "distilled.empol");

        (int code, string output, string error) = Run("export", "--run", _dir, "--out", file, "--budget", budget.ToString(System.Globalization.CultureInfo.InvariantCulture), "--distill");

        Assert.True(code == 0, error);
        Assert.Contains("DISTILLED (lossy)", output, StringComparison.Ordinal);
        Assert.True(new FileInfo(file).Length <= budget);
        Assert.Equal(1, Run("export", "--run", _dir, "--distill").Code); // needs a budget
    }

    [Fact]
    public void UnknownDeviceAndBadBudgetAreUsageErrors()
    {
        SaveStructured(23);
        Assert.Equal(1, Run("export", "--run", _dir, "--device", "esp8266").Code);
        Assert.Equal(1, Run("export", "--run", _dir, "--budget", "lots").Code);
        Assert.Equal(0, Run("export", "--run", _dir, "--device", "esp32-4mb").Code);
    }

    [Fact]
    public void InvalidPoliciesJsonExitsWithTheDataCodeAndItsPath()
    {
        File.WriteAllText(Path.Combine(_dir, "policies.json"), "{\"format\": \"edgemarl.policies/9\"}");
        (int code, _, string error) = Run("export", "--run", _dir);
        Assert.Equal(3, code);
        Assert.Contains("policies.json: $.format", error, StringComparison.Ordinal);
    }
}
