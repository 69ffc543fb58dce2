// COMPILE-ONLY STUBS: see README.md beside this file. Signatures from tools/EdgeMarl.Portability/nanoframework-api/;
// bodies throw. Never run, never shipped.
#pragma warning disable CS1591

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        COM2_TX = 197120,
        COM2_RX = 197121,
        COM3_TX = 197376,
        COM3_RX = 197377,
    }

    public static class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction function) => throw new System.NotSupportedException("compile-only stub");
    }
}

namespace nanoFramework.Runtime.Native
{
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
    }

    public class Power
    {
        public static void RebootDevice(RebootOption options = RebootOption.NormalReboot) => throw new System.NotSupportedException("compile-only stub");
    }
}

namespace System.Device.Wifi
{
    public enum WifiReconnectionKind
    {
        Automatic = 0,
        Manual = 1,
    }
}

namespace nanoFramework.Networking
{
    public enum NetworkHelperStatus
    {
        None = 0,
        NetworkIsReady = 2,
        FailedNoNetworkInterface = 3,
        ErrorConnetingToWiFiWhileScanning = 6,
        ExceptionOccurred = 7,
    }

    public static class WifiNetworkHelper
    {
        public static NetworkHelperStatus Status => throw new System.NotSupportedException("compile-only stub");

        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapter = 0, System.Threading.CancellationToken token = default) =>
            throw new System.NotSupportedException("compile-only stub");

        public static bool ConnectDhcp(string ssid, string password, System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapter = 0, System.Threading.CancellationToken token = default) =>
            throw new System.NotSupportedException("compile-only stub");
    }
}

namespace System.Net.NetworkInformation
{
    // nanoFramework's NetworkInterface (the .NET one, in System.Net.NetworkInformation.dll, is left out of the compilation).
    public class NetworkInterface
    {
        public byte[] PhysicalAddress
        {
            get => throw new System.NotSupportedException("compile-only stub");
            set => throw new System.NotSupportedException("compile-only stub");
        }

        public static NetworkInterface[] GetAllNetworkInterfaces() => throw new System.NotSupportedException("compile-only stub");

        public static bool GetIsNetworkAvailable() => throw new System.NotSupportedException("compile-only stub");
    }
}

namespace System.IO.Ports
{
    public enum Handshake
    {
        None = 0,
    }

    public enum Parity
    {
        None = 0,
    }

    public enum StopBits
    {
        One = 1,
        OnePointFive = 3,
    }

    public sealed class SerialPort : System.IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) =>
            throw new System.NotSupportedException("compile-only stub");

        public int BytesToRead => throw new System.NotSupportedException("compile-only stub");

        public Handshake Handshake
        {
            get => throw new System.NotSupportedException("compile-only stub");
            set => throw new System.NotSupportedException("compile-only stub");
        }

        public int ReadBufferSize
        {
            get => throw new System.NotSupportedException("compile-only stub");
            set => throw new System.NotSupportedException("compile-only stub");
        }

        public int ReadTimeout
        {
            get => throw new System.NotSupportedException("compile-only stub");
            set => throw new System.NotSupportedException("compile-only stub");
        }

        public void Open() => throw new System.NotSupportedException("compile-only stub");

        public int Read(byte[] buffer, int offset, int count) => throw new System.NotSupportedException("compile-only stub");

        public int ReadByte() => throw new System.NotSupportedException("compile-only stub");

        public void Write(byte[] buffer, int offset, int count) => throw new System.NotSupportedException("compile-only stub");

        public void Dispose()
        {
        }
    }
}
