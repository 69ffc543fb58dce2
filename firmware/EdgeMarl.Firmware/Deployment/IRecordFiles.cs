namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>Two small files (copies 0 and 1) holding alternating generations of one record (provisioning, fault counters).</summary>
    public interface IRecordFiles
    {
        /// <summary>Reads up to <paramref name="count"/> bytes of copy <paramref name="copy"/>; 0 when it does not exist.</summary>
        /// <param name="copy">0 or 1.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First destination byte.</param>
        /// <param name="count">Bytes wanted.</param>
        /// <returns>Bytes read.</returns>
        int Read(int copy, byte[] buffer, int offset, int count);

        /// <summary>Replaces copy <paramref name="copy"/> with the bytes and makes them durable before returning.</summary>
        /// <param name="copy">0 or 1.</param>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First source byte.</param>
        /// <param name="count">Bytes.</param>
        void Write(int copy, byte[] buffer, int offset, int count);
    }
}
