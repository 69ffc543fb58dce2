using System.Globalization;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Cli.Device;

/// <summary>
/// A device without hardware: the REAL firmware boot steps (<see cref="NodeBoot"/>), <see cref="BootSupervisor"/>
/// (retry with backoff, reboot past the limit, faults counted), serial service (<see cref="DeviceSerialService"/>:
/// provision, device-info, uploads) and <see cref="PolicyStore"/> on <see cref="FileSystemPolicyStorage"/> in a host
/// directory. Every boot reads the directory again, so a supervisor reboot, a restart of <c>edgemarl device</c> and a
/// power cut all look the same to the device. The fleet key comes from the provisioning record; <c>--key</c> is the key
/// of an unprovisioned bench device. Faults of the parts a PC does not have (Wi-Fi, radio) and exceptions in the loop are
/// injected through <see cref="StandInFaultPlan"/>.
/// </summary>
internal sealed class StandInDevice
{
    /// <summary>Slot capacity of the stand-in, as on an ESP32 with a 256 KB <c>I:</c> (docs/policy-store.md).</summary>
    public const int DefaultSlotBytes = 120 * 1024;

    private readonly string _root;
    private readonly byte[]? _fallbackKey;
    private readonly PolicyExpectations _game;
    private readonly int _slotBytes;
    private readonly StandInOptions _options;

    /// <summary>Initializes a new instance of the <see cref="StandInDevice"/> class (it boots in <see cref="Serve"/>).</summary>
    /// <param name="storeDirectory">Directory holding the store, record and fault files (created if missing).</param>
    /// <param name="fleetKey">The key of an unprovisioned device (at least 16 bytes), or null: then a device without a record is blank.</param>
    /// <param name="game">The sizes this device's game has (a policy for other sizes is refused with WrongGame).</param>
    /// <param name="slotBytes">Slot capacity.</param>
    /// <param name="options">Backoff, clock and injected faults; null for the defaults.</param>
    public StandInDevice(string storeDirectory, byte[]? fleetKey, PolicyExpectations game, int slotBytes = DefaultSlotBytes, StandInOptions? options = null)
    {
        Directory.CreateDirectory(storeDirectory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storeDirectory)) + Path.DirectorySeparatorChar;
        _fallbackKey = fleetKey;
        _game = game;
        _slotBytes = slotBytes;
        _options = options ?? new StandInOptions();
    }

    /// <summary>Gets the number of reboots the supervisor asked for since <see cref="Serve"/> started.</summary>
    public int Reboots { get; private set; }

    /// <summary>Gets the node of the current boot (tests look at its phase and store).</summary>
    public StandInNode? Current { get; private set; }

    /// <summary>Boots and serves <paramref name="link"/> until <paramref name="stop"/> is cancelled, rebooting when the supervisor asks.</summary>
    /// <param name="link">The serial link (a pty, a USB adapter).</param>
    /// <param name="report">Receives each line (boots, failures, retries, uploads, reboots).</param>
    /// <param name="stop">Ends the loop (Ctrl+C, SIGTERM).</param>
    public void Serve(ISerialLink link, Action<string> report, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var storage = new FileSystemPolicyStorage(_root, _slotBytes);
            var provisioning = new ProvisioningStore(new FileRecordFiles(_root, "provision"));
            var faults = new FaultCounters(new FileRecordFiles(_root, "faults"));
            int lastCause = faults.TakeRebootCause();
            if (lastCause != FaultCounters.None)
            {
                report("boot: last reboot cause " + DeviceInfoCommand.CauseName(lastCause));
            }

            var health = new NodeHealth();
            var serial = new DeviceSerialService(link, provisioning, faults, health, new EdgeMarl.Firmware.HostAdapters.HmacAuthenticatorFactory(), "edgemarl-stand-in " + ThisAssembly(), commitOnFinish: true);
            var boot = new NodeBoot(provisioning, storage, _game, null, _fallbackKey, requireRecord: false);
            var node = new StandInNode(boot, serial, health, _options, report, stop);
            var rebooter = new HostRebooter();
            var supervisor = new BootSupervisor(node, faults, rebooter, _options.Schedule, health);
            Current = node;
            using (stop.Register(() => supervisor.StopRequested = true))
            {
                int cause = supervisor.Run();
                if (cause == BootSupervisor.Stopped || !rebooter.Rebooted)
                {
                    return;
                }

                Reboots++;
                report("rebooting (cause " + DeviceInfoCommand.CauseName(cause) + ")");
            }
        }
    }

    private static string ThisAssembly() =>
        typeof(StandInDevice).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>A reboot on the host: the supervisor returns and <see cref="Serve"/> boots again from the directory.</summary>
    private sealed class HostRebooter : IRebooter
    {
        public bool Rebooted { get; private set; }

        public void Reboot() => Rebooted = true;
    }
}

/// <summary>Backoff, clock and injected faults of a <see cref="StandInDevice"/>.</summary>
internal sealed class StandInOptions
{
    /// <summary>Gets the retry schedule (the firmware default unless a test shortens it).</summary>
    public BackoffSchedule Schedule { get; init; } = new();

    /// <summary>Gets the clock the backoff waits are measured on (tests pass one that jumps, so no test waits for real).</summary>
    public IClock Clock { get; init; } = new SystemClock();

    /// <summary>Gets the faults to inject; shared across reboots (a fault that has fired does not fire again).</summary>
    public StandInFaultPlan Faults { get; init; } = new();

    /// <summary>Gets the longest wait for serial bytes per poll, in ms.</summary>
    public int PollMs { get; init; } = 50;
}

/// <summary>
/// Failures injected into a <see cref="StandInDevice"/> for the parts a PC lacks: each count is how many boot attempts
/// (or loop runs) fail in that way before the part works. Thread-safe counters: the test thread may add faults.
/// </summary>
internal sealed class StandInFaultPlan
{
    private int _network;
    private int _radio;
    private int _loop;

    /// <summary>Makes the next <paramref name="count"/> Wi-Fi joins fail (<c>no-network</c>).</summary>
    public void FailNetwork(int count) => Interlocked.Add(ref _network, count);

    /// <summary>Makes the next <paramref name="count"/> radio setups fail (<c>radio-failure</c>).</summary>
    public void FailRadio(int count) => Interlocked.Add(ref _radio, count);

    /// <summary>Makes the next <paramref name="count"/> runs of the loop throw at their third step (<c>loop-exception</c>).</summary>
    public void ThrowInLoop(int count) => Interlocked.Add(ref _loop, count);

    internal bool TakeNetwork() => Take(ref _network);

    internal bool TakeRadio() => Take(ref _radio);

    internal bool TakeLoop() => Take(ref _loop);

    private static bool Take(ref int counter)
    {
        while (true)
        {
            int value = Volatile.Read(ref counter);
            if (value <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, value - 1, value) == value)
            {
                return true;
            }
        }
    }
}

/// <summary>
/// One boot of the stand-in as an <see cref="ISupervisedNode"/>: the firmware's boot steps, then a loop that serves the
/// serial port (a stand-in has no radio); a record written while it runs reboots it, as on an ESP32.
/// </summary>
internal sealed class StandInNode : ISupervisedNode
{
    private readonly NodeBoot _boot;
    private readonly DeviceSerialService _serial;
    private readonly NodeHealth _health;
    private readonly StandInOptions _options;
    private readonly Action<string> _report;
    private readonly CancellationToken _stop;
    private SerialPolicyReceiver? _reported;
    private int _finishedSeen;
    private int _provisionedAtRun;
    private int _loopStep;
    private bool _throwThisRun;

    public StandInNode(NodeBoot boot, DeviceSerialService serial, NodeHealth health, StandInOptions options, Action<string> report, CancellationToken stop)
    {
        _boot = boot;
        _serial = serial;
        _health = health;
        _options = options;
        _report = report;
        _stop = stop;
    }

    /// <summary>Gets the node's phase.</summary>
    public NodeHealth Health => _health;

    /// <summary>Gets the policy store once opened.</summary>
    public PolicyStore? Store => _boot.Store;

    /// <summary>Gets how often the node was put into its safe state.</summary>
    public int SafeHolds { get; private set; }

    public int Boot()
    {
        int cause = _boot.LoadIdentity();
        if (cause != FaultCounters.None)
        {
            _serial.Attach(null, true);
            _report(cause == BootSupervisor.Unprovisioned
                ? "boot: not provisioned and no key; serving `edgemarl provision` and `device-info` only"
                : "boot: provisioning record corrupt on flash (bad-provisioning); run `edgemarl provision --replace`");
            return cause;
        }

        cause = _boot.OpenPolicy();
        _serial.Attach(_boot.Store, true);
        if (cause == FaultCounters.NoKey)
        {
            _report("boot: provisioned without a key (no-key); uploads refused until `edgemarl provision --replace --key FILE`");
            return cause;
        }

        if (cause == FaultCounters.NoPolicy)
        {
            _report(string.Create(CultureInfo.InvariantCulture, $"boot: no policy (highest version accepted {_boot.Store!.HighestVersion}); waiting for `edgemarl upload`"));
            return cause;
        }

        if (cause != FaultCounters.None)
        {
            _report("boot: storage failure (storage-failure)");
            return cause;
        }

        if (_options.Faults.TakeNetwork())
        {
            _report("boot: injected Wi-Fi failure (no-network)");
            return FaultCounters.NoNetwork;
        }

        if (_options.Faults.TakeRadio())
        {
            _report("boot: injected radio failure (radio-failure)");
            return FaultCounters.RadioFailure;
        }

        _provisionedAtRun = _serial.Provisioned;
        _loopStep = 0;
        _throwThisRun = _options.Faults.TakeLoop();
        _report("boot: " + Describe(_boot.Store!));
        return FaultCounters.None;
    }

    public int Step()
    {
        if (_throwThisRun && ++_loopStep == 3)
        {
            _throwThisRun = false;
            throw new InvalidOperationException("injected loop exception");
        }

        _serial.Poll(_options.PollMs);
        ReportUploads();
        _serial.TakeOperatorChange();
        return _serial.Provisioned != _provisionedAtRun ? BootSupervisor.RestartRequested : FaultCounters.None;
    }

    public void HoldSafe() => SafeHolds++;

    public bool Wait(int milliseconds)
    {
        if (_health.Phase == NodeHealth.PhaseRetrying)
        {
            _report(string.Create(CultureInfo.InvariantCulture, $"retry: {DeviceInfoCommand.CauseName(_health.RetryCause)} (failure {_health.Failures}), next attempt in {milliseconds} ms"));
        }

        long end = _options.Clock.NowMs() + milliseconds;
        do
        {
            _serial.Poll(_options.PollMs);
            ReportUploads();
            if (_serial.TakeOperatorChange())
            {
                return true;
            }
        }
        while (!_stop.IsCancellationRequested && _options.Clock.NowMs() < end);
        return false;
    }

    private void ReportUploads()
    {
        SerialPolicyReceiver receiver = _serial.Receiver;
        if (receiver != _reported)
        {
            _reported = receiver;
            _finishedSeen = receiver.Finished;
        }

        if (receiver.Finished != _finishedSeen && _boot.Store is not null)
        {
            _finishedSeen = receiver.Finished;
            _report(UploadLine(_boot.Store, receiver.LastFinishStatus));
        }
    }

    /// <summary>Returns the line for a finished upload with <paramref name="status"/>.</summary>
    /// <returns>E.g. <c>upload accepted: version 7, generation 3, slot B, 11,234 B</c> or <c>upload refused: Rollback (version 5 &lt; 7)</c>.</returns>
    private static string UploadLine(PolicyStore store, DeployStatus status)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        if (status == DeployStatus.Ok)
        {
            return "upload accepted: " + Describe(store);
        }

        string detail = status switch
        {
            DeployStatus.Rollback => string.Create(c, $" (version {store.LastVerifiedVersion} < {store.HighestVersion})"),
            DeployStatus.VersionReused => string.Create(c, $" (version {store.LastVerifiedVersion} = {store.HighestVersion}, different image)"),
            DeployStatus.PolicyRejected => string.Create(c, $" {store.LastPolicyError.Status} at byte {store.LastErrorOffset}"),
            DeployStatus.WrongGame => string.Create(c, $" (header byte {store.LastErrorOffset} differs from this device's game)"),
            _ => string.Empty,
        };
        return string.Create(c, $"upload refused: {status}{detail}; still running {(store.HasPolicy ? "version " + store.CurrentVersion.ToString(c) : "no policy")}");
    }

    private static string Describe(PolicyStore store) =>
        string.Create(CultureInfo.InvariantCulture, $"version {store.CurrentVersion}, generation {store.CurrentGeneration}, slot {(store.CurrentSlot == StoreFiles.SlotA ? 'A' : 'B')}, {store.CurrentLength:N0} B");
}
