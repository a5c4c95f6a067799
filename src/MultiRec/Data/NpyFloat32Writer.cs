// Streams a (rows, cols) float32 matrix into a .npy file block by block, so huge feature files never sit in memory.
using System.Runtime.InteropServices;

namespace MultiRec.Data;

/// <summary>Writes a little-endian, C-order &lt;f4 .npy file of a known shape in row blocks. The file appears at
/// its path only after <see cref="Complete"/> has checked that every row was written (atomic temp + rename);
/// disposing before that discards it.</summary>
public sealed class NpyFloat32Writer : IDisposable
{
    private readonly AtomicFile _file;

    /// <summary>Starts writing a rows × cols float32 .npy file at <paramref name="path"/> (atomically, on completion).</summary>
    public NpyFloat32Writer(string path, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        Path = path;
        Rows = rows;
        Cols = cols;
        _file = new AtomicFile(path);
        _file.Stream.Write(NpyHeader.Build(NpyDtype.Float32.Descr, [rows, cols]));
    }

    /// <summary>The target file.</summary>
    public string Path { get; }

    /// <summary>Rows the file will hold.</summary>
    public int Rows { get; }

    /// <summary>Columns per row.</summary>
    public int Cols { get; }

    /// <summary>Rows written so far.</summary>
    public int RowsWritten { get; private set; }

    /// <summary>Appends whole rows: <paramref name="values"/> holds k * Cols floats.</summary>
    public void WriteRows(ReadOnlySpan<float> values)
    {
        if (Cols == 0 ? !values.IsEmpty : values.Length % Cols != 0)
        {
            throw new ArgumentException($"{values.Length} values are not whole rows of {Cols}", nameof(values));
        }

        var rows = Cols == 0 ? 0 : values.Length / Cols;
        if (rows > Rows - RowsWritten)
        {
            throw new InvalidOperationException($"{RowsWritten + rows} rows written to {Path}, which holds {Rows}");
        }

        NpyFile.EnsureLittleEndianHost();
        _file.Stream.Write(MemoryMarshal.AsBytes(values));
        RowsWritten += rows;
    }

    /// <summary>Checks that all rows were written and moves the file into place.</summary>
    public void Complete()
    {
        if (RowsWritten != Rows && Cols != 0)
        {
            throw new InvalidOperationException($"only {RowsWritten} of {Rows} rows were written to {Path}");
        }

        _file.Commit();
    }

    /// <summary>Discards the file unless it was completed.</summary>
    public void Dispose() => _file.Dispose();
}
