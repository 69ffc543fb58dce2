using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// What the gateway's and the robot's programs share, as a template method: <see cref="Boot"/> runs record → settings →
    /// policy → network → radio the same way for both roles, asking the role (<see cref="GatewayProgram"/>,
    /// <see cref="RobotProgram"/>) only for its settings check, its messages and its radio. The upload port is attached
    /// to the store from the first boot step on, so a waiting node still takes an upload.
    /// </summary>
    public abstract class NodeProgram : ISupervisedNode
    {
        private readonly NodeBoot _boot;
        private readonly DeviceSerialService _serial;
        private readonly INodePlatform _platform;
        private readonly IClock _clock;
        private readonly INodeLog _log;
        private readonly LinkMonitor _link;
        private NodeSettings _settings;
        private bool _network;
        private int _provisionedAtStart;

        /// <summary>Initializes a new instance of the <see cref="NodeProgram"/> class (the role has checked the arguments).</summary>
        /// <param name="boot">The boot steps (record, key, store).</param>
        /// <param name="serial">The upload port's service, or null when uploads are disabled.</param>
        /// <param name="platform">The board.</param>
        /// <param name="clock">Monotonic clock.</param>
        /// <param name="log">Where status lines go, or null.</param>
        /// <param name="link">The link-loss detector.</param>
        protected NodeProgram(NodeBoot boot, DeviceSerialService serial, INodePlatform platform, IClock clock, INodeLog log, LinkMonitor link)
        {
            _boot = boot;
            _serial = serial;
            _platform = platform;
            _clock = clock;
            _log = log;
            _link = link;
        }

        /// <summary>Gets the settings from the record once read, else null.</summary>
        public NodeSettings Settings
        {
            get { return _settings; }
        }

        /// <summary>Gets the link-loss detector.</summary>
        public LinkMonitor Link
        {
            get { return _link; }
        }

        /// <summary>Gets the number of network joins attempted (first boot and every reconnect).</summary>
        public int NetworkJoins { get; private set; }

        /// <summary>Gets the boot steps (record, key, store).</summary>
        protected NodeBoot BootSteps
        {
            get { return _boot; }
        }

        /// <summary>Gets the upload port's service, or null when uploads are disabled.</summary>
        protected DeviceSerialService Serial
        {
            get { return _serial; }
        }

        /// <summary>Gets the board.</summary>
        protected INodePlatform Platform
        {
            get { return _platform; }
        }

        /// <summary>Gets the monotonic clock.</summary>
        protected IClock Clock
        {
            get { return _clock; }
        }

        /// <summary>Gets the provisioning-record count of the upload port when the node started running (a change means a new record).</summary>
        protected int ProvisionedAtStart
        {
            get { return _provisionedAtStart; }
        }

        /// <summary>Gets the role's name as the messages and the provision command spell it ("gateway", "robot").</summary>
        protected abstract string Role { get; }

        /// <summary>Gets a value indicating whether the role's radio is up (the first successful boot started it).</summary>
        protected abstract bool RadioStarted { get; }

        /// <inheritdoc/>
        public int Boot()
        {
            int cause = _boot.LoadIdentity();
            if (cause != FaultCounters.None)
            {
                // A bench node with only a key file still takes uploads into its store while it waits for a record.
                if (cause == BootSupervisor.Unprovisioned && _boot.Key != null)
                {
                    _boot.OpenPolicy();
                }

                Attach(true);
                Log(cause == BootSupervisor.Unprovisioned ? Role + ": not provisioned; run `edgemarl provision --role " + Role + " ...`" : Role + ": provisioning record corrupt");
                return cause;
            }

            _settings = ReadSettings();
            string rejected = RejectSettings(_settings);
            if (rejected != null)
            {
                Log(rejected);
                return FaultCounters.BadProvisioning;
            }

            cause = _boot.OpenPolicy();
            Attach(CommitsUploadsWhileBooting());
            if (cause != FaultCounters.None)
            {
                Log(PolicyNotReady(cause));
                return cause;
            }

            if (!_network)
            {
                NetworkJoins++;
                _network = _platform.ConnectNetwork(_settings);
                if (!_network)
                {
                    return FaultCounters.NoNetwork;
                }

                _link.Reset();
            }

            if (!RadioStarted)
            {
                cause = StartRadio();
                if (cause != FaultCounters.None)
                {
                    return cause;
                }
            }

            _provisionedAtStart = _serial == null ? 0 : _serial.Provisioned;
            Running();
            return FaultCounters.None;
        }

        /// <inheritdoc/>
        public abstract int Step();

        /// <inheritdoc/>
        public abstract void HoldSafe();

        /// <inheritdoc/>
        public bool Wait(int milliseconds)
        {
            return _platform.Wait(milliseconds);
        }

        /// <summary>Reads the settings from the loaded record (with the board's MAC where the role derives its id from it).</summary>
        /// <returns>The settings, or null when the record does not make any.</returns>
        protected abstract NodeSettings ReadSettings();

        /// <summary>Checks that the settings are this role's.</summary>
        /// <param name="settings">The settings read, or null.</param>
        /// <returns>Null when they are; else the line to log (the boot fails with <see cref="FaultCounters.BadProvisioning"/>).</returns>
        protected abstract string RejectSettings(NodeSettings settings);

        /// <summary>Whether an upload that arrives while the node boots (after the policy step) commits at once.</summary>
        /// <returns>True to commit on finish; false to stage it.</returns>
        protected abstract bool CommitsUploadsWhileBooting();

        /// <summary>The line to log when the policy is not ready.</summary>
        /// <param name="cause">The fault cause from opening the policy.</param>
        /// <returns>The line.</returns>
        protected abstract string PolicyNotReady(int cause);

        /// <summary>Opens the radio and builds the role's node over it (once; a reconnect keeps it).</summary>
        /// <returns><see cref="FaultCounters.None"/>, or the cause.</returns>
        protected abstract int StartRadio();

        /// <summary>Called at the end of a successful boot: the role's last preparations and its running line.</summary>
        protected abstract void Running();

        /// <summary>Attaches the upload port (if any) to the store.</summary>
        /// <param name="commitOnFinish">True to commit a finished upload at once; false to stage it.</param>
        protected void Attach(bool commitOnFinish)
        {
            if (_serial != null)
            {
                _serial.Attach(_boot.Store, commitOnFinish);
            }
        }

        /// <summary>Records that the network link is lost: the next boot reconnects.</summary>
        protected void NetworkLost()
        {
            _network = false;
        }

        /// <summary>Writes a status line, if there is a log.</summary>
        /// <param name="line">The line.</param>
        protected void Log(string line)
        {
            if (_log != null)
            {
                _log.Write(line);
            }
        }
    }
}
