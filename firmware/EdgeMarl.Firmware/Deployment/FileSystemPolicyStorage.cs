using System.IO;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// <see cref="IPolicyStorage"/> on a file system: nanoFramework's System.IO.FileSystem on the ESP32's internal
    /// <c>I:\</c> (LittleFS, 256 KB on a 4 MB flash), or any directory on the host. Files:
    /// <c>policy-a.empol</c>, <c>policy-b.empol</c>, <c>policy-0.rec</c>, <c>policy-1.rec</c> under the root.
    /// </summary>
    /// <remarks>
    /// <para>Reads go through one read handle per file, opened at the first read (when the store verifies a slot at
    /// boot or after an upload) and kept open, so a page-cache miss inside the gateway's lookup is a seek and a read:
    /// no <c>File.Exists</c>, no new <see cref="FileStream"/>, no allocation (docs/policy-store.md, "Handles").
    /// <see cref="Create"/> and <see cref="Write"/> close the file's read handle first, so the next read sees the new
    /// bytes; the store never writes the slot in force, so the live policy's handle is reopened only when a staged
    /// slot becomes the one in force (it was opened while verifying it).</para>
    /// <para>Writes open and close their own stream, so a closed stream is flushed and no write handle stays open
    /// across a reboot. <see cref="Create"/> writes zeros rather than calling <c>SetLength</c>, whose support on every
    /// nanoFramework file-system driver is unconfirmed. Owns one 256-byte zero buffer and four handle references.</para>
    /// </remarks>
    public sealed class FileSystemPolicyStorage : IPolicyStorage, System.IDisposable
    {
        private readonly string[] _paths;
        private readonly FileStream[] _readers;
        private readonly int _slotCapacity;
        private readonly byte[] _zeros;

        /// <summary>Initializes a new instance of the <see cref="FileSystemPolicyStorage"/> class.</summary>
        /// <param name="root">Directory with a trailing separator, e.g. <c>I:\</c>.</param>
        /// <param name="slotCapacity">Largest image per slot (docs/policy-store.md: 120 KB on a 256 KB <c>I:</c>).</param>
        public FileSystemPolicyStorage(string root, int slotCapacity)
        {
            _paths = new string[StoreFiles.Count];
            _paths[StoreFiles.SlotA] = root + "policy-a.empol";
            _paths[StoreFiles.SlotB] = root + "policy-b.empol";
            _paths[StoreFiles.Record0] = root + "policy-0.rec";
            _paths[StoreFiles.Record1] = root + "policy-1.rec";
            _readers = new FileStream[StoreFiles.Count];
            _slotCapacity = slotCapacity;
            _zeros = new byte[256];
        }

        /// <inheritdoc/>
        public int SlotCapacity
        {
            get { return _slotCapacity; }
        }

        /// <summary>Gets how many read handles were opened so far (a test hook: the tick must open none).</summary>
        public int HandlesOpened { get; private set; }

        /// <summary>Returns the path of a store file.</summary>
        /// <param name="file">A <see cref="StoreFiles"/> id.</param>
        /// <returns>The path.</returns>
        public string PathOf(int file)
        {
            return _paths[file];
        }

        /// <inheritdoc/>
        public int Length(int file)
        {
            FileStream reader = Reader(file);
            return reader == null ? -1 : (int)reader.Length;
        }

        /// <inheritdoc/>
        public void Create(int file, int length)
        {
            CloseReader(file);
            using (FileStream stream = new FileStream(_paths[file], FileMode.Create, FileAccess.Write))
            {
                for (int written = 0; written < length; written += _zeros.Length)
                {
                    int count = length - written < _zeros.Length ? length - written : _zeros.Length;
                    stream.Write(_zeros, 0, count);
                }

                stream.Flush();
            }
        }

        /// <inheritdoc/>
        public void Write(int file, int position, byte[] buffer, int offset, int count)
        {
            CloseReader(file);
            using (FileStream stream = new FileStream(_paths[file], FileMode.Open, FileAccess.ReadWrite))
            {
                if (position + count > stream.Length)
                {
                    throw new IOException("write past the end of " + _paths[file]);
                }

                stream.Seek(position, SeekOrigin.Begin);
                stream.Write(buffer, offset, count);
                stream.Flush();
            }
        }

        /// <inheritdoc/>
        public void Flush(int file)
        {
            // Every Write closes (and so flushes) its stream; nothing is buffered between calls.
        }

        /// <inheritdoc/>
        public int Read(int file, int position, byte[] buffer, int offset, int count)
        {
            FileStream reader = Reader(file);
            if (reader == null || position >= reader.Length)
            {
                return 0;
            }

            int total = 0;
            try
            {
                reader.Seek(position, SeekOrigin.Begin);
                while (total < count)
                {
                    int read = reader.Read(buffer, offset + total, count - total);
                    if (read <= 0)
                    {
                        break;
                    }

                    total += read;
                }
            }
            catch (IOException)
            {
                // A handle in a bad state is dropped so the next read reopens it; the caller sees the failure.
                CloseReader(file);
                throw;
            }

            return total;
        }

        /// <summary>Closes every read handle (before a reboot of the host stand-in, or to delete the files).</summary>
        public void Dispose()
        {
            for (int file = 0; file < _readers.Length; file++)
            {
                CloseReader(file);
            }
        }

        /// <summary>The file's read handle, opened on first use; null when the file does not exist.</summary>
        private FileStream Reader(int file)
        {
            FileStream reader = _readers[file];
            if (reader != null)
            {
                return reader;
            }

            if (!File.Exists(_paths[file]))
            {
                return null;
            }

            // FileShare.ReadWrite: a write handle opened later (Create, Write) closes this one first anyway, but the
            // host OS must not refuse it while the read handle of another file of the same store is open.
            reader = new FileStream(_paths[file], FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            _readers[file] = reader;
            HandlesOpened++;
            return reader;
        }

        private void CloseReader(int file)
        {
            FileStream reader = _readers[file];
            if (reader != null)
            {
                _readers[file] = null;
                reader.Dispose();
            }
        }
    }
}
