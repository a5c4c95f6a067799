// A matrix held as two row blocks ([E_u; E_i] without a concatenated copy), and the pinned row addresses kernels read.
namespace MultiRec.Engine;

/// <summary>A (Top.Rows + Bottom.Rows) x d matrix stored as two tensors: rows [0, Top.Rows) in <see cref="Top"/>, the
/// rest in <see cref="Bottom"/>. A null Bottom makes it the single tensor Top.</summary>
internal readonly record struct RowBlocks(Tensor Top, Tensor? Bottom = null)
{
    /// <summary>Rows of both blocks together.</summary>
    public int Rows => Top.Rows + (Bottom?.Rows ?? 0);

    /// <summary>Columns (both blocks have the same).</summary>
    public int Cols => Top.Cols;

    /// <summary>True when any block of this matrix and any block of the other share a buffer.</summary>
    public bool SharesStorageWith(RowBlocks other)
        => Same(Top, other.Top) || Same(Top, other.Bottom) || Same(Bottom, other.Top) || Same(Bottom, other.Bottom);

    /// <summary>Throws unless the blocks form a rows x cols matrix.</summary>
    public void CheckShape(int rows, int cols, string what)
    {
        if (Rows != rows || Cols != cols || (Bottom is not null && Bottom.Cols != cols))
        {
            throw new ArgumentException($"{what}: expected {rows}x{cols} row blocks, got {Top}{(Bottom is null ? "" : $" + {Bottom}")}");
        }
    }

    private static bool Same(Tensor? a, Tensor? b) => a is not null && b is not null && ReferenceEquals(a.Data, b.Data);
}

/// <summary>Row addresses of a pinned matrix held as two row blocks: rows below the split come from the top block,
/// the others from the bottom one. Valid only while both buffers stay pinned.</summary>
internal readonly unsafe struct PinnedRows
{
    private readonly float* _top;
    private readonly float* _bottomShifted; // bottom - split * cols, so both blocks index by the global row
    private readonly int _split;
    private readonly int _cols;

    /// <summary>Two blocks (bottom may be null when no row reaches it).</summary>
    public PinnedRows(float* top, float* bottom, int split, int cols)
    {
        _top = top;
        _bottomShifted = bottom - ((long)split * cols);
        _split = split;
        _cols = cols;
    }

    /// <summary>One contiguous matrix.</summary>
    public PinnedRows(float* whole, int cols)
    {
        _top = whole;
        _bottomShifted = whole;
        _split = int.MaxValue;
        _cols = cols;
    }

    /// <summary>The first entry of a row.</summary>
    public float* this[int row] => (row < _split ? _top : _bottomShifted) + ((long)row * _cols);
}
