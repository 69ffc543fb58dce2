using System.IO;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// A policy file on a file system read in slices (the first-boot preload <c>I:\policy.empol</c>), so importing
    /// it never holds the whole file in RAM. Each read opens and closes the file, as <see cref="FileSystemPolicyStorage"/> does.
    /// </summary>
    public sealed class FilePolicySource : IPolicySource
    {
        private readonly string _path;
        private readonly int _length;

        /// <summary>Initializes a new instance of the <see cref="FilePolicySource"/> class.</summary>
        /// <param name="path">The file; must exist and stay unchanged while used.</param>
        /// <exception cref="IOException">The file cannot be opened, or is larger than 2 GB.</exception>
        public FilePolicySource(string path)
        {
            _path = path;
            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                if (stream.Length > int.MaxValue)
                {
                    throw new IOException("policy file larger than 2 GB: " + path);
                }

                _length = (int)stream.Length;
            }
        }

        /// <inheritdoc/>
        public int Length
        {
            get { return _length; }
        }

        /// <inheritdoc/>
        public int Read(int position, byte[] buffer, int offset, int count)
        {
            using (FileStream stream = new FileStream(_path, FileMode.Open, FileAccess.Read))
            {
                stream.Seek(position, SeekOrigin.Begin);
                int total = 0;
                while (total < count)
                {
                    int n = stream.Read(buffer, offset + total, count - total);
                    if (n <= 0)
                    {
                        break;
                    }

                    total += n;
                }

                return total;
            }
        }
    }
}
