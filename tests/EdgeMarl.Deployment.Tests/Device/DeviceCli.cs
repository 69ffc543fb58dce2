using System.CommandLine;
using EdgeMarl.Cli.Commands;

namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>The real <c>provision</c>, <c>device-info</c> and <c>upload</c> commands run in process, with their output captured.</summary>
internal static class DeviceCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test") { ProvisionCommand.Create(), DeviceInfoCommand.Create(), UploadCommand.Create() };
        TextWriter savedOut = Console.Out, savedErr = Console.Error;
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedErr);
        }
    }
}
