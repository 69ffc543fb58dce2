namespace EdgeMarl.Firmware.Boundary
{
    /// <summary>Where portable node logic writes its operator lines (ESP32: <c>Debug.WriteLine</c>; host: a test list or the console).</summary>
    public interface INodeLog
    {
        /// <summary>Writes one line. Called on events (a rollout starts, ends, a link is lost), never per tick.</summary>
        /// <param name="line">The line, without a newline.</param>
        void Write(string line);
    }
}
