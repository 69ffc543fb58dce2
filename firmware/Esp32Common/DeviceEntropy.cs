namespace EdgeMarl.Esp32
{
    /// <summary>
    /// nanoFramework ONLY. The one place the ESP32 programs take entropy (gateway epoch at a boot without epoch files, robot
    /// join nonces): <c>System.Random</c>, seeded natively by nanoFramework, mixed with the boot's timing. Not a seeded
    /// stream (those come from <c>Pcg32</c>): the portability check bans <c>System.Random</c> everywhere else and accepts it
    /// only in <see cref="Next"/> (tests/EdgeMarl.Portability.Tests/Esp32ProgramCompileTests.cs). Whether nanoFramework seeds
    /// it from the ESP32's hardware RNG is not verified here.
    /// </summary>
    public static class DeviceEntropy
    {
        /// <summary>Returns 64 bits of entropy: a fresh <c>System.Random</c> draw and the uptime in ms.</summary>
        /// <returns>Entropy bits.</returns>
        public static ulong Next()
        {
            return ((ulong)(uint)new System.Random().Next() << 32) ^ (ulong)System.Environment.TickCount64;
        }
    }
}
