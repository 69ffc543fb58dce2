using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Policies;

namespace EdgeMarl.Cli.Commands;

/// <summary><c>edgemarl inspect FILE [--key HEXFILE] [--json]</c>: header, sizes, CRC/HMAC status, per-k' action histogram, bytes per section.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Policy file (.empol)." };
        var key = new Option<FileInfo?>("--key") { Description = "Fleet key (hex text file) to verify the HMAC with." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("inspect", "Validate a policy file and describe it. Exit codes: 0 ok, 1 usage, 2 I/O, 3 file rejected.") { file, key, json };
        command.SetAction(parse => PolicyCommandSupport.Guard("inspect", () => Run(parse.GetValue(file)!, parse.GetValue(key), parse.GetValue(json))));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? keyFile, bool json)
    {
        byte[]? key = keyFile is null ? null : PolicyCommandSupport.ReadKey(keyFile.FullName);
        PolicyFileReport report = PolicyFileReport.Create(PolicyFileMessages.Open(file.FullName, key));
        if (json)
        {
            CliJson.Print(report);
            return PolicyCommandSupport.Ok;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"file            {file.Name}: {report.FileLength} bytes, format version {report.FormatVersion}"));
        Console.WriteLine(string.Create(c, $"policy version  {report.PolicyVersion}{(report.FormatVersion == 1 ? " (v1 file: none; devices refuse it)" : string.Empty)}"));
        Console.WriteLine($"producer        edgemarl {report.ProducerVersion}");
        Console.WriteLine($"game            {report.GameName}  sha256 {report.GameHash}");
        Console.WriteLine($"config hash     {report.ConfigHash}");
        Console.WriteLine(string.Create(c, $"sizes           |S_g|={report.GlobalStates} |A_g|={report.GlobalActions} |S_l|={report.LocalStates} |A_l|={report.LocalActions} n={report.AgentCount} k={report.K} k_min={report.KMin} bits/entry={report.BitsPerEntry}"));
        if (report.RobotTypes is int types)
        {
            Console.WriteLine(string.Create(c, $"robot types     T={types}: tables count the {types * report.LocalStates} (type, state) classes x = τ·|S_l| + s_l; local rows per (s_g, x)"));
        }

        Console.WriteLine($"crc32           {report.Crc32} ok");
        Console.WriteLine($"hmac            {report.Hmac}");
        Console.WriteLine(string.Create(c, $"header          {report.HeaderBytes} bytes; section table {report.SectionTableBytes} bytes; crc {report.CrcBytes} bytes"));
        foreach (PolicySectionReport s in report.Sections)
        {
            string name = s.Kind == "global" ? string.Create(c, $"global k'={s.Parameter}") : s.Kind;
            string encoding = s.Encoding is null ? string.Empty : s.Runs > 0 || s.Encoding.StartsWith("compact", StringComparison.Ordinal) ? string.Create(c, $"  {s.Encoding}, {s.Runs} runs") : "  " + s.Encoding;
            string histogram = s.ActionHistogram is null ? string.Empty : "  actions " + string.Join(' ', s.ActionHistogram.Select((n, a) => string.Create(c, $"{a}:{n}")));
            Console.WriteLine(string.Create(c, $"{name,-15} {s.Length,10} bytes @ {s.Offset}{encoding}{histogram}"));
        }

        return PolicyCommandSupport.Ok;
    }
}
