// Reads and writes NumPy .npy files: any supported array (NpyArray), the strict item-feature reader, and writers.
using System.Runtime.InteropServices;

namespace MultiRec.Data;

/// <summary>.npy input and output. Reads format versions 1.0/2.0/3.0, C order, little-endian &lt;f4 &lt;f8 &lt;i4 &lt;i8
/// |u1 |b1; writes &lt;f4 and &lt;i4 (version 1.0, or 2.0 when the header is too long) atomically.</summary>
public static class NpyFile
{
    private const int ReadBlockBytes = 1 << 20;

    /// <summary>Reads only the header: dtype, shape and data offset, validated as in <see cref="Read"/>.</summary>
    public static NpyHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        var header = NpyHeader.Read(stream, path);
        CheckDataLength(header, stream.Length, path);
        return header;
    }

    /// <summary>Reads a whole array of any supported dtype.</summary>
    public static NpyArray Read(string path)
    {
        EnsureLittleEndianHost();
        using var stream = OpenRead(path);
        var header = NpyHeader.Read(stream, path);
        var bytes = CheckDataLength(header, stream.Length, path);
        if (bytes > Array.MaxLength)
        {
            throw new DataFormatException(path, $"array of {bytes} bytes is too large to read at once");
        }

        var data = new byte[bytes];
        stream.ReadExactly(data);
        return new NpyArray(path, header.DataType, header.Shape, data);
    }

    /// <summary>Reads an item-feature matrix strictly: a 2-D &lt;f4 or &lt;f8 array (float64 is rounded to float32),
    /// every value finite (a NaN or infinity is an error naming the row), and, when given, exactly
    /// <paramref name="expectedRows"/> rows. Streams the data, so float64 files need no float64 copy in memory.</summary>
    public static FeatureMatrix ReadFeatureMatrix(string path, int? expectedRows = null) => ReadFeatureMatrix(path, expectedRows, "item");

    /// <summary><see cref="ReadFeatureMatrix(string, int?)"/> for a matrix whose rows are <paramref name="rowName"/>s
    /// ("item", or "user" for user_emb.npy): the messages name them so.</summary>
    public static FeatureMatrix ReadFeatureMatrix(string path, int? expectedRows, string rowName)
    {
        EnsureLittleEndianHost();
        using var stream = OpenRead(path);
        var header = NpyHeader.Read(stream, path);
        if (header.Shape.Length != 2)
        {
            throw new DataFormatException(path, $"feature matrix must be 2-D (items, dim) but has shape ({string.Join(", ", header.Shape)})");
        }

        if (!header.DataType.IsFloat)
        {
            throw new DataFormatException(path, $"feature matrix must have dtype <f4 or <f8, not '{header.Dtype}'");
        }

        int rows = header.Shape[0], cols = header.Shape[1];
        if (expectedRows is { } expected && rows != expected)
        {
            throw new DataFormatException(path, $"{(rowName == "item" ? "feature" : "embedding")} matrix has {rows} rows but the dataset has {expected} {rowName}s (row r must be {rowName} r)");
        }

        CheckDataLength(header, stream.Length, path);
        if ((long)rows * cols > Array.MaxLength)
        {
            throw new DataFormatException(path, $"feature matrix {rows}x{cols} is too large for one float32 array");
        }

        var values = new float[rows * cols];
        if (cols > 0)
        {
            ReadFloatRows(stream, header.DataType, values, rows, cols, path, rowName);
        }

        return new FeatureMatrix(rows, cols, values);
    }

    /// <summary>Writes a (rows, cols) &lt;f4 array, C order, atomically.</summary>
    public static void Write(string path, ReadOnlySpan<float> values, int rows, int cols)
    {
        if (values.Length != (long)rows * cols)
        {
            throw new ArgumentException($"{values.Length} values do not fill a {rows}x{cols} matrix", nameof(values));
        }

        using var writer = new NpyFloat32Writer(path, rows, cols);
        writer.WriteRows(values);
        writer.Complete();
    }

    /// <summary>Writes an &lt;i4 array of the given shape (e.g. ids for fixtures), C order, atomically.</summary>
    public static void Write(string path, ReadOnlySpan<int> values, params int[] shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not match shape ({string.Join(", ", shape)})", nameof(values));
        }

        EnsureLittleEndianHost();
        using var file = new AtomicFile(path);
        file.Stream.Write(NpyHeader.Build(NpyDtype.Int32.Descr, shape));
        file.Stream.Write(MemoryMarshal.AsBytes(values));
        file.Commit();
    }

    internal static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".npy I/O is implemented for little-endian machines only");
        }
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", inner: e);
        }
    }

    /// <summary>The data length the header implies; the file must hold exactly that many bytes after the header.</summary>
    private static long CheckDataLength(NpyHeader header, long fileLength, string path)
    {
        var count = header.ElementCount;
        if (count > long.MaxValue / header.DataType.ItemSize)
        {
            throw new DataFormatException(path, "shape is too large");
        }

        var expected = count * header.DataType.ItemSize;
        var actual = fileLength - header.DataOffset;
        if (actual < expected)
        {
            throw new DataFormatException(path, $"truncated: shape ({string.Join(", ", header.Shape)}) of {header.Dtype} needs {expected} data bytes, the file has {actual}");
        }

        if (actual > expected)
        {
            throw new DataFormatException(path, $"{actual - expected} unexpected bytes after the data of shape ({string.Join(", ", header.Shape)})");
        }

        return expected;
    }

    /// <summary>Checks an item-feature matrix as <see cref="ReadFeatureMatrix(string, int?, string)"/> does (shape, dtype, rows, every value
    /// finite) without keeping it: the data is streamed through one block of about 1 MiB. Used by `data stats`.</summary>
    public static void CheckFeatureValues(string path, int? expectedRows = null)
    {
        EnsureLittleEndianHost();
        using var stream = OpenRead(path);
        var header = NpyHeader.Read(stream, path);
        if (header.Shape.Length != 2 || !header.DataType.IsFloat)
        {
            throw new DataFormatException(path, $"feature matrix must be a 2-D <f4 or <f8 array, not {header.Dtype} of shape ({string.Join(", ", header.Shape)})");
        }

        int rows = header.Shape[0], cols = header.Shape[1];
        if (expectedRows is { } expected && rows != expected)
        {
            throw new DataFormatException(path, $"feature matrix has {rows} rows but the dataset has {expected} items (row r must be item r)");
        }

        CheckDataLength(header, stream.Length, path);
        if (cols > 0)
        {
            ReadFloatRows(stream, header.DataType, null, rows, cols, path, "item");
        }
    }

    /// <summary>Reads float rows block by block into <paramref name="values"/> (or, when it is null, through one
    /// scratch block that is discarded), converting float64 and checking finiteness.</summary>
    private static void ReadFloatRows(Stream stream, NpyDtype dtype, float[]? values, int rows, int cols, string path, string rowName)
    {
        var rowBytes = (long)cols * dtype.ItemSize;
        var rowsPerBlock = (int)Math.Max(1, ReadBlockBytes / rowBytes);
        byte[]? buffer = dtype.Kind == NpyKind.Float64 ? new byte[rowsPerBlock * rowBytes] : null;
        var scratch = values is null ? new float[(long)Math.Min(rowsPerBlock, rows) * cols] : null;
        for (var start = 0; start < rows; start += rowsPerBlock)
        {
            var count = Math.Min(rowsPerBlock, rows - start);
            var block = values is null ? scratch.AsSpan(0, count * cols) : values.AsSpan(start * cols, count * cols);
            if (buffer is null)
            {
                stream.ReadExactly(MemoryMarshal.AsBytes(block));
            }
            else
            {
                var raw = buffer.AsSpan(0, block.Length * sizeof(double));
                stream.ReadExactly(raw);
                NpyConvert.Float64ToFloat32(MemoryMarshal.Cast<byte, double>(raw), block);
            }

            var bad = NpyConvert.IndexOfNonFinite(block);
            if (bad >= 0)
            {
                var row = start + (bad / cols);
                var col = bad % cols;
                var what = float.IsNaN(block[bad]) ? "NaN" : buffer is null ? "infinite" : "infinite or beyond the float32 range";
                throw new DataFormatException(path, $"row {row} ({rowName} {row}), column {col} is {what}; values must be finite");
            }
        }
    }
}
