namespace EdgeMarl.Host.Tests.Simulation;

/// <summary>Finds python3 and the repository's example simulators; tests skip (with the reason) only when no python3 exists.</summary>
internal static class PythonSimulators
{
    public static string Python()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin"))
        {
            string candidate = Path.Combine(dir, "python3");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Skip("no python3 on PATH or in /usr/bin: the JSON-lines simulator tests need one (CI has it)");
        return string.Empty;
    }

    public static string ZonesCommand() => $"\"{Python()}\" \"{Path.Combine(RepositoryRoot(), "examples", "simulators", "zones_sim.py")}\"";

    /// <summary>Writes a throw-away simulator script and returns the command that runs it.</summary>
    public static string Script(string body)
    {
        string path = Path.Combine(Path.GetTempPath(), "edgemarl-sim-" + Guid.NewGuid().ToString("N") + ".py");
        File.WriteAllText(path, body);
        return $"\"{Python()}\" \"{path}\"";
    }

    /// <summary>A script that answers hello like zones, then runs <paramref name="onRequest"/> (Python, with `msg` the request) for every other line.</summary>
    public static string AfterHello(string onRequest) => Script(
        "import json, sys, time\n"
        + "for line in sys.stdin:\n"
        + "    msg = json.loads(line)\n"
        + "    if msg['type'] == 'hello':\n"
        + "        print(json.dumps({'type':'hello','protocol':1,'name':'bad','globalStates':5,'globalActions':5,'localStates':5,'localActions':3,"
        + "'gamma':0.95,'agentCount':1000,'initialGlobal':[0.2]*5,'initialLocal':[0.2]*5}), flush=True)\n"
        + "        continue\n"
        + string.Join('\n', onRequest.Split('\n').Select(l => "    " + l)) + "\n");

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "EdgeMarl.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (EdgeMarl.sln) not found above " + AppContext.BaseDirectory);
    }
}
