using System.CommandLine;
using EdgeMarl.Cli.Commands;

namespace EdgeMarl.Cli;

/// <summary>Entry point of the <c>edgemarl</c> tool: one subcommand per file under <c>Commands/</c>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("EdgeMarl: train, export and verify fleet coordination policies (ALTERNATING-MARL).")
        {
            QuickstartCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            BenchCommand.Create(),
            GamesCommand.Create(),
            ExportCommand.Create(),
            GapCommand.Create(),
            SweepCommand.Create(),
            SampleComplexityCommand.Create(),
            SimulatorBenchCommand.Create(),
            InspectCommand.Create(),
            LookupCommand.Create(),
            UploadCommand.Create(),
            ProvisionCommand.Create(),
            DeviceInfoCommand.Create(),
            FleetCommand.Create(),
            DeviceCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
