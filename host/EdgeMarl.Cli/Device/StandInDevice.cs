using System.Globalization;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Cli.Device;

/// <summary>
/// A device without hardware: the REAL firmware <see cref="SerialPolicyReceiver"/>, <see cref="PolicyStore"/> (with the
/// fleet key, streaming HMAC, anti-rollback) and <see cref="FileSystemPolicyStorage"/> on a host directory. Built once
/// per boot: constructing it is a reboot (the store is read back from the directory), so a restart of
/// <c>edgemarl device</c> behaves as a power cycle. Composable: the serial link and the reporting are the caller's.
/// </summary>
internal sealed class StandInDevice
{
    /// <summary>Slot capacity of the stand-in, as on an ESP32 with a 256 KB <c>I:</c> (docs/policy-store.md).</summary>
    public const int DefaultSlotBytes = 120 * 1024;

    private readonly PolicyStore _store;
    private readonly ProvisioningStore _provisioning;
    private readonly FaultCounters _faults;

    /// <summary>Initializes a new instance of the <see cref="StandInDevice"/> class and boots its store.</summary>
    /// <param name="storeDirectory">Directory holding the store's four files (created if missing).</param>
    /// <param name="fleetKey">The fleet key (at least 16 bytes).</param>
    /// <param name="game">The sizes this device's game has (a policy for other sizes is refused with WrongGame).</param>
    /// <param name="slotBytes">Slot capacity.</param>
    public StandInDevice(string storeDirectory, byte[] fleetKey, PolicyExpectations game, int slotBytes = DefaultSlotBytes)
    {
        Directory.CreateDirectory(storeDirectory);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storeDirectory)) + Path.DirectorySeparatorChar;
        _store = new PolicyStore(new FileSystemPolicyStorage(root, slotBytes), game, new StreamingHmacSha256Authenticator(fleetKey), 256, 4);
        _store.Boot();

        // The provisioning record and fault counters live beside the policy store, as on the ESP32's I:\ (docs/provisioning.md),
        // so `edgemarl provision` and `edgemarl device-info` can be rehearsed against the stand-in.
        _provisioning = new ProvisioningStore(new FileRecordFiles(root, "provision"));
        _provisioning.Boot();
        _faults = new FaultCounters(new FileRecordFiles(root, "faults"));
    }

    /// <summary>Gets the store (what a node would run).</summary>
    public PolicyStore Store => _store;

    /// <summary>Returns the one-line state after boot, e.g. <c>boot: policy version 7, generation 3, slot B, 11,234 B</c>.</summary>
    /// <returns>The line.</returns>
    public string BootLine() =>
        _store.HasPolicy
            ? "boot: " + Describe()
            : string.Create(CultureInfo.InvariantCulture, $"boot: no policy (highest version accepted {_store.HighestVersion}); waiting for `edgemarl upload`");

    /// <summary>Serves uploads on <paramref name="link"/> until <paramref name="stop"/> is cancelled; one line per finished upload.</summary>
    /// <param name="link">The serial link (a pty, a USB adapter).</param>
    /// <param name="report">Receives each line.</param>
    /// <param name="stop">Ends the loop (Ctrl+C, SIGTERM).</param>
    public void Serve(ISerialLink link, Action<string> report, CancellationToken stop)
    {
        var receiver = new SerialPolicyReceiver(link, _store, commitOnFinish: true)
        {
            Extension = new DeviceService(_provisioning, _store, _faults, new EdgeMarl.Firmware.HostAdapters.HmacAuthenticatorFactory(), "edgemarl-stand-in " + ThisAssembly()),
        };
        int finished = receiver.Finished;
        while (!stop.IsCancellationRequested)
        {
            receiver.Poll(50);
            if (receiver.Finished != finished)
            {
                finished = receiver.Finished;
                report(UploadLine(receiver.LastFinishStatus));
            }
        }
    }

    /// <summary>Returns the line for a finished upload with <paramref name="status"/>.</summary>
    /// <param name="status">The finish status.</param>
    /// <returns>E.g. <c>upload accepted: version 7, generation 3, slot B, 11,234 B</c> or <c>upload refused: Rollback (version 5 &lt; 7)</c>.</returns>
    public string UploadLine(DeployStatus status)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        if (status == DeployStatus.Ok)
        {
            return "upload accepted: " + Describe();
        }

        string detail = status switch
        {
            DeployStatus.Rollback => string.Create(c, $" (version {_store.LastVerifiedVersion} < {_store.HighestVersion})"),
            DeployStatus.VersionReused => string.Create(c, $" (version {_store.LastVerifiedVersion} = {_store.HighestVersion}, different image)"),
            DeployStatus.PolicyRejected => string.Create(c, $" {_store.LastPolicyError.Status} at byte {_store.LastErrorOffset}"),
            DeployStatus.WrongGame => string.Create(c, $" (header byte {_store.LastErrorOffset} differs from this device's game)"),
            _ => string.Empty,
        };
        return string.Create(c, $"upload refused: {status}{detail}; still running {(_store.HasPolicy ? "version " + _store.CurrentVersion.ToString(c) : "no policy")}");
    }

    private string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"version {_store.CurrentVersion}, generation {_store.CurrentGeneration}, slot {(_store.CurrentSlot == StoreFiles.SlotA ? 'A' : 'B')}, {_store.CurrentLength:N0} B");

    private static string ThisAssembly() =>
        typeof(StandInDevice).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
