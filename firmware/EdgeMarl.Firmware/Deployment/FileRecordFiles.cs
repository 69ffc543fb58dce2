using System.IO;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary><see cref="IRecordFiles"/> as <c>ROOT NAME-0.rec</c> and <c>ROOT NAME-1.rec</c> (on ESP32 under <c>I:\</c>).</summary>
    public sealed class FileRecordFiles : IRecordFiles
    {
        private readonly string _path0;
        private readonly string _path1;

        /// <summary>Initializes a new instance of the <see cref="FileRecordFiles"/> class.</summary>
        /// <param name="root">Directory with a trailing separator.</param>
        /// <param name="name">Base name, e.g. <c>provision</c>.</param>
        public FileRecordFiles(string root, string name)
        {
            _path0 = root + name + "-0.rec";
            _path1 = root + name + "-1.rec";
        }

        /// <inheritdoc/>
        public int Read(int copy, byte[] buffer, int offset, int count)
        {
            string path = copy == 0 ? _path0 : _path1;
            if (!File.Exists(path))
            {
                return 0;
            }

            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                int total = 0;
                while (total < count)
                {
                    int read = stream.Read(buffer, offset + total, count - total);
                    if (read <= 0)
                    {
                        break;
                    }

                    total += read;
                }

                return total;
            }
        }

        /// <inheritdoc/>
        public void Write(int copy, byte[] buffer, int offset, int count)
        {
            using (FileStream stream = new FileStream(copy == 0 ? _path0 : _path1, FileMode.Create, FileAccess.Write))
            {
                stream.Write(buffer, offset, count);
                stream.Flush();
            }
        }
    }
}
