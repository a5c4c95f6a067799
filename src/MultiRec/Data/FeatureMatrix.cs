// Dense float32 item-feature matrix (one row per item), as loaded from image_feat.npy / text_feat.npy.
namespace MultiRec.Data;

/// <summary>A row-major float32 matrix of shape (Rows, Cols); row r holds the features of item r.</summary>
public sealed class FeatureMatrix
{
    /// <summary>A rows × cols matrix over <paramref name="values"/> (row-major, rows × cols long).</summary>
    public FeatureMatrix(int rows, int cols, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != (long)rows * cols)
        {
            throw new ArgumentException($"{values.Length} values do not fill a {rows}x{cols} matrix", nameof(values));
        }

        Rows = rows;
        Cols = cols;
        Values = values;
    }

    /// <summary>Number of rows (items).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (feature dimension).</summary>
    public int Cols { get; }

    /// <summary>All values, row after row; exactly Rows * Cols long.</summary>
    public float[] Values { get; }

    /// <summary>The features of one row.</summary>
    public ReadOnlySpan<float> Row(int r)
    {
        if ((uint)r >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(r), r, $"row must be in [0, {Rows})");
        }

        return Values.AsSpan(r * Cols, Cols);
    }

    /// <summary>"FeatureMatrix(rows x cols)".</summary>
    public override string ToString() => $"FeatureMatrix({Rows}x{Cols})";
}
