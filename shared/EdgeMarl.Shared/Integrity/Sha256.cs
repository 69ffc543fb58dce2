namespace EdgeMarl.Shared.Integrity
{
    /// <summary>
    /// SHA-256 (FIPS 180-4) computed incrementally: <see cref="Start"/>, any number of <see cref="Append"/> calls
    /// over array ranges, <see cref="Finish"/>. Managed and portable because nanoFramework's crypto API only
    /// hashes a whole array in one call, which would need the whole policy file in RAM.
    /// </summary>
    /// <remarks>
    /// All state lives in arrays made once by the constructor (a 64-byte block buffer, 8 + 64 words): after
    /// construction no call allocates, so verifying a policy of any size costs the same ≈ 0.4 KB of RAM.
    /// Not thread-safe.
    /// </remarks>
    public sealed class Sha256
    {
        /// <summary>Digest length in bytes.</summary>
        public const int HashLength = 32;

        /// <summary>Block length in bytes.</summary>
        public const int BlockLength = 64;

        private static readonly uint[] RoundConstants =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly uint[] _h = new uint[8];
        private readonly uint[] _w = new uint[64];
        private readonly byte[] _block = new byte[BlockLength];
        private int _blockUsed;
        private long _totalBytes;

        /// <summary>Initializes a new instance of the <see cref="Sha256"/> class, ready for <see cref="Append"/>.</summary>
        public Sha256()
        {
            Start();
        }

        /// <summary>Starts a new message (drops any bytes appended so far).</summary>
        public void Start()
        {
            _h[0] = 0x6a09e667;
            _h[1] = 0xbb67ae85;
            _h[2] = 0x3c6ef372;
            _h[3] = 0xa54ff53a;
            _h[4] = 0x510e527f;
            _h[5] = 0x9b05688c;
            _h[6] = 0x1f83d9ab;
            _h[7] = 0x5be0cd19;
            _blockUsed = 0;
            _totalBytes = 0;
        }

        /// <summary>Appends <c>buffer[offset .. offset+count)</c> to the message.</summary>
        /// <param name="buffer">Caller-owned bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Bytes, 0 or more.</param>
        /// <exception cref="System.ArgumentException">The range is outside the buffer.</exception>
        public void Append(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new System.ArgumentException("range outside the buffer", nameof(buffer));
            }

            _totalBytes += count;
            if (_blockUsed > 0)
            {
                int take = BlockLength - _blockUsed < count ? BlockLength - _blockUsed : count;
                System.Array.Copy(buffer, offset, _block, _blockUsed, take);
                _blockUsed += take;
                offset += take;
                count -= take;
                if (_blockUsed < BlockLength)
                {
                    return;
                }

                Compress(_block, 0);
                _blockUsed = 0;
            }

            // Whole blocks straight from the caller's buffer: no copy.
            while (count >= BlockLength)
            {
                Compress(buffer, offset);
                offset += BlockLength;
                count -= BlockLength;
            }

            if (count > 0)
            {
                System.Array.Copy(buffer, offset, _block, 0, count);
                _blockUsed = count;
            }
        }

        /// <summary>Pads the message, writes its 32-byte digest to <c>digest[offset ..]</c> and starts a new message.</summary>
        /// <param name="digest">Caller-owned destination, at least 32 bytes from <paramref name="offset"/>.</param>
        /// <param name="offset">First destination byte.</param>
        public void Finish(byte[] digest, int offset)
        {
            if (digest == null || offset < 0 || offset > digest.Length - HashLength)
            {
                throw new System.ArgumentException("digest needs 32 bytes", nameof(digest));
            }

            long bits = _totalBytes * 8;
            _block[_blockUsed++] = 0x80;
            if (_blockUsed > BlockLength - 8)
            {
                while (_blockUsed < BlockLength)
                {
                    _block[_blockUsed++] = 0;
                }

                Compress(_block, 0);
                _blockUsed = 0;
            }

            while (_blockUsed < BlockLength - 8)
            {
                _block[_blockUsed++] = 0;
            }

            for (int i = 0; i < 8; i++)
            {
                _block[BlockLength - 1 - i] = (byte)(bits >> (8 * i));
            }

            Compress(_block, 0);
            for (int i = 0; i < 8; i++)
            {
                uint v = _h[i];
                digest[offset + (4 * i)] = (byte)(v >> 24);
                digest[offset + (4 * i) + 1] = (byte)(v >> 16);
                digest[offset + (4 * i) + 2] = (byte)(v >> 8);
                digest[offset + (4 * i) + 3] = (byte)v;
            }

            Start();
        }

        private static uint Rotr(uint x, int n)
        {
            return (x >> n) | (x << (32 - n));
        }

        private void Compress(byte[] data, int offset)
        {
            uint[] w = _w;
            for (int t = 0; t < 16; t++)
            {
                int p = offset + (4 * t);
                w[t] = ((uint)data[p] << 24) | ((uint)data[p + 1] << 16) | ((uint)data[p + 2] << 8) | data[p + 3];
            }

            for (int t = 16; t < 64; t++)
            {
                uint x = w[t - 15];
                uint y = w[t - 2];
                uint s0 = Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
                uint s1 = Rotr(y, 17) ^ Rotr(y, 19) ^ (y >> 10);
                w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
            }

            uint a = _h[0], b = _h[1], c = _h[2], d = _h[3], e = _h[4], f = _h[5], g = _h[6], h = _h[7];
            for (int t = 0; t < 64; t++)
            {
                uint sum1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
                uint choose = (e & f) ^ (~e & g);
                uint t1 = unchecked(h + sum1 + choose + RoundConstants[t] + w[t]);
                uint sum0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
                uint majority = (a & b) ^ (a & c) ^ (b & c);
                uint t2 = unchecked(sum0 + majority);
                h = g;
                g = f;
                f = e;
                e = unchecked(d + t1);
                d = c;
                c = b;
                b = a;
                a = unchecked(t1 + t2);
            }

            _h[0] = unchecked(_h[0] + a);
            _h[1] = unchecked(_h[1] + b);
            _h[2] = unchecked(_h[2] + c);
            _h[3] = unchecked(_h[3] + d);
            _h[4] = unchecked(_h[4] + e);
            _h[5] = unchecked(_h[5] + f);
            _h[6] = unchecked(_h[6] + g);
            _h[7] = unchecked(_h[7] + h);
        }
    }
}
