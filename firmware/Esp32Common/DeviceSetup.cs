using System.Diagnostics;
using System.IO;
using System.Threading;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;

namespace EdgeMarl.Esp32
{
    /// <summary>nanoFramework ONLY. Start-up steps both ESP32 programs share: Wi-Fi, fleet key, policy, upload port.</summary>
    public static class DeviceSetup
    {
        /// <summary>Joins the Wi-Fi network stored on the device (<c>nanoff --networkdeployment</c>), waiting up to 60 s.</summary>
        /// <returns>True when an IP address was obtained.</returns>
        public static bool ConnectWifi()
        {
            CancellationTokenSource timeout = new CancellationTokenSource(60000);
            bool connected = WifiNetworkHelper.Reconnect(false, 0, timeout.Token);
            if (!connected)
            {
                Debug.WriteLine("wifi: no connection, status " + ((int)WifiNetworkHelper.Status).ToString());
            }

            return connected;
        }

        /// <summary>Reads the fleet key from <see cref="FleetSettings.FleetKeyPath"/>.</summary>
        /// <returns>The key, or null when the file is missing or shorter than 16 bytes.</returns>
        public static byte[] ReadFleetKey()
        {
            if (!File.Exists(FleetSettings.FleetKeyPath))
            {
                return null;
            }

            byte[] key = File.ReadAllBytes(FleetSettings.FleetKeyPath);
            return key.Length >= 16 ? key : null;
        }

        /// <summary>Gets the policy store opened by <see cref="LoadPolicy"/> (for the serial receiver and the radio rollout), or null.</summary>
        public static PolicyStore Store { get; private set; }

        /// <summary>
        /// Opens the A/B policy store on <c>I:\</c> (docs/policy-store.md) and returns its live policy: the newest
        /// committed policy that verifies. At first boot, a policy preloaded at <see cref="FleetSettings.PolicyPath"/>
        /// is imported through the same checks. Lookups then read the slot in place through a 1 KB page cache.
        /// </summary>
        /// <param name="fleetKey">The fleet key (<see cref="ReadFleetKey"/>); without it no policy is loaded or accepted and <see cref="Store"/> stays null.</param>
        /// <param name="minSampleSize">The gateway's <see cref="FleetSettings.SampleSize"/> (a policy needs a table at or below it), 0 on robots.</param>
        /// <returns>The live policy, or null when no valid policy is installed.</returns>
        /// <remarks>Every policy (stored, preloaded, uploaded, radio-staged) is verified with the key, streaming from flash (docs/policy-store.md).</remarks>
        public static IPolicyLookup LoadPolicy(byte[] fleetKey, int minSampleSize)
        {
            if (fleetKey == null)
            {
                Debug.WriteLine("policy: no fleet key at " + FleetSettings.FleetKeyPath + " (>= 16 bytes); no policy is loaded or accepted until it is provisioned");
                Store = null;
                return null;
            }

            PolicyExpectations game = new PolicyExpectations();
            game.GlobalStates = FleetSettings.GameGlobalStates;
            game.GlobalActions = FleetSettings.GameGlobalActions;
            game.LocalStates = FleetSettings.GameLocalStates;
            game.LocalActions = FleetSettings.GameLocalActions;
            game.MinSampleSize = minSampleSize;
            PolicyStore store = new PolicyStore(new FileSystemPolicyStorage(FleetSettings.PolicyStoreRoot, FleetSettings.PolicySlotBytes), game, new StreamingHmacSha256Authenticator(fleetKey), 256, 4);
            Store = store;
            if (store.Boot())
            {
                return store.Live;
            }

            if (!File.Exists(FleetSettings.PolicyPath))
            {
                Debug.WriteLine("policy: store empty and " + FleetSettings.PolicyPath + " missing");
                return null;
            }

            // In 512-byte slices: the preload is never held in RAM whole.
            DeployStatus status = PolicyImport.Import(store, new FilePolicySource(FleetSettings.PolicyPath));

            if (status != DeployStatus.Ok)
            {
                // Status codes, not exceptions, on the device (docs/policy-format.md, docs/policy-store.md list them).
                Debug.WriteLine("policy: store empty and import of " + FleetSettings.PolicyPath + " refused, status " + ((int)status).ToString() + ", policy status " + ((int)store.LastPolicyError.Status).ToString() + " at byte " + store.LastErrorOffset.ToString());
                return null;
            }

            return store.Live;
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

        /// <summary>
        /// For a node whose store holds no valid policy: serves serial uploads until one is verified and committed
        /// (<paramref name="receiver"/> must commit on finish), so a blank board is set up with <c>edgemarl upload</c>.
        /// </summary>
        /// <param name="receiver">A receiver over the upload port on <see cref="Store"/>, committing on finish.</param>
        /// <returns>The live policy.</returns>
        public static IPolicyLookup WaitForSerialPolicy(SerialPolicyReceiver receiver)
        {
            Debug.WriteLine("policy: none installed; waiting for `edgemarl upload` on " + FleetSettings.UploadPort);
            int finished = receiver.Completed;
            while (!Store.HasPolicy)
            {
                receiver.Poll(FleetSettings.SerialPollMs);
                ReportUpload(receiver, ref finished);
            }

            return Store.Live;
        }

        /// <summary>Logs the outcome of each finished upload once (the uploader reports the details to the operator).</summary>
        /// <param name="receiver">The node's serial receiver.</param>
        /// <param name="reported">The receiver's <see cref="SerialPolicyReceiver.Completed"/> last reported; updated.</param>
        /// <returns>True when an upload ended verified since the last call.</returns>
        public static bool ReportUpload(SerialPolicyReceiver receiver, ref int reported)
        {
            if (receiver.Completed == reported)
            {
                return false;
            }

            reported = receiver.Completed;
            Debug.WriteLine(Store.HasStaged
                ? "upload: verified, " + Store.StagedLength.ToString() + " B staged for the fleet rollout"
                : "upload: verified and in force, " + Store.CurrentLength.ToString() + " B");
            return true;
        }
    }
}
