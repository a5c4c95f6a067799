// Builds .npy files byte by byte with hand-written headers, so reader tests do not depend on the writer under test.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MultiRec.Tests.Data;

internal static class NpyTestFiles
{
    /// <summary>Magic, version, little-endian header length (2 bytes for v1, 4 for v2/v3), the dict padded with
    /// spaces to a 64-byte boundary and a newline, then the data bytes.</summary>
    public static byte[] Build(int major, string dict, ReadOnlySpan<byte> data, bool pad = true)
    {
        var lengthBytes = major == 1 ? 2 : 4;
        var text = dict;
        if (pad)
        {
            var unpadded = 8 + lengthBytes + Encoding.UTF8.GetByteCount(dict) + 1;
            text += new string(' ', (64 - (unpadded % 64)) % 64);
        }

        text += "\n";
        var header = Encoding.UTF8.GetBytes(text);
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        var length = new byte[lengthBytes];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        }

        bytes.AddRange(length);
        bytes.AddRange(header);
        bytes.AddRange(data.ToArray());
        return [.. bytes];
    }

    public static string Dict(string descr, string shape, bool fortran = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";

    public static byte[] Bytes<T>(params T[] values)
        where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static string WriteFile(TempDir dir, string name, byte[] content)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
