// Dense float32 matrix in row-major order: the one value type the engine computes on.
namespace MultiRec.Engine;

/// <summary>A dense, row-major float32 matrix of shape (Rows, Cols). Vectors are (1, n); scalars (1, 1).
/// The backing array may be longer than Rows*Cols (pooled buffers); only the first Length entries count.</summary>
internal sealed class Tensor
{
    public Tensor(int rows, int cols)
        : this(rows, cols, new float[checked(rows * cols)])
    {
    }

    public Tensor(int rows, int cols, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (data.Length < (long)rows * cols)
        {
            throw new ArgumentException($"buffer of {data.Length} floats is too small for {rows}x{cols}", nameof(data));
        }

        Rows = rows;
        Cols = cols;
        Data = data;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (the row stride).</summary>
    public int Cols { get; }

    /// <summary>Backing storage, row-major; at least Length entries.</summary>
    public float[] Data { get; }

    /// <summary>Rows * Cols.</summary>
    public int Length => Rows * Cols;

    /// <summary>Element (r, c).</summary>
    public float this[int r, int c]
    {
        get => Data[(r * Cols) + c];
        set => Data[(r * Cols) + c] = value;
    }

    /// <summary>All Length entries.</summary>
    public Span<float> AsSpan() => Data.AsSpan(0, Length);

    /// <summary>One row.</summary>
    public Span<float> Row(int r) => Data.AsSpan(r * Cols, Cols);

    /// <summary>A zero tensor of the same shape.</summary>
    public Tensor ZerosLike() => new(Rows, Cols);

    /// <summary>A deep copy.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(Rows, Cols);
        AsSpan().CopyTo(copy.AsSpan());
        return copy;
    }

    /// <summary>Wraps a copy of the given values as a (rows, cols) tensor.</summary>
    public static Tensor FromArray(int rows, int cols, ReadOnlySpan<float> values)
    {
        var t = new Tensor(rows, cols);
        values[..t.Length].CopyTo(t.AsSpan());
        return t;
    }

    /// <summary>True when both shapes are equal.</summary>
    public bool SameShape(Tensor other) => Rows == other.Rows && Cols == other.Cols;

    public override string ToString() => $"Tensor({Rows}x{Cols})";
}
