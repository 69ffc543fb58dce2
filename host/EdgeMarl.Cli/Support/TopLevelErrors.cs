using System.CommandLine;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// The last line of defence: any exception a command did not turn into a message itself becomes one line on stderr
/// and exit code <see cref="Unexpected"/> (70, EX_SOFTWARE of sysexits.h; 0-5 are the commands' own codes), never a stack trace. <c>--verbose</c> (on every command) or the
/// environment variable <c>EDGEMARL_DEBUG=1</c> adds the full trace for a bug report.
/// </summary>
internal static class TopLevelErrors
{
    /// <summary>Exit code of an error no command anticipated (a bug or an exhausted resource).</summary>
    public const int Unexpected = 70;

    /// <summary>The environment variable that turns stack traces on.</summary>
    public const string DebugVariable = "EDGEMARL_DEBUG";

    /// <summary>The <c>--verbose</c> option, recursive so every subcommand accepts it.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "On an unexpected error, also print the stack trace (same as EDGEMARL_DEBUG=1).", Recursive = true };

    /// <summary>Parses and invokes <paramref name="args"/> under <paramref name="root"/>, turning any escaped exception into one line.</summary>
    public static int Invoke(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        if (!root.Options.Contains(Verbose))
        {
            root.Options.Add(Verbose);
        }

        ParseResult parse = root.Parse(args);
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        try
        {
            return parse.Invoke(configuration);
        }
        catch (Exception e)
        {
            bool trace = parse.GetValue(Verbose) || Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true";
            TextWriter err = error ?? Console.Error;
            string command = parse.CommandResult.Command is RootCommand ? "edgemarl" : $"edgemarl {parse.CommandResult.Command.Name}";
            err.WriteLine($"{command}: {Describe(e)}{(trace ? string.Empty : $" (run with --verbose or {DebugVariable}=1 for the stack trace)")}");
            if (trace)
            {
                err.WriteLine(e.ToString());
            }

            return Unexpected;
        }
    }

    /// <summary>One line: what went wrong, in the user's terms where the exception type says enough.</summary>
    internal static string Describe(Exception e)
    {
        Exception inner = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
        string message = inner.Message.ReplaceLineEndings(" ");
        return inner switch
        {
            OutOfMemoryException => $"out of memory ({message}); the game or k is too large for this machine (docs/game-spec.md, \"Limits\")",
            _ => $"unexpected error: {inner.GetType().Name}: {message}",
        };
    }
}
