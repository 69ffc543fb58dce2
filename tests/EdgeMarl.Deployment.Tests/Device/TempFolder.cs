namespace EdgeMarl.Deployment.Tests.Device;

/// <summary>A fresh directory under the temp folder, deleted on dispose; <see cref="Root"/> ends with a separator.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("edgemarl-device-").FullName;
    }

    public string Path { get; }

    public string Root => Path + System.IO.Path.DirectorySeparatorChar;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A handle still open on some platform: leave the folder to the OS's temp cleanup.
        }
    }
}
