namespace EdgeMarl.Host.Policies;

/// <summary>What a policy file's header says besides the sizes (docs/policy-format.md, "Header").</summary>
/// <param name="GameName">Game name, at most 32 UTF-8 bytes, no NUL.</param>
/// <param name="GameHash">SHA-256 of the game tables (<see cref="Games.GameHash"/>), 32 bytes.</param>
/// <param name="ConfigHash">Hash of the training configuration, 32 bytes (computed by the trainer).</param>
/// <param name="ProducerVersion">Version of the program that wrote the file, printable ASCII, at most 16 bytes.</param>
/// <param name="AgentCount">Fleet size <c>n</c> trained for, at least 1.</param>
/// <param name="PolicyVersion">Anti-rollback counter (v2 header): devices accept only versions above the highest they accepted.</param>
/// <param name="RobotTypes">
/// Robot types <c>T</c>: 1 writes the file exactly as before (format 2, 3 or 4); <c>T &gt; 1</c> writes format version 5 with <c>T</c> in
/// header byte 33 and the pair's <c>T·|S_l|</c> local states as <c>|S_l| = pair.LocalStates / T</c> (docs/policy-format.md "Version 5").
/// </param>
public sealed record PolicyFileMetadata(string GameName, byte[] GameHash, byte[] ConfigHash, string ProducerVersion, int AgentCount, uint PolicyVersion = 0, int RobotTypes = 1)
{
    /// <summary>Gets this assembly's version as <c>major.minor.build</c>, the producer version the CLI stamps.</summary>
    public static string CurrentProducerVersion
    {
        get
        {
            Version v = typeof(PolicyFileMetadata).Assembly.GetName().Version ?? new Version(0, 0, 0);
            return $"{v.Major}.{v.Minor}.{v.Build}";
        }
    }
}
