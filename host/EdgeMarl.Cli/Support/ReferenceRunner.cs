using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Support;

/// <summary>One run of the public reference implementation's <c>AlternatingMARL.train()</c>, timed by its own driver.</summary>
/// <param name="K">Sample size.</param>
/// <param name="Seconds">Wall time of <c>train()</c> (the driver's clock, so interpreter start-up and imports are left out).</param>
/// <param name="RoundSeconds">Wall time of each round, as <c>train()</c> records it in <c>history['times']</c>.</param>
/// <param name="PeakRssMb">Peak resident memory of the python process (<c>ru_maxrss</c>).</param>
internal sealed record ReferenceRun(int K, double Seconds, IReadOnlyList<double> RoundSeconds, double PeakRssMb)
{
    /// <summary>Gets the mean wall time per round.</summary>
    public double SecondsPerRound => Seconds / Math.Max(1, RoundSeconds.Count);
}

/// <summary>
/// Runs the reference's <c>train()</c> on zones from a checkout of the public reference (emiletimothy/alternating-marl):
/// a small driver, written to a temporary folder at run time, imports <c>scripts/alternating_marl.py</c> from the checkout
/// unchanged and hands it the zones tables of <see cref="ZonesGame"/> (n = 1000, γ = 0.95, the reference's own
/// hyperparameters.json); nothing of the reference is copied. The python process is a child of this one, so both sides
/// run one after the other on the same machine.
/// </summary>
internal static class ReferenceRunner
{
    /// <summary>Returns the first of <paramref name="python"/> (when given) or <c>python3</c>, <c>/usr/bin/python3</c> that imports numpy.</summary>
    /// <exception cref="InvalidOperationException">None does, with what was tried.</exception>
    public static string FindPython(string? python)
    {
        string[] candidates = python != null ? [python] : ["python3", "/usr/bin/python3"];
        var tried = new List<string>();
        foreach (string candidate in candidates)
        {
            (int exit, string output) = Run(candidate, ["-c", "import numpy; print(numpy.__version__)"], TimeSpan.FromSeconds(60));
            if (exit == 0)
            {
                return candidate;
            }

            tried.Add($"{candidate} ({(exit == -1 ? "not found" : "no numpy")})");
        }

        throw new InvalidOperationException($"--reference needs a python with numpy; tried {string.Join(", ", tried)}; pass --python PATH");
    }

    /// <summary>Runs <c>train()</c> at <paramref name="k"/> and returns its timings.</summary>
    /// <exception cref="InvalidOperationException">The checkout or the run failed; the message says how.</exception>
    public static ReferenceRun Train(string python, string referenceDirectory, Game zones, int k)
    {
        string scripts = Path.Combine(Path.GetFullPath(referenceDirectory), "scripts");
        if (!File.Exists(Path.Combine(scripts, "alternating_marl.py")))
        {
            throw new InvalidOperationException($"--reference {referenceDirectory}: no scripts/alternating_marl.py there (expected a checkout of emiletimothy/alternating-marl)");
        }

        string folder = Path.Combine(Path.GetTempPath(), "edgemarl-reference-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        string driver = Path.Combine(folder, "drive_train.py");
        File.WriteAllText(driver, Driver(scripts, zones, k));
        try
        {
            (int exit, string output) = Run(python, [driver], TimeSpan.FromHours(2));
            string? line = output.Split('\n').LastOrDefault(l => l.StartsWith("{\"k\"", StringComparison.Ordinal));
            if (exit != 0 || line == null)
            {
                throw new InvalidOperationException($"reference train() at k={k} failed (exit {exit}): {output.Trim()}");
            }

            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            return new ReferenceRun(
                k,
                root.GetProperty("seconds").GetDouble(),
                [.. root.GetProperty("roundSeconds").EnumerateArray().Select(e => e.GetDouble())],
                root.GetProperty("peakRssKb").GetDouble() / 1024);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The driver: zones' tables as literals (from <see cref="ZonesGame"/>), then the reference's <c>train()</c>, timed.</summary>
    private static string Driver(string scripts, Game game, int k)
    {
        int g = game.GlobalStates, ag = game.GlobalActions, l = game.LocalStates, al = game.LocalActions;
        var pg = new double[g][][];
        for (int sg = 0; sg < g; sg++)
        {
            pg[sg] = new double[ag][];
            for (int a = 0; a < ag; a++)
            {
                pg[sg][a] = [.. Enumerable.Range(0, g).Select(s2 => game.GlobalTransition[game.GlobalTransitionIndex(sg, a, s2)])];
            }
        }

        var pl = new double[l][][][];
        var rl = new double[l][][];
        for (int s = 0; s < l; s++)
        {
            pl[s] = new double[g][][];
            rl[s] = new double[g][];
            for (int sg = 0; sg < g; sg++)
            {
                pl[s][sg] = new double[al][];
                rl[s][sg] = new double[al];
                for (int a = 0; a < al; a++)
                {
                    pl[s][sg][a] = [.. Enumerable.Range(0, l).Select(s2 => game.LocalTransition[game.LocalTransitionIndex(s, sg, a, s2)])];
                    rl[s][sg][a] = game.LocalReward[game.LocalRewardIndex(s, sg, a)];
                }
            }
        }

        double[][] rg = [.. Enumerable.Range(0, g).Select(sg => Enumerable.Range(0, ag).Select(a => game.GlobalRewardAt(sg, a)).ToArray())];
        var text = new StringBuilder();
        text.AppendLine("# Generated by `edgemarl bench --reference`: times the reference's AlternatingMARL.train() on zones.");
        text.AppendLine("import json, resource, sys, time");
        text.AppendLine(CultureInfo.InvariantCulture, $"sys.path.insert(0, {JsonSerializer.Serialize(scripts)})");
        text.AppendLine("import numpy as np");
        text.AppendLine("from alternating_marl import AlternatingMARL");
        text.AppendLine(CultureInfo.InvariantCulture, $"PG = np.array(json.loads('{JsonSerializer.Serialize(pg)}'))");
        text.AppendLine(CultureInfo.InvariantCulture, $"PL = np.array(json.loads('{JsonSerializer.Serialize(pl)}'))");
        text.AppendLine(CultureInfo.InvariantCulture, $"RG = json.loads('{JsonSerializer.Serialize(rg)}')");
        text.AppendLine(CultureInfo.InvariantCulture, $"RL = json.loads('{JsonSerializer.Serialize(rl)}')");
        text.AppendLine(CultureInfo.InvariantCulture, $"alg = AlternatingMARL(n_sg={g}, n_sl={l}, n_ga={ag}, n_al={al}, n_agents={game.AgentCount}, k={k}, gamma={game.Gamma.ToString("R", CultureInfo.InvariantCulture)},");
        text.AppendLine("    P_g=lambda s_g, a_g: PG[s_g, a_g], P_l=lambda s_l, s_g, a_l: PL[s_l, s_g, a_l],");
        text.AppendLine("    r_g=lambda s_g, a_g: float(RG[s_g][a_g]), r_l=lambda s_l, s_g, a_l: float(RL[s_l][s_g][a_l]), verbose=False)");
        text.AppendLine("t0 = time.perf_counter()");
        text.AppendLine("history = alg.train()");
        text.AppendLine("seconds = time.perf_counter() - t0");
        text.AppendLine(CultureInfo.InvariantCulture, $"print(json.dumps({{'k': {k}, 'seconds': seconds, 'roundSeconds': list(history['times']), 'peakRssKb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))");
        return text.ToString();
    }

    private static (int Exit, string Output) Run(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-2, "timed out");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "not found");
        }
    }
}
