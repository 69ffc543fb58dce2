using System.CommandLine;

namespace EdgeMarl.Tests.Support;

/// <summary>
/// Runs real CLI commands in process with stdout and stderr captured; one file linked into the test projects that drive the
/// CLI (Host.Tests, Deployment.Tests). It swaps <see cref="Console"/>'s writers, so its tests must not run in parallel with
/// other console users (Host.Tests puts them in its <c>ConsoleCollection</c>).
/// </summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(Command[] commands, params string[] args)
    {
        var root = new RootCommand("test");
        foreach (Command command in commands)
        {
            root.Subcommands.Add(command);
        }

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
