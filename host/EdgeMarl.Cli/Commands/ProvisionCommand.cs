using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Cli.Commands;

/// <summary>
/// <c>edgemarl provision --port PORT --role robot --id 17 --fleet-id 1 --key fleet.key …</c>: writes a device's identity
/// and fleet settings (docs/provisioning.md) over serial, once per device; the key is never read back.
/// </summary>
internal static class ProvisionCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial port of the device, e.g. /dev/ttyUSB0.", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate.", DefaultValueFactory = _ => 115200 };
        var role = new Option<string>("--role") { Description = "gateway or robot.", Required = true };
        var id = new Option<int?>("--id") { Description = "Node id on the radio (robots 1…32767; gateway default 0)." };
        var idFromMac = new Option<bool>("--id-from-mac") { Description = "Robot id derived from the Wi-Fi MAC at boot (low 15 bits) instead of --id." };
        var fleetId = new Option<int>("--fleet-id") { Description = "Fleet id carried in every frame (0…65535).", DefaultValueFactory = _ => 1 };
        var key = new Option<FileInfo?>("--key") { Description = "Fleet key (hex text file, 16–32 bytes). Written, never read back." };
        var ssid = new Option<string?>("--wifi-ssid") { Description = "Wi-Fi network name (DHCP; no address plan)." };
        var password = new Option<FileInfo?>("--wifi-password-file") { Description = "File holding the Wi-Fi password (not on the command line, where shells log it)." };
        var tick = new Option<int>("--tick-ms") { Description = "Tick period in ms.", DefaultValueFactory = _ => 200 };
        var udpPort = new Option<int>("--udp-port") { Description = "UDP port of the fleet's frames.", DefaultValueFactory = _ => 47800 };
        var rosterCapacity = new Option<int>("--roster-capacity") { Description = "Gateway only: robots that may be joined at once (1…65535; 0 = the firmware's default, 1024). RAM: about 18 B per robot." };
        var robotType = new Option<int>("--type") { Description = "Robot only: its type τ in a typed fleet (0…254; 0 = untyped, the default). It reports x = τ·|S_l| + s_l and acts by its type's rows of a typed policy (docs/heterogeneity.md §8)." };
        var replace = new Option<bool>("--replace") { Description = "Overwrite a device that is already provisioned." };
        var timeout = new Option<int>("--timeout-ms") { Description = "Wait per response before re-sending.", DefaultValueFactory = _ => 1000 };
        var command = new Command("provision", "Write a device's identity and fleet settings over serial (power-cut safe on the device; the key is never read back).")
        {
            port, baud, role, id, idFromMac, fleetId, key, ssid, password, tick, udpPort, rosterCapacity, robotType, replace, timeout,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("provision", () =>
        {
            var record = new ProvisioningRecord
            {
                Role = parse.GetValue(role) switch
                {
                    "gateway" => ProvisioningRecord.RoleGateway,
                    "robot" => ProvisioningRecord.RoleRobot,
                    var other => throw new ArgumentException($"--role: '{other}' is not one of gateway, robot"),
                },
                Flags = parse.GetValue(idFromMac) ? ProvisioningRecord.FlagIdFromMac : 0,
                NodeId = parse.GetValue(id) ?? 0,
                FleetId = parse.GetValue(fleetId),
                TickPeriodMs = parse.GetValue(tick),
                Key = parse.GetValue(key) is FileInfo keyFile ? PolicyCommandSupport.ReadKey(keyFile.FullName) : null,
                Ssid = parse.GetValue(ssid) is string name ? Encoding.UTF8.GetBytes(name) : null,
                Password = parse.GetValue(password) is FileInfo passwordFile ? Encoding.UTF8.GetBytes(File.ReadAllText(passwordFile.FullName).TrimEnd('\r', '\n')) : null,
                Discovery = ProvisioningRecord.DiscoveryBroadcast,
                UdpPort = parse.GetValue(udpPort),
                RosterCapacity = parse.GetValue(rosterCapacity),
                RobotType = parse.GetValue(robotType),
            };
            if (record.Problem() is string problem)
            {
                return PolicyCommandSupport.Fail("provision", problem, PolicyCommandSupport.Usage);
            }

            if (record.Key is null)
            {
                Console.Error.WriteLine("warning: no --key: the device will refuse to run (firmware never runs untagged) until provisioned with one");
            }

            using var channel = new SerialPortChannel(parse.GetValue(port)!, parse.GetValue(baud));
            ProvisionResult result = new DeviceClient(channel, parse.GetValue(timeout)).Provision(record, parse.GetValue(replace));
            string who = record.Role == ProvisioningRecord.RoleGateway ? "gateway" : (record.Flags & ProvisioningRecord.FlagIdFromMac) != 0 ? "robot (id from MAC)" : $"robot {record.NodeId}";
            if (record.RobotType != 0)
            {
                who += string.Create(CultureInfo.InvariantCulture, $" of type {record.RobotType}");
            }

            return result.Status switch
            {
                DeployStatus.Ok => Done(string.Create(CultureInfo.InvariantCulture, $"provisioned {who} in fleet {record.FleetId} (record generation {result.Generation}), key {(record.Key is null ? "not set" : $"fingerprint {result.KeyFingerprint:x8}")}")),
                DeployStatus.AlreadyActive => PolicyCommandSupport.Fail("provision", string.Create(CultureInfo.InvariantCulture, $"device is already provisioned (record generation {result.Generation}, key fingerprint {result.KeyFingerprint:x8}); pass --replace to overwrite it"), PolicyCommandSupport.InvalidData),
                var status => PolicyCommandSupport.Fail("provision", $"device refused the record ({status}); it keeps its previous record", PolicyCommandSupport.InvalidData),
            };
        }));
        return command;
    }

    private static int Done(string line)
    {
        Console.WriteLine(line);
        return PolicyCommandSupport.Ok;
    }
}
