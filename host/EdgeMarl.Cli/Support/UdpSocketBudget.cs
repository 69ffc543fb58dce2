using System.Globalization;
using System.Net.Sockets;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// <c>fleet --transport udp</c> opens one loopback socket per robot plus the gateway's, and every socket is an open
/// file. Under the common soft limit of 1024 open files, <c>--n 1000</c> ran out mid-setup with a
/// <see cref="SocketException"/>; this checks the budget before any socket is opened and words the failure.
/// </summary>
internal static class UdpSocketBudget
{
    /// <summary>Files the runtime, the console and the gateway already hold open (measured: about 30; doubled).</summary>
    public const int Reserve = 64;

    /// <summary>The process's soft limit on open files, from <c>/proc/self/limits</c> (Linux); null where unknown or unlimited.</summary>
    public static long? SoftLimit()
    {
        const string Path = "/proc/self/limits";
        if (!File.Exists(Path))
        {
            return null;
        }

        foreach (string line in File.ReadLines(Path))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long soft) ? soft : null;
            }
        }

        return null;
    }

    /// <summary>The one-line refusal when <paramref name="robots"/> sockets cannot fit under <paramref name="softLimit"/>; else null.</summary>
    public static string? Check(int robots, long? softLimit) =>
        softLimit is long limit && robots + Reserve > limit ? TooMany(robots, limit) : null;

    /// <summary>Whether <paramref name="e"/> is the operating system refusing another socket for lack of file descriptors.</summary>
    public static bool IsOutOfDescriptors(SocketException e) =>
        e.SocketErrorCode == SocketError.TooManyOpenSockets || e.Message.Contains("Too many open files", StringComparison.OrdinalIgnoreCase);

    /// <summary>The message with both ways out.</summary>
    public static string TooMany(int robots, long? limit) => string.Create(CultureInfo.InvariantCulture,
        $"--transport udp opens one socket per robot: --n {robots} needs about {robots + Reserve} open files, the limit is {(limit is long l ? l.ToString(CultureInfo.InvariantCulture) : "lower")}; raise it (ulimit -n {RoundUp(robots + Reserve)}) or use --transport memory");

    /// <summary>The message when the operating system refused a socket anyway (other processes' files, a hard limit).</summary>
    public static string OutOfDescriptors(long? limit) => string.Create(CultureInfo.InvariantCulture,
        $"out of file descriptors while opening sockets (limit {(limit is long l ? l.ToString(CultureInfo.InvariantCulture) : "unknown")}): raise it (ulimit -n) or use --transport memory");

    private static long RoundUp(long files) => ((files / 1024) + 1) * 1024;
}
