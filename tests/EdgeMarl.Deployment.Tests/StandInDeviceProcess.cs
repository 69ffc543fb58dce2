using System.Diagnostics;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// <c>edgemarl device</c> as a real child process (the CLI assembly next to the tests), so restarts are reboots and
/// SIGTERM is a real signal. Every wait is bounded; the process is killed on dispose if it is still running.
/// </summary>
internal sealed class StandInDeviceProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _gate = new();

    private StandInDeviceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _lines.Add(e.Data);
                    Monitor.PulseAll(_gate);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _lines.Add("stderr: " + e.Data);
                    Monitor.PulseAll(_gate);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public static StandInDeviceProcess Start(params string[] args)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "edgemarl.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        info.ArgumentList.Add("device");
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var device = new StandInDeviceProcess(Process.Start(info)!);
        device.WaitForLine("device: serving", 20_000);
        return device;
    }

    /// <summary>Waits for the first line, after the <paramref name="skip"/> first ones, that contains <paramref name="text"/>.</summary>
    public string WaitForLine(string text, int timeoutMs = 10_000, int skip = 0)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        lock (_gate)
        {
            while (true)
            {
                string? hit = _lines.Skip(skip).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
                if (hit is not null)
                {
                    return hit;
                }

                long left = deadline - Environment.TickCount64;
                if (left <= 0 || _process.HasExited && !Monitor.Wait(_gate, 200))
                {
                    Assert.Fail($"no line with \"{text}\" within {timeoutMs} ms; got:\n{string.Join('\n', _lines)}");
                }

                Monitor.Wait(_gate, (int)Math.Min(left, 200));
            }
        }
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public int Terminate()
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit(5000);
        }

        Assert.True(_process.WaitForExit(10_000), "device did not stop within 10 s of SIGTERM");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
