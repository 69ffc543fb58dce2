using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// A node's policy on flash in two slots (A/B) and two alternating active-slot records (docs/policy-store.md).
    /// An upload writes the slot not in use (<see cref="BeginStage"/>, <see cref="WriteStage"/>), verifies it
    /// completely from flash (<see cref="FinishStage"/>: image CRC (<see cref="PolicyIdentity"/>), <see cref="PolicyTable"/> validation with the
    /// fleet key, game sizes), and <see cref="Commit"/> then writes a new record, with the next generation, into
    /// the record file not in force. Boot takes the valid record of highest generation whose slot verifies, so a
    /// reboot at any byte of an upload leaves the old or the new policy, never a mixture.
    /// </summary>
    /// <remarks>
    /// <para>Authenticity and anti-rollback: every image is verified with the fleet key (streaming HMAC, bounded RAM)
    /// before it can be staged, adopted or booted, and must be policy-file format 2 with a policy version above
    /// <see cref="HighestVersion"/>, the highest version in any valid record (so a power cut while a record is
    /// written leaves the previous, never a lower, floor). The store cannot be built without a key except through
    /// <see cref="CreateInsecureForHostTests"/>.</para>
    /// </remarks>
    /// <remarks>
    /// <para><see cref="Live"/> is what the nodes run; it is switched to the new table at <see cref="Commit"/>.
    /// The slot in use is never written, so the live table's in-place reads stay valid.</para>
    /// <para>Not thread-safe: one thread (the node's loop, or the serial receiver when the node is idle) drives it.
    /// Opening and verifying allocate (tables, page caches); the lookups of an opened table do not.</para>
    /// </remarks>
    public sealed class PolicyStore
    {
        private const int ScratchBytes = 256;

        private readonly IPolicyStorage _storage;
        private readonly PolicyExpectations _expected;
        private readonly byte[] _hashByte;
        private readonly IIncrementalAuthenticator _authenticator;
        private readonly int _pageLength;
        private readonly int _pageCount;
        private readonly byte[] _record0;
        private readonly byte[] _record1;
        private readonly byte[] _scratch;
        private readonly LivePolicy _live;

        private int _currentSlot = -1;
        private int _currentRecordFile = -1;
        private uint _maxGeneration;
        private bool _staging;
        private bool _storageFault;
        private PolicyTable _stagedTable;
        private int _stagingLength;
        private uint _stagingCrc;
        private uint _highestVersion;
        private uint _stagedVersion;

        /// <summary>Initializes a new instance of the <see cref="PolicyStore"/> class; call <see cref="Boot"/> next.</summary>
        /// <param name="storage">The flash files.</param>
        /// <param name="expected">The node's game sizes (copied).</param>
        /// <param name="authenticator">Fleet key (required): only policies with a valid HMAC tag under it are accepted.</param>
        /// <param name="pageLength">Page length of each opened table's cache.</param>
        /// <param name="pageCount">Pages in each opened table's cache.</param>
        /// <exception cref="System.ArgumentException">No authenticator (use <see cref="CreateInsecureForHostTests"/> in host tests), or another argument is invalid.</exception>
        public PolicyStore(IPolicyStorage storage, PolicyExpectations expected, IIncrementalAuthenticator authenticator, int pageLength, int pageCount)
            : this(storage, expected, authenticator, pageLength, pageCount, false)
        {
        }

        private PolicyStore(IPolicyStorage storage, PolicyExpectations expected, IIncrementalAuthenticator authenticator, int pageLength, int pageCount, bool insecure)
        {
            if (authenticator == null && !insecure)
            {
                throw new System.ArgumentException("store: a fleet-key authenticator is required (unauthenticated policies are never installed)", nameof(authenticator));
            }

            if (storage == null || expected == null || pageLength < 1 || pageCount < 1
                || (expected.GameHash != null && expected.GameHash.Length != PolicyFileLayout.HashLength))
            {
                throw new System.ArgumentException("store: storage and expectations required (a game hash of 32 bytes or none), page length and count >= 1", nameof(storage));
            }

            _storage = storage;
            _expected = new PolicyExpectations
            {
                GlobalStates = expected.GlobalStates,
                GlobalActions = expected.GlobalActions,
                LocalStates = expected.LocalStates,
                LocalActions = expected.LocalActions,
                MinSampleSize = expected.MinSampleSize,
                RobotType = expected.RobotType,
                GameHash = expected.GameHash,
            };
            _authenticator = authenticator;
            _pageLength = pageLength;
            _pageCount = pageCount;
            _record0 = new byte[ActiveRecord.Length];
            _record1 = new byte[ActiveRecord.Length];
            _scratch = new byte[ScratchBytes];
            _hashByte = new byte[1];
            _live = new LivePolicy();
        }

        /// <summary>
        /// INSECURE, host tests only: a store that accepts policies WITHOUT checking any HMAC tag (format 2 and the
        /// anti-rollback version are still enforced). Firmware never calls this.
        /// </summary>
        /// <param name="storage">The files.</param>
        /// <param name="expected">The node's game sizes.</param>
        /// <param name="pageLength">Page length of each opened table's cache.</param>
        /// <param name="pageCount">Pages in each opened table's cache.</param>
        /// <returns>A store without authentication.</returns>
        public static PolicyStore CreateInsecureForHostTests(IPolicyStorage storage, PolicyExpectations expected, int pageLength, int pageCount)
        {
            return new PolicyStore(storage, expected, null, pageLength, pageCount, true);
        }

        /// <summary>Gets the highest policy version this device accepted (0 when none): a new policy must be above it.</summary>
        public uint HighestVersion
        {
            get { return _highestVersion; }
        }

        /// <summary>Gets the policy version of the policy in force.</summary>
        public uint CurrentVersion { get; private set; }

        /// <summary>Gets the policy version of the image staged for <see cref="Commit"/>.</summary>
        public uint StagedVersion
        {
            get { return _stagedVersion; }
        }

        /// <summary>Gets the policy version of the image last verified (also when it was refused as a rollback), for messages.</summary>
        public uint LastVerifiedVersion { get; private set; }

        /// <summary>Gets the policy the nodes run (switched at <see cref="Commit"/>).</summary>
        public LivePolicy Live
        {
            get { return _live; }
        }

        /// <summary>Gets a value indicating whether a policy is in force.</summary>
        public bool HasPolicy
        {
            get { return _currentSlot >= 0; }
        }

        /// <summary>Gets the slot in force, or −1.</summary>
        public int CurrentSlot
        {
            get { return _currentSlot; }
        }

        /// <summary>Gets the image length of the policy in force.</summary>
        public int CurrentLength { get; private set; }

        /// <summary>Gets the image CRC of the policy in force.</summary>
        public uint CurrentCrc { get; private set; }

        /// <summary>Gets the generation of the record in force.</summary>
        public uint CurrentGeneration { get; private set; }

        /// <summary>Gets a value indicating whether a verified image waits in the other slot for <see cref="Commit"/>.</summary>
        public bool HasStaged
        {
            get { return _stagedTable != null; }
        }

        /// <summary>Gets the length of the image being staged or staged.</summary>
        public int StagedLength
        {
            get { return _stagingLength; }
        }

        /// <summary>Gets the CRC of the image being staged or staged.</summary>
        public uint StagedCrc
        {
            get { return _stagingCrc; }
        }

        /// <summary>Gets the largest image one slot holds.</summary>
        public int Capacity
        {
            get { return _storage.SlotCapacity; }
        }

        /// <summary>Gets the policy-file error of the last rejected image (status <see cref="PolicyStatus.Ok"/> otherwise).</summary>
        public PolicyFileError LastPolicyError { get; private set; }

        /// <summary>Gets the byte offset the last error refers to (policy-file offset, or the header field of a wrong size), or −1.</summary>
        public int LastErrorOffset { get; private set; }

        /// <summary>
        /// Gets a value indicating whether the last <see cref="Boot"/> found no policy in force because the flash failed (an
        /// access threw, or a read came back short inside the policy reader), rather than because nothing valid is stored:
        /// the node reports <c>storage-failure</c>, not <c>no-policy</c>, and a retry opens the store afresh.
        /// </summary>
        public bool BootStorageFailed { get; private set; }

        /// <summary>Finds the policy in force: the valid record of highest generation whose slot verifies.</summary>
        /// <returns>True when a policy is in force (then <see cref="Live"/> runs it).</returns>
        public bool Boot()
        {
            _storageFault = false;
            bool found = FindPolicy();
            BootStorageFailed = !found && _storageFault;
            return found;
        }

        private bool FindPolicy()
        {
            _currentSlot = -1;
            _currentRecordFile = -1;
            _maxGeneration = 0;
            _staging = false;
            _stagedTable = null;
            bool valid0 = ReadRecord(StoreFiles.Record0, _record0);
            bool valid1 = ReadRecord(StoreFiles.Record1, _record1);
            uint g0 = valid0 ? ActiveRecord.Generation(_record0) : 0;
            uint g1 = valid1 ? ActiveRecord.Generation(_record1) : 0;
            _maxGeneration = g0 > g1 ? g0 : g1;
            uint v0 = valid0 ? ActiveRecord.PolicyVersion(_record0) : 0;
            uint v1 = valid1 ? ActiveRecord.PolicyVersion(_record1) : 0;
            _highestVersion = v0 > v1 ? v0 : v1;

            // Newest first; the older record is the fallback when the newest slot does not verify.
            bool firstIs1 = valid1 && (!valid0 || g1 > g0);
            if (firstIs1)
            {
                return TryRecord(StoreFiles.Record1, _record1) || (valid0 && TryRecord(StoreFiles.Record0, _record0));
            }

            return (valid0 && TryRecord(StoreFiles.Record0, _record0)) || (valid1 && TryRecord(StoreFiles.Record1, _record1));
        }

        /// <summary>Starts writing an image of <paramref name="length"/> bytes into the slot not in force (any earlier staging is dropped).</summary>
        /// <param name="length">Image length.</param>
        /// <param name="imageCrc">Image CRC (<see cref="PolicyIdentity.ImageCrc"/>), checked at <see cref="FinishStage"/>.</param>
        /// <returns><see cref="DeployStatus.Ok"/>, <see cref="DeployStatus.TooSmall"/>, <see cref="DeployStatus.TooLarge"/> or <see cref="DeployStatus.StorageFailed"/>.</returns>
        public DeployStatus BeginStage(int length, uint imageCrc)
        {
            _staging = false;
            _stagedTable = null;
            _stagingLength = length;
            _stagingCrc = imageCrc;
            LastErrorOffset = -1;
            LastPolicyError = new PolicyFileError(PolicyStatus.Ok, -1);
            if (length < PolicyFileLayout.HeaderLength + PolicyFileLayout.CrcLength)
            {
                return DeployStatus.TooSmall;
            }

            if (length > _storage.SlotCapacity)
            {
                return DeployStatus.TooLarge;
            }

            try
            {
                _storage.Create(InactiveSlot, length);
            }
            catch (System.Exception)
            {
                return DeployStatus.StorageFailed;
            }

            _staging = true;
            return DeployStatus.Ok;
        }

        /// <summary>Writes image bytes at <paramref name="position"/> of the slot being staged.</summary>
        /// <param name="position">Image offset.</param>
        /// <param name="buffer">Caller-owned source.</param>
        /// <param name="offset">First source byte.</param>
        /// <param name="count">Bytes.</param>
        /// <returns><see cref="DeployStatus.Ok"/>, <see cref="DeployStatus.NotStarted"/>, <see cref="DeployStatus.BadRequest"/> or <see cref="DeployStatus.StorageFailed"/>.</returns>
        public DeployStatus WriteStage(int position, byte[] buffer, int offset, int count)
        {
            if (!_staging)
            {
                return DeployStatus.NotStarted;
            }

            if (position < 0 || count < 0 || position > _stagingLength - count)
            {
                return DeployStatus.BadRequest;
            }

            try
            {
                _storage.Write(InactiveSlot, position, buffer, offset, count);
            }
            catch (System.Exception)
            {
                return DeployStatus.StorageFailed;
            }

            return DeployStatus.Ok;
        }

        /// <summary>Makes the staged bytes durable and verifies them from flash; on success the image is staged for <see cref="Commit"/>.</summary>
        /// <returns><see cref="DeployStatus.Ok"/> or why the image was refused (details in <see cref="LastPolicyError"/>, <see cref="LastErrorOffset"/>).</returns>
        public DeployStatus FinishStage()
        {
            if (!_staging)
            {
                return DeployStatus.NotStarted;
            }

            _staging = false;
            try
            {
                _storage.Flush(InactiveSlot);
            }
            catch (System.Exception)
            {
                return DeployStatus.StorageFailed;
            }

            PolicyTable table;
            DeployStatus status = Verify(InactiveSlot, _stagingLength, _stagingCrc, true, out table);
            _stagedTable = table;
            _stagedVersion = table == null ? 0 : table.PolicyVersion;
            return status;
        }

        /// <summary>
        /// Adopts an image already complete in the slot not in force (written before a reboot) if it is exactly the
        /// one named, so a robot that rebooted after staging does not fetch it again.
        /// </summary>
        /// <param name="length">Image length.</param>
        /// <param name="imageCrc">Image CRC.</param>
        /// <returns>True when the image is now staged.</returns>
        public bool TryAdoptStaged(int length, uint imageCrc)
        {
            if (_stagedTable != null && _stagingLength == length && _stagingCrc == imageCrc)
            {
                return true;
            }

            if (length < 0 || length > _storage.SlotCapacity || SafeLength(InactiveSlot) < length)
            {
                return false;
            }

            PolicyTable table;
            if (Verify(InactiveSlot, length, imageCrc, true, out table) != DeployStatus.Ok)
            {
                return false;
            }

            _staging = false;
            _stagingLength = length;
            _stagingCrc = imageCrc;
            _stagedTable = table;
            _stagedVersion = table.PolicyVersion;
            return true;
        }

        /// <summary>
        /// Puts the staged image in force: writes the next-generation record into the record file not in force,
        /// reads it back, then points <see cref="Live"/> at the new table. On any failure the old policy stays.
        /// </summary>
        /// <returns><see cref="DeployStatus.Ok"/>, <see cref="DeployStatus.NotStarted"/> (nothing staged), <see cref="DeployStatus.Rollback"/>,
        /// <see cref="DeployStatus.VersionReused"/> (a newer policy was committed since staging) or <see cref="DeployStatus.StorageFailed"/>.</returns>
        public DeployStatus Commit()
        {
            if (_stagedTable == null)
            {
                return DeployStatus.NotStarted;
            }

            // Checked again here: the floor may have risen since the image was staged (e.g. a serial upload meanwhile).
            DeployStatus fresh = Freshness(_stagedVersion, _stagingLength, _stagingCrc);
            if (fresh != DeployStatus.Ok)
            {
                _stagedTable = null;
                return fresh;
            }

            int slot = InactiveSlot;
            int recordFile = _currentRecordFile == StoreFiles.Record0 ? StoreFiles.Record1 : StoreFiles.Record0;
            byte[] record = recordFile == StoreFiles.Record0 ? _record0 : _record1;
            uint generation = _maxGeneration + 1;
            ActiveRecord.Encode(record, generation, slot, _stagingLength, _stagingCrc, _stagedVersion);
            try
            {
                _storage.Create(recordFile, ActiveRecord.Length);
                _storage.Write(recordFile, 0, record, 0, ActiveRecord.Length);
                _storage.Flush(recordFile);

                // Read back: a write the flash silently lost must not be reported as a switch.
                if (_storage.Read(recordFile, 0, _scratch, 0, ActiveRecord.Length) != ActiveRecord.Length)
                {
                    return DeployStatus.StorageFailed;
                }
            }
            catch (System.Exception)
            {
                return DeployStatus.StorageFailed;
            }

            for (int i = 0; i < ActiveRecord.Length; i++)
            {
                if (_scratch[i] != record[i])
                {
                    return DeployStatus.StorageFailed;
                }
            }

            _maxGeneration = generation;
            _currentRecordFile = recordFile;
            _currentSlot = slot;
            CurrentLength = _stagingLength;
            CurrentCrc = _stagingCrc;
            CurrentGeneration = generation;
            CurrentVersion = _stagedVersion;
            _highestVersion = _stagedVersion;
            _live.Use(_stagedTable);
            _stagedTable = null;
            return DeployStatus.Ok;
        }

        /// <summary>Returns the staged (verified) image as a source, for a gateway to disseminate; null when nothing is staged.</summary>
        /// <returns>A source over the staged slot.</returns>
        public IPolicySource StagedSource()
        {
            return _stagedTable == null ? null : new StorageSlotSource(_storage, InactiveSlot, _stagingLength);
        }

        /// <summary>Returns the image in force as a source; null when there is none.</summary>
        /// <returns>A source over the slot in force.</returns>
        public IPolicySource CurrentSource()
        {
            return _currentSlot < 0 ? null : new StorageSlotSource(_storage, _currentSlot, CurrentLength);
        }

        private int InactiveSlot
        {
            get { return _currentSlot == StoreFiles.SlotA ? StoreFiles.SlotB : StoreFiles.SlotA; }
        }

        private bool ReadRecord(int file, byte[] record)
        {
            try
            {
                return _storage.Length(file) == ActiveRecord.Length
                    && ActiveRecord.IsValid(record, _storage.Read(file, 0, record, 0, ActiveRecord.Length));
            }
            catch (System.Exception)
            {
                _storageFault = true;
                return false;
            }
        }

        private bool TryRecord(int recordFile, byte[] record)
        {
            int slot = ActiveRecord.Slot(record);
            int length = ActiveRecord.ImageLength(record);
            uint crc = ActiveRecord.ImageCrc(record);
            PolicyTable table = null;
            DeployStatus status = length < 0 ? DeployStatus.ImageCrcMismatch : Verify(slot, length, crc, false, out table);
            if (status != DeployStatus.Ok)
            {
                _storageFault |= status == DeployStatus.StorageFailed;
                return false;
            }

            _currentSlot = slot;
            _currentRecordFile = recordFile;
            CurrentLength = length;
            CurrentCrc = crc;
            CurrentGeneration = ActiveRecord.Generation(record);
            CurrentVersion = table.PolicyVersion;
            _live.Use(table);
            return true;
        }

        private int SafeLength(int file)
        {
            try
            {
                return _storage.Length(file);
            }
            catch (System.Exception)
            {
                return -1;
            }
        }

        /// <summary>A new policy must be above the highest version accepted; the same version is only the same image (already in force).</summary>
        private DeployStatus Freshness(uint version, int length, uint imageCrc)
        {
            if (version > _highestVersion)
            {
                return DeployStatus.Ok;
            }

            if (version < _highestVersion)
            {
                return DeployStatus.Rollback;
            }

            return HasPolicy && CurrentLength == length && CurrentCrc == imageCrc ? DeployStatus.AlreadyActive : DeployStatus.VersionReused;
        }

        /// <summary>
        /// Image CRC over the slot, then the full policy-file validation (HMAC first, streaming), format 2, the node's
        /// sizes and, for a new image (<paramref name="requireNewer"/>), the anti-rollback version.
        /// </summary>
        private DeployStatus Verify(int slot, int length, uint imageCrc, bool requireNewer, out PolicyTable table)
        {
            table = null;
            LastErrorOffset = -1;
            LastPolicyError = new PolicyFileError(PolicyStatus.Ok, -1);
            try
            {
                if (_storage.Length(slot) < length)
                {
                    return DeployStatus.ImageCrcMismatch;
                }

                // The image CRC leaves out the file's own CRC trailer (PolicyIdentity); TryOpen checks that one.
                int covered = PolicyIdentity.CoveredLength(length);
                uint register = EdgeMarl.Shared.Integrity.Crc32.Start();
                for (int position = 0; position < covered; position += ScratchBytes)
                {
                    int count = covered - position < ScratchBytes ? covered - position : ScratchBytes;
                    if (_storage.Read(slot, position, _scratch, 0, count) != count)
                    {
                        return DeployStatus.ImageCrcMismatch;
                    }

                    register = EdgeMarl.Shared.Integrity.Crc32.Append(register, _scratch, 0, count);
                }

                if (EdgeMarl.Shared.Integrity.Crc32.Finish(register) != imageCrc)
                {
                    return DeployStatus.ImageCrcMismatch;
                }

                PolicyFileError error;
                PolicyTable opened;
                if (!PolicyTable.TryOpen(new StorageSlotSource(_storage, slot, length), _pageLength, _pageCount, _authenticator, out opened, out error))
                {
                    LastPolicyError = error;
                    LastErrorOffset = error.ByteOffset;
                    return error.Status == PolicyStatus.ReadFailed ? DeployStatus.StorageFailed : DeployStatus.PolicyRejected;
                }

                if (opened.FormatVersion < PolicyFileLayout.FormatVersion)
                {
                    // v1 has no policy version to hold the floor with: refused on the device (docs/policy-format.md).
                    LastPolicyError = new PolicyFileError(PolicyStatus.UnsupportedVersion, PolicyFileLayout.VersionOffset);
                    LastErrorOffset = PolicyFileLayout.VersionOffset;
                    return DeployStatus.PolicyRejected;
                }

                int wrongField = WrongSizeField(opened);
                if (wrongField >= 0)
                {
                    LastErrorOffset = wrongField;
                    return DeployStatus.WrongGame;
                }

                LastVerifiedVersion = opened.PolicyVersion;
                if (requireNewer)
                {
                    DeployStatus fresh = Freshness(opened.PolicyVersion, length, imageCrc);
                    if (fresh != DeployStatus.Ok)
                    {
                        LastErrorOffset = PolicyFileLayout.PolicyVersionOffset;
                        return fresh;
                    }
                }

                table = opened;
                return DeployStatus.Ok;
            }
            catch (System.Exception)
            {
                return DeployStatus.StorageFailed;
            }
        }

        /// <summary>Header offset of the first size that differs from the node's, or −1.</summary>
        private int WrongSizeField(PolicyTable table)
        {
            if (table.GlobalStates != _expected.GlobalStates)
            {
                return PolicyFileLayout.GlobalStatesOffset;
            }

            if (table.GlobalActions != _expected.GlobalActions)
            {
                return PolicyFileLayout.GlobalActionsOffset;
            }

            if (table.LocalStates != _expected.LocalStates)
            {
                return PolicyFileLayout.LocalStatesOffset;
            }

            if (table.LocalActions != _expected.LocalActions)
            {
                return PolicyFileLayout.LocalActionsOffset;
            }

            // A typed policy must have rows for this robot's type (docs/heterogeneity.md §8), and be for this fleet when the
            // image pins the fleet's game hash.
            if (_expected.RobotType >= table.RobotTypes)
            {
                return PolicyFileLayout.RobotTypesOffset;
            }

            if (_expected.GameHash != null)
            {
                for (int i = 0; i < PolicyFileLayout.HashLength; i++)
                {
                    // A read failure (-1) never equals a hash byte, so it is a mismatch too.
                    if (!table.CopyBytes(PolicyFileLayout.GameHashOffset + i, _hashByte, 0, 1) || _hashByte[0] != _expected.GameHash[i])
                    {
                        return PolicyFileLayout.GameHashOffset + i;
                    }
                }
            }

            // A gateway polls k = MinSampleSize and acts by the largest stored table k' <= k (it subsamples its replies to it:
            // a lifted policy, docs/policy-format.md), so it needs a table at or below k, and one that sees a robot. Robots
            // (MinSampleSize 0) read no global table.
            if (_expected.MinSampleSize < 1)
            {
                return -1;
            }

            if (table.KMin > _expected.MinSampleSize)
            {
                return PolicyFileLayout.MinSampleSizeOffset;
            }

            return table.K < 1 ? PolicyFileLayout.SampleSizeOffset : -1;
        }
    }
}
