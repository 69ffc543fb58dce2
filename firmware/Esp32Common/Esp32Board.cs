using System.Device.Gpio;
using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Threading;
using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Supervision;
using EdgeMarl.Firmware.Transports;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Esp32
{
    /// <summary>
    /// nanoFramework ONLY. What the gateway and robot boards share of <see cref="INodePlatform"/>: Wi-Fi, MAC, HMAC,
    /// entropy, sleeping, serving the serial link while waiting, and the debug log. Each program adds only its own radio
    /// peers and sensor pins (<see cref="OpenRadio"/>, <see cref="OpenSensor"/>), so the two boards cannot drift apart.
    /// </summary>
    public abstract class Esp32Board : INodePlatform, INodeLog
    {
        /// <summary>Initializes a new instance of the <see cref="Esp32Board"/> class.</summary>
        /// <param name="gpio">The board's GPIO controller.</param>
        /// <param name="serial">The serial service (provisioning, device-info, uploads).</param>
        protected Esp32Board(GpioController gpio, DeviceSerialService serial)
        {
            Gpio = gpio;
            Serial = serial;
            Clock = new SystemClock();
        }

        /// <summary>Gets the board's GPIO controller.</summary>
        protected GpioController Gpio { get; private set; }

        /// <summary>Gets the serial service.</summary>
        public DeviceSerialService Serial { get; private set; }

        /// <summary>Gets the monotonic clock the program ticks on.</summary>
        public SystemClock Clock { get; private set; }

        /// <inheritdoc/>
        public bool NetworkUp
        {
            get { return NetworkInterface.GetIsNetworkAvailable(); }
        }

        /// <inheritdoc/>
        public byte[] ReadMac()
        {
            return DeviceSetup.ReadMac();
        }

        /// <inheritdoc/>
        public bool ConnectNetwork(NodeSettings settings)
        {
            return DeviceSetup.ConnectWifi(settings);
        }

        /// <inheritdoc/>
        public abstract IRadio OpenRadio(NodeSettings settings, int peerCapacity);

        /// <inheritdoc/>
        public abstract object OpenSensor(int states);

        /// <inheritdoc/>
        public IFrameAuthenticator CreateFrameAuthenticator(byte[] key)
        {
            return new NanoHmacSha256Authenticator(key);
        }

        /// <inheritdoc/>
        public ulong Entropy()
        {
            // Boot timing (Wi-Fi association time varies) and the runtime's random source (DeviceEntropy).
            return DeviceEntropy.Next();
        }

        /// <inheritdoc/>
        public void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }

        /// <inheritdoc/>
        public bool Wait(int milliseconds)
        {
            return DeviceSetup.WaitServing(Serial, milliseconds);
        }

        /// <inheritdoc/>
        public void Write(string line)
        {
            Debug.WriteLine(line);
        }
    }
}
