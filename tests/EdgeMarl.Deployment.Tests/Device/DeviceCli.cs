using System.CommandLine;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Tests.Support;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>The real <c>provision</c>, <c>device-info</c> and <c>upload</c> commands run in process (<see cref="CliRunner"/>), with their output captured.</summary>
internal static class DeviceCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        return CliRunner.Run(new Command[] { ProvisionCommand.Create(), DeviceInfoCommand.Create(), UploadCommand.Create() }, args);
    }
}
