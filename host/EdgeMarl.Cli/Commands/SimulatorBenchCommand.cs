using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl bench-simulator [--simulator CMD] [--batch B] [--samples N]</c>: samples per second through the in-process
/// table simulator and through a JSON-lines simulator process, side by side at equal work (docs/model-free.md).
/// </summary>
internal static class SimulatorBenchCommand
{
    public static Command Create()
    {
        var game = new Option<string>("--game") { Description = "Game of the in-process simulator.", DefaultValueFactory = _ => "zones" };
        var simulator = new Option<string?>("--simulator") { Description = "A JSON-lines simulator command to measure too, e.g. \"python3 examples/simulators/zones_sim.py\"." };
        var batches = new Option<string>("--batch") { Description = "Requests per call, comma-separated.", DefaultValueFactory = _ => "1024,16384" };
        var samples = new Option<int>("--samples") { Description = "step_local samples per measurement (and as many step_global).", DefaultValueFactory = _ => 200_000 };
        var command = new Command("bench-simulator", "Measure simulator samples per second: in-process tables vs the JSON-lines protocol.")
        {
            game, simulator, batches, samples,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("bench-simulator", () =>
        {
            Game g = GameResolver.Resolve(parse.GetValue(game)!);
            int[] sizes = [.. parse.GetValue(batches)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(b => int.Parse(b, CultureInfo.InvariantCulture))];
            int total = parse.GetValue(samples);
            using var table = new TableGameSimulator(g);
            foreach (int batch in sizes)
            {
                Measure(table, batch, Math.Min(total, batch * 2)); // warm-up (JIT)
                Report("in-process tables", batch, Measure(table, batch, total));
            }

            if (parse.GetValue(simulator) is { } cmd)
            {
                foreach (int batch in sizes)
                {
                    using JsonLinesSimulatorProcess process = JsonLinesSimulatorProcess.Start(cmd, TimeSpan.FromSeconds(60), batch);
                    Measure(process, batch, Math.Min(total, batch * 2)); // warm-up
                    Report("JSON-lines " + cmd, batch, Measure(process, batch, total));
                }
            }

            return PolicyCommandSupport.Ok;
        }));
        return command;
    }

    private static void Report(string what, int batch, (double Local, double Global) rate) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}, batch {batch}: step_local {rate.Local:N0} samples/s, step_global {rate.Global:N0} samples/s"));

    /// <summary>Samples per second of step_local and step_global on random valid requests.</summary>
    private static (double Local, double Global) Measure(IGameSimulator simulator, int batch, int total)
    {
        SimulatorInfo info = simulator.Info;
        var rng = new Pcg32(1);
        int[] sl = new int[batch], sg = new int[batch], al = new int[batch], ag = new int[batch], next = new int[batch];
        uint[] u = new uint[batch];
        double[] reward = new double[batch];
        for (int i = 0; i < batch; i++)
        {
            sl[i] = (int)rng.NextBelow((uint)info.LocalStates);
            sg[i] = (int)rng.NextBelow((uint)info.GlobalStates);
            al[i] = (int)rng.NextBelow((uint)info.LocalActions);
            ag[i] = (int)rng.NextBelow((uint)info.GlobalActions);
            u[i] = rng.NextUInt32();
        }

        int calls = Math.Max(1, total / batch);
        var watch = Stopwatch.StartNew();
        for (int c = 0; c < calls; c++)
        {
            simulator.StepLocal(sl, sg, al, u, next, reward);
        }

        double local = calls * (double)batch / watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (int c = 0; c < calls; c++)
        {
            simulator.StepGlobal(sg, ag, u, next, reward);
        }

        return (local, calls * (double)batch / watch.Elapsed.TotalSeconds);
    }
}
