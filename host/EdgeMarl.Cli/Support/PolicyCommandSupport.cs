using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// Exit codes and error reporting shared by the commands that read files (export, inspect, lookup, train, eval,
/// quickstart); documented in docs/policy-format.md, "Tools", and in the README.
/// </summary>
internal static class PolicyCommandSupport
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Command-line usage error (System.CommandLine's own code, or a malformed option value).</summary>
    public const int Usage = 1;

    /// <summary>An input file is missing or unreadable, or the output cannot be written.</summary>
    public const int Io = 2;

    /// <summary>Invalid content: the policy file was rejected, policies.json or the key file is invalid.</summary>
    public const int InvalidData = 3;

    /// <summary>A lookup's arguments are outside the table (<c>s_g</c>, <c>s_l</c>, <c>k'</c> or the count vector).</summary>
    public const int OutOfRange = 4;

    /// <summary>Runs a command body; turns expected failures into one line on stderr and an exit code, never a stack trace.</summary>
    /// <param name="command">Command name for the message prefix.</param>
    /// <param name="body">The command.</param>
    /// <returns>The exit code.</returns>
    public static int Guard(string command, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GameSourceException)
        {
            return Fail(command, e.Message, Io);
        }
        catch (GameValidationException e)
        {
            return Fail(command, e.Message, InvalidData);
        }
        catch (System.Net.Sockets.SocketException e) when (UdpSocketBudget.IsOutOfDescriptors(e))
        {
            return Fail(command, UdpSocketBudget.OutOfDescriptors(UdpSocketBudget.SoftLimit()), Io);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return Fail(command, e.Message, InvalidData);
        }
    }

    /// <summary>Writes <c>edgemarl COMMAND: message</c> to stderr and returns <paramref name="exitCode"/>.</summary>
    /// <param name="command">Command name.</param>
    /// <param name="message">One line.</param>
    /// <param name="exitCode">Code to return.</param>
    /// <returns><paramref name="exitCode"/>.</returns>
    public static int Fail(string command, string message, int exitCode)
    {
        Console.Error.WriteLine($"edgemarl {command}: {message}");
        return exitCode;
    }

    /// <summary>Reads a fleet key: hexadecimal text (whitespace ignored), at least 16 bytes.</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The key bytes.</returns>
    /// <exception cref="InvalidDataException">The content is not such a key.</exception>
    public static byte[] ReadKey(string path)
    {
        string text = new(File.ReadAllText(path).Where(c => !char.IsWhiteSpace(c)).ToArray());
        byte[] key;
        try
        {
            key = Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{path}: key file must hold hexadecimal digits only");
        }

        // 16 bytes = 128 bits: below that an HMAC key is guessable; 32 (SHA-256's size) is recommended.
        return key.Length >= 16 ? key : throw new InvalidDataException($"{path}: key is {key.Length} bytes, need at least 16 (32 recommended)");
    }
}
