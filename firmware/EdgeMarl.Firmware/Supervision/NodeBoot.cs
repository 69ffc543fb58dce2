using System.IO;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Supervision
{
    /// <summary>
    /// The boot steps every node shares, as fault causes for <see cref="BootSupervisor"/>: read the provisioning record,
    /// take the fleet key from it (or from a factory key file on an unprovisioned bench device), open the A/B policy store
    /// with that key and boot it, importing a preloaded policy file once. Each step can be retried: it re-reads the
    /// flash, so a record written or a policy uploaded over serial in the meantime is picked up.
    /// </summary>
    public sealed class NodeBoot
    {
        private readonly ProvisioningStore _provisioning;
        private readonly IPolicyStorage _storage;
        private readonly PolicyExpectations _game;
        private readonly string _preloadPath;
        private readonly byte[] _fallbackKey;
        private readonly bool _requireRecord;
        private byte[] _storeKey;

        /// <summary>Initializes a new instance of the <see cref="NodeBoot"/> class.</summary>
        /// <param name="provisioning">The provisioning store (not yet booted).</param>
        /// <param name="storage">The policy store's flash.</param>
        /// <param name="game">The sizes (and smallest k) a policy must have.</param>
        /// <param name="preloadPath">A policy file imported into an empty store once (ESP32: <c>I:\policy.empol</c>), or null.</param>
        /// <param name="fallbackKey">The key of an unprovisioned device (a factory key file), or null.</param>
        /// <param name="requireRecord">True when the node cannot run without a record (the ESP32 programs: fleet id, key,
        /// radio and tick come from it); false for a node that only serves its store (the host stand-in with <c>--key</c>).</param>
        public NodeBoot(ProvisioningStore provisioning, IPolicyStorage storage, PolicyExpectations game, string preloadPath, byte[] fallbackKey, bool requireRecord)
        {
            if (provisioning == null || storage == null || game == null)
            {
                throw new System.ArgumentNullException(nameof(provisioning));
            }

            _provisioning = provisioning;
            _storage = storage;
            _game = game;
            _preloadPath = preloadPath;
            _fallbackKey = fallbackKey;
            _requireRecord = requireRecord;
        }

        /// <summary>Gets the record in force after <see cref="LoadIdentity"/>, or null.</summary>
        public ProvisioningRecord Record { get; private set; }

        /// <summary>Gets the fleet key in force (the record's, else the fallback), or null.</summary>
        public byte[] Key { get; private set; }

        /// <summary>Gets the policy store, opened by <see cref="OpenPolicy"/> once a key is known (null before).</summary>
        public PolicyStore Store { get; private set; }

        /// <summary>Gets the status of the last preload import (<see cref="DeployStatus.Ok"/> when none was tried).</summary>
        public DeployStatus LastImportStatus { get; private set; }

        /// <summary>Reads the record (both copies) and picks the key.</summary>
        /// <returns>None; <see cref="FaultCounters.BadProvisioning"/> when the copies on flash are all corrupt;
        /// <see cref="BootSupervisor.Unprovisioned"/> when there is no record and the node needs one (or has no key at all).</returns>
        public int LoadIdentity()
        {
            bool provisioned = _provisioning.Boot();
            Record = _provisioning.Current;
            Key = Record != null && Record.Key != null ? Record.Key : _fallbackKey;
            if (provisioned)
            {
                return FaultCounters.None;
            }

            if (_provisioning.CorruptCopies > 0)
            {
                return FaultCounters.BadProvisioning;
            }

            return _requireRecord || Key == null ? BootSupervisor.Unprovisioned : FaultCounters.None;
        }

        /// <summary>
        /// Opens the store with <see cref="Key"/> and boots it, importing the preload into an empty store; a retry with the
        /// same key only looks whether an upload has put a policy in force since (a new key opens the store again).
        /// </summary>
        /// <returns>None when a verified policy is in force; <see cref="FaultCounters.NoKey"/>, <see cref="FaultCounters.NoPolicy"/>
        /// (empty, or every copy fails verification), or <see cref="FaultCounters.StorageFailure"/> (the file system threw, in
        /// the store's own boot (<see cref="PolicyStore.BootStorageFailed"/>) or around it).</returns>
        public int OpenPolicy()
        {
            if (Key == null)
            {
                return FaultCounters.NoKey;
            }

            try
            {
                if (Store != null && SameKey(_storeKey, Key) && !Store.BootStorageFailed)
                {
                    // A retry on the open store: only an upload can have changed it (the serial receiver writes into this
                    // very store). Booting it again would drop an upload in progress; a reboot reads the flash afresh.
                    return Store.HasPolicy ? FaultCounters.None : FaultCounters.NoPolicy;
                }

                Store = new PolicyStore(_storage, Expectations(), new StreamingHmacSha256Authenticator(Key), 256, 4);
                _storeKey = Key;
                if (Store.Boot())
                {
                    return FaultCounters.None;
                }

                if (Store.BootStorageFailed)
                {
                    // The flash failed, not the policy: report it as such (not no-policy), import nothing, and open the
                    // store afresh at the retry.
                    return FaultCounters.StorageFailure;
                }

                LastImportStatus = DeployStatus.Ok;
                if (_preloadPath == null || !File.Exists(_preloadPath))
                {
                    return FaultCounters.NoPolicy;
                }

                // In 512-byte slices: the preload is never held in RAM whole.
                LastImportStatus = PolicyImport.Import(Store, new FilePolicySource(_preloadPath));
                return LastImportStatus == DeployStatus.Ok ? FaultCounters.None : FaultCounters.NoPolicy;
            }
            catch (System.Exception)
            {
                // What escapes the store (opening the preload, a file system that refuses the store's files) is a storage
                // failure too.
                return FaultCounters.StorageFailure;
            }
        }

        /// <summary>The image's expectations plus, on a robot, its provisioned type (a policy without rows for it is refused).</summary>
        private PolicyExpectations Expectations()
        {
            PolicyExpectations expected = new PolicyExpectations();
            expected.GlobalStates = _game.GlobalStates;
            expected.GlobalActions = _game.GlobalActions;
            expected.LocalStates = _game.LocalStates;
            expected.LocalActions = _game.LocalActions;
            expected.MinSampleSize = _game.MinSampleSize;
            expected.GameHash = _game.GameHash;
            expected.RobotType = Record != null && Record.Role == ProvisioningRecord.RoleRobot ? Record.RobotType : _game.RobotType;
            return expected;
        }

        private static bool SameKey(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
