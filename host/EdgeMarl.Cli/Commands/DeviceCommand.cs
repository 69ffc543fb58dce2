using System.CommandLine;
using System.Runtime.InteropServices;
using EdgeMarl.Cli.Device;
using EdgeMarl.Cli.Support;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl device --serial PATH --store DIR [--key HEXFILE] [--game zones | --sizes SG,AG,SL,AL] [--min-k K]</c>: a
/// stand-in device on the host (<see cref="StandInDevice"/>) that serves <c>edgemarl provision</c>, <c>device-info</c> and
/// <c>upload</c> on a serial port or pty with the real firmware boot supervisor, receiver and store. Without a key and
/// without a provisioning record it is a blank device (provision and device-info only). Exit codes: 0 stopped
/// (Ctrl+C, SIGTERM), 1 usage, 2 port/store/key I/O, 3 invalid key.
/// </summary>
internal static class DeviceCommand
{
    public static Command Create()
    {
        var serial = new Option<string>("--serial") { Description = "Serial port or pty to serve, e.g. /dev/ttyUSB0 or one end of `socat -d -d pty,raw,echo=0 pty,raw,echo=0`.", Required = true };
        var store = new Option<DirectoryInfo>("--store") { Description = "Directory of the device's policy store (A/B slots and records); kept across restarts, a restart is a reboot.", Required = true };
        var key = new Option<FileInfo?>("--key") { Description = "Key of an unprovisioned device (hex text file, >= 16 bytes), as a key file preloaded on its drive; a provisioned key wins. Without it and without a record the device is blank: provision and device-info only." };
        var game = new Option<string>("--game") { Description = "Built-in game name or game JSON path whose sizes the device has.", DefaultValueFactory = _ => ZonesGame.Name };
        var sizes = new Option<string?>("--sizes") { Description = "Sizes |S_g|,|A_g|,|S_l|,|A_l| instead of --game." };
        var minK = new Option<int>("--min-k") { Description = "Smallest k a policy must cover (a gateway's k; 0 for a robot).", DefaultValueFactory = _ => 0 };
        var baud = new Option<int>("--baud") { Description = "Baud rate.", DefaultValueFactory = _ => 115200 };
        var command = new Command("device", "Run a stand-in device: the real firmware boot supervisor, serial service and policy store against a serial port or pty; one line per boot, retry, reboot and upload.")
        {
            serial, store, key, game, sizes, minK, baud,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("device", () => Run(
            parse.GetValue(serial)!, parse.GetValue(store)!, parse.GetValue(key), parse.GetValue(game)!, parse.GetValue(sizes), parse.GetValue(minK), parse.GetValue(baud))));
        return command;
    }

    private static int Run(string serial, DirectoryInfo storeDir, FileInfo? keyFile, string gameName, string? sizes, int minK, int baud)
    {
        if (keyFile is { Exists: false })
        {
            return PolicyCommandSupport.Fail("device", $"key file {keyFile.FullName} does not exist (a hex text file of >= 16 bytes)", PolicyCommandSupport.Io);
        }

        if (!File.Exists(serial))
        {
            return PolicyCommandSupport.Fail("device", $"serial port {serial} does not exist", PolicyCommandSupport.Io);
        }

        if (storeDir.Parent is { Exists: false })
        {
            return PolicyCommandSupport.Fail("device", $"store directory {storeDir.FullName}: parent directory does not exist", PolicyCommandSupport.Io);
        }

        if (baud <= 0 || minK < 0)
        {
            return PolicyCommandSupport.Fail("device", "--baud must be positive and --min-k at least 0", PolicyCommandSupport.Usage);
        }

        byte[]? fleetKey = keyFile is null ? null : PolicyCommandSupport.ReadKey(keyFile.FullName);
        PolicyExpectations expected = Expectations(gameName, sizes, minK);
        var device = new StandInDevice(storeDir.FullName, fleetKey, expected);
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            using var link = new HostSerialLink(serial, baud);
            Console.WriteLine($"device: serving uploads on {serial}, store {storeDir.FullName}; Ctrl+C or SIGTERM stops");
            device.Serve(link, Console.WriteLine, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        Console.WriteLine("device: stopped");
        return PolicyCommandSupport.Ok;
    }

    private static PolicyExpectations Expectations(string gameName, string? sizes, int minK)
    {
        if (sizes is not null)
        {
            string[] parts = sizes.Split(',');
            if (parts.Length != 4 || !parts.All(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= 1))
            {
                throw new ArgumentException($"--sizes \"{sizes}\" must be four positive integers |S_g|,|A_g|,|S_l|,|A_l|");
            }

            int[] v = [.. parts.Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];
            return new PolicyExpectations { GlobalStates = v[0], GlobalActions = v[1], LocalStates = v[2], LocalActions = v[3], MinSampleSize = minK };
        }

        Game g = GameResolver.Resolve(gameName);
        return new PolicyExpectations { GlobalStates = g.GlobalStates, GlobalActions = g.GlobalActions, LocalStates = g.LocalStates, LocalActions = g.LocalActions, MinSampleSize = minK };
    }
}
