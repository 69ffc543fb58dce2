using System.Diagnostics;
using System.IO;
using System.Net.NetworkInformation;
using System.Threading;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.Supervision;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;

namespace EdgeMarl.Esp32
{
    /// <summary>nanoFramework ONLY. Hardware start-up steps both ESP32 programs share: Wi-Fi, MAC, factory key file, game, upload port.</summary>
    public static class DeviceSetup
    {
        /// <summary>
        /// Joins Wi-Fi with DHCP, waiting up to 60 s: the provisioned SSID and password, or (SSID left out of the record)
        /// the network stored on the device with <c>nanoff --networkdeployment</c>.
        /// </summary>
        /// <param name="settings">The node's settings.</param>
        /// <returns>True when an IP address was obtained.</returns>
        public static bool ConnectWifi(NodeSettings settings)
        {
            CancellationTokenSource timeout = new CancellationTokenSource(60000);
            bool connected = settings.Ssid == null
                ? WifiNetworkHelper.Reconnect(false, 0, timeout.Token)
                : WifiNetworkHelper.ConnectDhcp(settings.Ssid, settings.Password, System.Device.Wifi.WifiReconnectionKind.Automatic, false, 0, timeout.Token);
            if (!connected)
            {
                Debug.WriteLine("wifi: no connection, status " + ((int)WifiNetworkHelper.Status).ToString());
            }

            return connected;
        }

        /// <summary>Returns the Wi-Fi MAC (for a MAC-derived robot id), or null.</summary>
        /// <returns>6 bytes, or null.</returns>
        public static byte[] ReadMac()
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            return interfaces.Length == 0 ? null : interfaces[0].PhysicalAddress;
        }

        /// <summary>Reads the factory key file <see cref="FleetSettings.FleetKeyPath"/> (the key of an unprovisioned bench device; a provisioned key wins).</summary>
        /// <returns>The key, or null when the file is missing or shorter than 16 bytes.</returns>
        public static byte[] ReadFleetKey()
        {
            if (!File.Exists(FleetSettings.FleetKeyPath))
            {
                return null;
            }

            byte[] key = File.ReadAllBytes(FleetSettings.FleetKeyPath);
            return key.Length >= 16 && key.Length <= 32 ? key : null;
        }

        /// <summary>The game this image is built for, as the policy store checks it.</summary>
        /// <param name="minSampleSize">The gateway's <see cref="FleetSettings.SampleSize"/> (a policy needs a table at or below it), 0 on robots.</param>
        /// <returns>The expectations.</returns>
        public static PolicyExpectations Game(int minSampleSize)
        {
            PolicyExpectations game = new PolicyExpectations();
            game.GlobalStates = FleetSettings.GameGlobalStates;
            game.GlobalActions = FleetSettings.GameGlobalActions;
            game.LocalStates = FleetSettings.GameLocalStates;
            game.LocalActions = FleetSettings.GameLocalActions;
            game.MinSampleSize = minSampleSize;
            return game;
        }

        /// <summary>
        /// The boot steps shared with the host stand-in: record, key and policy store on <c>I:\</c> (112 KB slots), the
        /// preloaded <see cref="FleetSettings.PolicyPath"/> imported once in 512-byte slices.
        /// </summary>
        /// <param name="minSampleSize">As for <see cref="Game"/>.</param>
        /// <returns>The boot steps.</returns>
        public static NodeBoot CreateBoot(int minSampleSize)
        {
            return new NodeBoot(
                DeviceIdentity.Provisioning,
                new FileSystemPolicyStorage(FleetSettings.PolicyStoreRoot, FleetSettings.PolicySlotBytes),
                Game(minSampleSize),
                FleetSettings.PolicyPath,
                ReadFleetKey(),
                true);
        }

        /// <summary>
        /// Assigns the upload UART's pins (<see cref="FleetSettings.UploadRxPin"/>, <see cref="FleetSettings.UploadTxPin"/>)
        /// and opens <see cref="FleetSettings.UploadPort"/> at <see cref="FleetSettings.UploadBaudRate"/>.
        /// </summary>
        /// <returns>The link, or null when uploads are disabled or the port cannot be opened (the node then runs without them).</returns>
        public static SerialPortLink OpenUploadPort()
        {
            string port = FleetSettings.UploadPort;
            if (port == "COM2")
            {
                Configuration.SetPinFunction(FleetSettings.UploadRxPin, DeviceFunction.COM2_RX);
                Configuration.SetPinFunction(FleetSettings.UploadTxPin, DeviceFunction.COM2_TX);
            }
            else if (port == "COM3")
            {
                Configuration.SetPinFunction(FleetSettings.UploadRxPin, DeviceFunction.COM3_RX);
                Configuration.SetPinFunction(FleetSettings.UploadTxPin, DeviceFunction.COM3_TX);
            }
            else
            {
                Debug.WriteLine("upload: serial uploads disabled");
                return null;
            }

            try
            {
                SerialPortLink link = new SerialPortLink(port, FleetSettings.UploadBaudRate);
                Debug.WriteLine("upload: listening on " + port + " (RX GPIO " + FleetSettings.UploadRxPin.ToString() + ", TX GPIO " + FleetSettings.UploadTxPin.ToString() + ")");
                return link;
            }
            catch (System.Exception)
            {
                Debug.WriteLine("upload: cannot open " + port + "; running without serial uploads");
                return null;
            }
        }

        /// <summary>Waits <paramref name="milliseconds"/>, serving the upload port (provision, device-info, uploads) in slices.</summary>
        /// <param name="serial">The serial service, or null (then it only sleeps).</param>
        /// <param name="milliseconds">How long.</param>
        /// <returns>True when an operator provisioned the device or an upload was verified meanwhile.</returns>
        public static bool WaitServing(DeviceSerialService serial, int milliseconds)
        {
            if (serial == null)
            {
                Thread.Sleep(milliseconds);
                return false;
            }

            long end = System.Environment.TickCount64 + milliseconds;
            while (System.Environment.TickCount64 < end)
            {
                serial.Poll(FleetSettings.SerialPollMs);
                if (serial.TakeOperatorChange())
                {
                    return true;
                }
            }

            return false;
        }
    }
}
