// The gradient of a parameter that a step reaches only at a few rows: the rows' ids and their gradient rows.
namespace MultiRec.Engine.Autograd;

/// <summary>
/// A row-sparse gradient of a (ParameterRows × Cols) parameter: the distinct rows that received a gradient since
/// the last <see cref="Clear"/>, in first-touch order, each with its accumulated gradient row. It holds
/// (touched rows × Cols) floats instead of the parameter's size: for BM3's 7050 × 4096 image table, a batch's
/// ~2000 items instead of all 7050 rows. Rows absent from <see cref="Rows"/> have a zero gradient.
/// </summary>
public sealed class RowSparseGradient
{
    private readonly int[] _slotOfRow;   // parameter row → position in _rows, or -1 when the row has no gradient
    private int[] _rows = [];
    private float[] _values = [];

    public RowSparseGradient(int parameterRows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterRows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ParameterRows = parameterRows;
        Cols = cols;
        _slotOfRow = new int[parameterRows];
        Array.Fill(_slotOfRow, -1);
    }

    /// <summary>Rows of the parameter this is the gradient of.</summary>
    public int ParameterRows { get; }

    /// <summary>Columns of the parameter (the length of each gradient row).</summary>
    public int Cols { get; }

    /// <summary>Number of rows holding a gradient.</summary>
    public int Count { get; private set; }

    /// <summary>The parameter rows holding a gradient, in the order they were first reached.</summary>
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    /// <summary>The gradient row of the <paramref name="slot"/>-th entry of <see cref="Rows"/>.</summary>
    public Span<float> Values(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)Count, nameof(slot));
        return _values.AsSpan(slot * Cols, Cols);
    }

    /// <summary>Forgets every row (the buffers are kept for the next step).</summary>
    public void Clear()
    {
        foreach (var row in Rows)
        {
            _slotOfRow[row] = -1;
        }

        Count = 0;
    }

    /// <summary>The whole gradient as a dense (ParameterRows × Cols) tensor (tests, diagnostics).</summary>
    public Tensor ToDense()
    {
        var dense = new Tensor(ParameterRows, Cols);
        for (var k = 0; k < Count; k++)
        {
            Values(k).CopyTo(dense.Row(_rows[k]));
        }

        return dense;
    }

    /// <summary>When the gradient is empty and <paramref name="rows"/> are distinct: takes them as its rows and
    /// returns a (rows.Length × Cols) tensor over their gradient rows (arbitrary contents) for a kernel to
    /// overwrite. Otherwise returns null and changes nothing (the caller then uses <see cref="Accumulate"/>).</summary>
    internal Tensor? TryBeginOverwrite(ReadOnlySpan<int> rows)
    {
        if (Count != 0)
        {
            return null;
        }

        for (var k = 0; k < rows.Length; k++)
        {
            if (_slotOfRow[rows[k]] >= 0)
            {
                for (var j = 0; j < k; j++)
                {
                    _slotOfRow[rows[j]] = -1;
                }

                return null;
            }

            _slotOfRow[rows[k]] = k;
        }

        EnsureCapacity(rows.Length);
        rows.CopyTo(_rows);
        Count = rows.Length;
        return new Tensor(rows.Length, Cols, _values);
    }

    /// <summary>Adds row k of <paramref name="values"/> to the gradient of parameter row rows[k] (rows may repeat).</summary>
    internal void Accumulate(ReadOnlySpan<int> rows, Tensor values)
    {
        if (values.Rows != rows.Length || values.Cols != Cols)
        {
            throw new ArgumentException($"row-sparse gradient: {values} does not match {rows.Length} rows of width {Cols}");
        }

        for (var k = 0; k < rows.Length; k++)
        {
            var row = rows[k];
            if ((uint)row >= (uint)ParameterRows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), $"row {row} is outside [0, {ParameterRows})");
            }

            var slot = _slotOfRow[row];
            if (slot < 0)
            {
                EnsureCapacity(Count + 1);
                slot = Count++;
                _slotOfRow[row] = slot;
                _rows[slot] = row;
                values.Row(k).CopyTo(_values.AsSpan(slot * Cols, Cols));
            }
            else
            {
                var target = _values.AsSpan(slot * Cols, Cols);
                System.Numerics.Tensors.TensorPrimitives.Add(target, values.Row(k), target);
            }
        }
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _rows.Length)
        {
            return;
        }

        // Grow with headroom (batches touch a slightly different number of rows each step), never past the parameter.
        var capacity = (int)Math.Min(ParameterRows, Math.Max(rows, rows + (rows / 4L)));
        Array.Resize(ref _rows, capacity);
        Array.Resize(ref _values, checked(capacity * Cols));
    }
}
