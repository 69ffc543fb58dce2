using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeMarl.Cli.Support;
using EdgeMarl.Host.Deployment;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Cli.Commands;

/// <summary><c>edgemarl device-info --port PORT</c>: firmware version, identity, policy in force, fault counters, last reboot cause.</summary>
internal static class DeviceInfoCommand
{
    private static readonly string[] s_causes = ["none", "no-network", "no-key", "no-policy", "loop-exception", "bad-provisioning", "radio-failure", "storage-failure", "fleet-size-mismatch", "reprovisioned", "watchdog", "cause-11"];
    private static readonly string[] s_phases = ["unknown", "booting", "running", "waiting for `edgemarl provision`", "retrying"];

    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial port of the device, e.g. /dev/ttyUSB0.", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate.", DefaultValueFactory = _ => 115200 };
        var timeout = new Option<int>("--timeout-ms") { Description = "Wait per response before re-sending.", DefaultValueFactory = _ => 1000 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("device-info", "Read a device's firmware version, identity, policy in force and fault counters over serial (never its key).")
        {
            port, baud, timeout, json,
        };
        command.SetAction(parse => PolicyCommandSupport.Guard("device-info", () =>
        {
            using var channel = new SerialPortChannel(parse.GetValue(port)!, parse.GetValue(baud));
            DeviceInfo info = new DeviceClient(channel, parse.GetValue(timeout)).Info();
            Console.WriteLine(parse.GetValue(json) ? CliJson.Format(info) : Describe(info));
            return PolicyCommandSupport.Ok;
        }));
        return command;
    }

    /// <summary>The name of a fault cause (docs/provisioning.md), e.g. <c>no-network</c>.</summary>
    public static string CauseName(int cause) => cause >= 0 && cause < s_causes.Length ? s_causes[cause] : cause.ToString(CultureInfo.InvariantCulture);

    private static string Cause(int cause) => CauseName(cause);

    /// <summary>The human-readable report.</summary>
    public static string Describe(DeviceInfo info)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string> { $"firmware: {(info.FirmwareVersion.Length == 0 ? "?" : info.FirmwareVersion)}" };
        if (info.Provisioned)
        {
            string role = info.Role == ProvisioningRecord.RoleGateway ? "gateway" : "robot";
            string id = (info.Flags & ProvisioningRecord.FlagIdFromMac) != 0 ? "id from MAC" : string.Create(inv, $"id {info.NodeId}");

            lines.Add(string.Create(inv, $"identity: {role}, {id}, fleet {info.FleetId}, tick {info.TickPeriodMs} ms, udp port {info.UdpPort}, wifi '{info.Ssid}' (record generation {info.ProvisioningGeneration})"));
            lines.Add(info.KeySet ? string.Create(inv, $"key: set, fingerprint {info.KeyFingerprint:x8}") : "key: not set");
            if (info.Role == ProvisioningRecord.RoleRobot)
            {
                // Typed fleets (docs/heterogeneity.md §8): the robot reports x = τ·|S_l| + s_l; 0 in an untyped fleet.
                lines.Add(string.Create(inv, $"robot type: {info.RobotType}{(info.RobotType == 0 ? " (untyped fleets, or type 0 of a typed one)" : string.Empty)}"));
            }

        }
        else
        {
            lines.Add("identity: not provisioned (run `edgemarl provision`)");
        }

        if (info.CorruptProvisioningCopies > 0)
        {
            lines.Add(string.Create(inv, $"provisioning: {info.CorruptProvisioningCopies} corrupt copy(ies) on flash (a cut write; the other copy is in force)"));
        }

        lines.Add(info.PolicyLength > 0
            ? string.Create(inv, $"policy: {info.PolicyLength} bytes, image crc 0x{info.PolicyCrc:x8}, store generation {info.PolicyGeneration}, version {info.PolicyVersion}")
            : "policy: none installed");
        string faults = string.Join(", ", Enumerable.Range(1, info.FaultCounts.Length - 1).Select(i => string.Create(inv, $"{s_causes[i]} {info.FaultCounts[i]}")));
        lines.Add($"faults: {faults}");
        lines.Add($"last reboot cause: {Cause(info.LastRebootCause)}");
        if (info.Layout >= 2)
        {
            string phase = info.Phase < s_phases.Length ? s_phases[info.Phase] : info.Phase.ToString(inv);
            lines.Add(info.Phase == 4
                ? string.Create(inv, $"state: retrying after {Cause(info.RetryCause)} (failure {info.Failures} in a row)")
                : $"state: {phase}");
            if (info.LiveFleetSize > 0 || info.PolicyFleetSize > 0)
            {
                lines.Add(string.Create(inv, $"fleet size: live {info.LiveFleetSize}, policy trained for n = {info.PolicyFleetSize}"));
            }
        }
        return string.Join(Environment.NewLine, lines);
    }
}
