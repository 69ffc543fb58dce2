using EdgeMarl.Shared.Deployment;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// The device's <see cref="ProvisioningRecord"/> on flash, power-cut safe as the policy store's records are: two
    /// copies, each with a generation and a CRC; a write goes to the copy not in force with the next generation and
    /// is read back; boot takes the valid copy of highest generation (docs/provisioning.md). A cut during a write
    /// leaves the old record (the torn copy fails its CRC) or the new one.
    /// </summary>
    public sealed class ProvisioningStore
    {
        private readonly IRecordFiles _files;
        private readonly byte[] _buffer;
        private readonly byte[] _check;
        private int _currentCopy = -1;
        private uint _maxGeneration;

        /// <summary>Initializes a new instance of the <see cref="ProvisioningStore"/> class; call <see cref="Boot"/> next.</summary>
        /// <param name="files">The two record copies.</param>
        public ProvisioningStore(IRecordFiles files)
        {
            _files = files;
            _buffer = new byte[ProvisioningRecord.Length];
            _check = new byte[ProvisioningRecord.Length];
        }

        /// <summary>Gets the record in force, or null when the device is not provisioned (or both copies are corrupt).</summary>
        public ProvisioningRecord Current { get; private set; }

        /// <summary>Gets the number of copies found corrupt at the last <see cref="Boot"/> (0, 1 or 2; a missing copy is not corrupt).</summary>
        public int CorruptCopies { get; private set; }

        /// <summary>Reads both copies and puts the newest valid one in force.</summary>
        /// <returns>True when the device is provisioned.</returns>
        public bool Boot()
        {
            Current = null;
            _currentCopy = -1;
            _maxGeneration = 0;
            CorruptCopies = 0;
            for (int copy = 0; copy < 2; copy++)
            {
                int read;
                try
                {
                    read = _files.Read(copy, _buffer, 0, ProvisioningRecord.Length);
                }
                catch (System.Exception)
                {
                    CorruptCopies++;
                    continue;
                }

                if (read == 0)
                {
                    continue;
                }

                if (!ProvisioningRecord.IsValid(_buffer, 0, read))
                {
                    CorruptCopies++;
                    continue;
                }

                ProvisioningRecord record = ProvisioningRecord.Decode(_buffer, 0);
                if (Current == null || record.Generation > Current.Generation)
                {
                    Current = record;
                    _currentCopy = copy;
                }

                if (record.Generation > _maxGeneration)
                {
                    _maxGeneration = record.Generation;
                }
            }

            return Current != null;
        }

        /// <summary>Writes <paramref name="record"/> (its generation is set here) into the copy not in force and reads it back.</summary>
        /// <param name="record">A record whose <see cref="ProvisioningRecord.Problem"/> is null.</param>
        /// <returns><see cref="DeployStatus.Ok"/>, <see cref="DeployStatus.BadRequest"/> (a field out of range) or <see cref="DeployStatus.StorageFailed"/> (the old record stays).</returns>
        public DeployStatus Write(ProvisioningRecord record)
        {
            if (record == null || record.Problem() != null)
            {
                return DeployStatus.BadRequest;
            }

            int copy = _currentCopy == 0 ? 1 : 0;
            record.Generation = _maxGeneration + 1;
            record.Encode(_buffer, 0);
            try
            {
                _files.Write(copy, _buffer, 0, ProvisioningRecord.Length);
                if (_files.Read(copy, _check, 0, ProvisioningRecord.Length) != ProvisioningRecord.Length)
                {
                    return DeployStatus.StorageFailed;
                }
            }
            catch (System.Exception)
            {
                return DeployStatus.StorageFailed;
            }

            for (int i = 0; i < ProvisioningRecord.Length; i++)
            {
                if (_check[i] != _buffer[i])
                {
                    return DeployStatus.StorageFailed;
                }
            }

            _maxGeneration = record.Generation;
            _currentCopy = copy;
            Current = ProvisioningRecord.Decode(_buffer, 0);
            return DeployStatus.Ok;
        }
    }
}
