// The header of a .npy file (format versions 1.0, 2.0, 3.0): magic, version, and the Python dict literal
// {'descr': ..., 'fortran_order': ..., 'shape': (...)} that describes the array.
using System.Buffers.Binary;
using System.Text;

namespace MultiRec.Data;

/// <summary>What a .npy header says: element type, shape, where the data starts.</summary>
public sealed class NpyHeader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    internal NpyHeader(int majorVersion, NpyDtype dtype, int[] shape, long dataOffset)
    {
        MajorVersion = majorVersion;
        DataType = dtype;
        Shape = shape;
        DataOffset = dataOffset;
    }

    /// <summary>Format major version: 1, 2 or 3.</summary>
    public int MajorVersion { get; }

    /// <summary>The dtype in canonical form, e.g. "&lt;f4" or "|u1".</summary>
    public string Dtype => DataType.Descr;

    /// <summary>Array shape; empty for a 0-d array.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements (product of the shape).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Shape)
            {
                n *= d;
            }

            return n;
        }
    }

    /// <summary>Byte offset of the first element.</summary>
    public long DataOffset { get; }

    internal NpyDtype DataType { get; }

    /// <summary>Reads and validates the header from the start of <paramref name="stream"/>, leaving the stream at
    /// the first data byte. Only C-order, little-endian arrays of the supported dtypes are accepted.</summary>
    internal static NpyHeader Read(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[12];
        var got = stream.ReadAtLeast(prefix[..8], 8, throwOnEndOfStream: false);
        if (got < 8 || !prefix[..6].SequenceEqual(Magic))
        {
            throw new DataFormatException(path, "not a .npy file (missing the \\x93NUMPY magic bytes)");
        }

        int major = prefix[6];
        int minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw new DataFormatException(path, $"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }

        var lengthBytes = major == 1 ? 2 : 4;
        if (stream.ReadAtLeast(prefix.Slice(8, lengthBytes), lengthBytes, throwOnEndOfStream: false) < lengthBytes)
        {
            throw new DataFormatException(path, "truncated .npy header");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        if (headerLength > 1 << 20)
        {
            throw new DataFormatException(path, $"implausible .npy header length {headerLength}");
        }

        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
        {
            throw new DataFormatException(path, "truncated .npy header");
        }

        var text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var dict = NpyHeaderDict.Parse(text, path);
        var dtype = NpyDtype.Parse(dict.Descr, path);
        if (dict.FortranOrder)
        {
            throw new DataFormatException(path, "arrays in Fortran order are not supported (fortran_order must be False; save a C-order array)");
        }

        return new NpyHeader(major, dtype, dict.Shape, 6 + 2 + lengthBytes + headerLength);
    }

    /// <summary>Builds a complete header (magic, version, length, padded dict) for a little-endian C-order array.
    /// Uses version 1.0 unless the dict does not fit a 16-bit length, then 2.0.</summary>
    internal static byte[] Build(string descr, ReadOnlySpan<int> shape)
    {
        var shapeText = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0]},)",
            _ => "(" + string.Join(", ", shape.ToArray()) + ")",
        };
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        foreach (var version in new[] { 1, 2 })
        {
            var lengthBytes = version == 1 ? 2 : 4;
            var unpadded = 6 + 2 + lengthBytes + dict.Length + 1;
            var padding = (64 - (unpadded % 64)) % 64;
            var headerLength = dict.Length + padding + 1;
            if (version == 1 && headerLength > ushort.MaxValue)
            {
                continue;
            }

            var bytes = new byte[unpadded + padding];
            Magic.CopyTo(bytes);
            bytes[6] = (byte)version;
            bytes[7] = 0;
            if (version == 1)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
            }

            var offset = 8 + lengthBytes;
            Encoding.ASCII.GetBytes(dict, bytes.AsSpan(offset));
            bytes.AsSpan(offset + dict.Length, padding).Fill((byte)' ');
            bytes[^1] = (byte)'\n';
            return bytes;
        }

        throw new ArgumentException("shape too long for a .npy header", nameof(shape));
    }
}
