using System.CommandLine;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Cli.Support;

namespace EdgeMarl.Cli;

/// <summary>Entry point of the <c>edgemarl</c> tool: one subcommand per file under <c>Commands/</c>.</summary>
internal static class Program
{
    private static int Main(string[] args) => TopLevelErrors.Invoke(CreateRoot(), args);

    /// <summary>The root command with every subcommand.</summary>
    internal static RootCommand CreateRoot() =>
        new("EdgeMarl: train, export and verify fleet coordination policies (ALTERNATING-MARL).")
        {
            QuickstartCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            BenchCommand.Create(),
            GamesCommand.Create(),
            ExportCommand.Create(),
            GapCommand.Create(),
            SweepCommand.Create(),
            MonotoneCommand.Create(),
            HeteroCommand.Create(),
            TrainTypedCommand.Create(),
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
}
