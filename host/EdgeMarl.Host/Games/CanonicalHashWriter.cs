using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EdgeMarl.Host.Games;

/// <summary>
/// The canonical encoding the game hashes share (docs/policy-format.md, "Game hash"; docs/game-spec.md): little-endian
/// Int32s, Float64s with <c>−0.0</c> written as <c>+0.0</c>, and tables as an Int32 length followed by their values, fed
/// into one SHA-256.
/// </summary>
internal sealed class CanonicalHashWriter : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _scratch = new byte[8];

    /// <summary>Appends raw bytes (a format tag or a nested hash).</summary>
    public void Bytes(byte[] data) => _hash.AppendData(data);

    /// <summary>Appends an Int32.</summary>
    public void Int(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
        _hash.AppendData(_scratch, 0, 4);
    }

    /// <summary>Appends a Float64, <c>−0.0</c> as <c>+0.0</c> so equal tables hash equal.</summary>
    public void Real(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_scratch, value == 0 ? 0.0 : value);
        _hash.AppendData(_scratch);
    }

    /// <summary>Appends a table: its Int32 length, then its values.</summary>
    public void Table(double[] values)
    {
        Int(values.Length);
        foreach (double value in values)
        {
            Real(value);
        }
    }

    /// <summary>Returns the 32-byte SHA-256 of everything appended.</summary>
    public byte[] Finish() => _hash.GetHashAndReset();

    /// <inheritdoc/>
    public void Dispose() => _hash.Dispose();
}
