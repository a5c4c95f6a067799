// The gradient of a parameter that a step reaches only at a few rows: the rows' ids and their gradient rows.
namespace MultiRec.Engine.Autograd;

/// <summary>
/// A row-sparse gradient of a (ParameterRows × Cols) parameter: the distinct rows that received a gradient since
/// the last <see cref="Clear"/>, in first-touch order, and their gradient rows. Rows absent from <see cref="Rows"/>
/// have a zero gradient. The rows are held either explicitly (touched rows × Cols floats) or, when one op produced
/// them as a product G·R (LinearRows: d table[rows] = dY · W), as the two factors: for BM3's 7050 × 4096 image
/// table that is ~2000 × 64 + 64 × 4096 floats instead of ~2000 × 4096. Consumers read rows through
/// <see cref="CopyRows"/>, a block at a time.
/// </summary>
internal sealed class RowSparseGradient
{
    private readonly int[] _slotOfRow;   // parameter row → position in _rows, or -1 when the row has no gradient
    private int[] _rows = [];
    private float[] _values = [];        // explicit rows: Count × Cols
    private float[] _left = [];          // factored: Count × _rank
    private float[] _right = [];         // factored: _rank × Cols
    private int _rank;
    private bool _factored;

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

    /// <summary>True while the rows are held as a product of two factors.</summary>
    public bool IsFactored => _factored;

    /// <summary>Forgets every row (the buffers are kept for the next step).</summary>
    public void Clear()
    {
        foreach (var row in Rows)
        {
            _slotOfRow[row] = -1;
        }

        Count = 0;
        _factored = false;
    }

    /// <summary>Writes the gradient rows of slots [first, first + count) into <paramref name="destination"/>
    /// (count × Cols, row-major). Single-threaded: callers run blocks in parallel.</summary>
    public unsafe void CopyRows(int first, int count, Span<float> destination)
    {
        if (first < 0 || count < 0 || first + count > Count || destination.Length < count * Cols)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"rows [{first}, {first + count}) of {Count}, destination of {destination.Length} floats");
        }

        if (!_factored)
        {
            _values.AsSpan(first * Cols, count * Cols).CopyTo(destination);
            return;
        }

        fixed (float* left = _left)
        fixed (float* right = _right)
        fixed (float* dst = destination)
        {
            GemmDriver.Run(Gemm.Kernel, 1, count, Cols, _rank, left + ((long)first * _rank), _rank, false, right, Cols, false, dst, Cols, 1f, 0f);
        }
    }

    /// <summary>The whole gradient as a dense (ParameterRows × Cols) tensor (tests, diagnostics).</summary>
    public Tensor ToDense()
    {
        var dense = new Tensor(ParameterRows, Cols);
        var row = new float[Cols];
        for (var k = 0; k < Count; k++)
        {
            CopyRows(k, 1, row);
            row.CopyTo(dense.Row(_rows[k]));
        }

        return dense;
    }

    /// <summary>When the gradient is empty and <paramref name="rows"/> are distinct: records the gradient of
    /// parameter row rows[k] as row k of left · right (left: rows.Length × r, right: r × Cols; both copied) and
    /// returns true. Otherwise changes nothing and returns false (the caller then uses <see cref="Accumulate"/>).</summary>
    internal bool TrySetProduct(ReadOnlySpan<int> rows, Tensor left, Tensor right)
    {
        if (Count != 0 || left.Rows != rows.Length || left.Cols != right.Rows || right.Cols != Cols)
        {
            return false;
        }

        for (var k = 0; k < rows.Length; k++)
        {
            if (_slotOfRow[rows[k]] >= 0)
            {
                for (var j = 0; j < k; j++)
                {
                    _slotOfRow[rows[j]] = -1;
                }

                return false;
            }

            _slotOfRow[rows[k]] = k;
        }

        EnsureRowCapacity(rows.Length);
        rows.CopyTo(_rows);
        Count = rows.Length;
        _rank = left.Cols;
        Grow(ref _left, left.Length, (long)ParameterRows * _rank);
        Grow(ref _right, right.Length, right.Length);
        left.AsSpan().CopyTo(_left);
        right.AsSpan().CopyTo(_right);
        _factored = true;
        return true;
    }

    /// <summary>Adds row k of <paramref name="values"/> to the gradient of parameter row rows[k] (rows may repeat).</summary>
    internal void Accumulate(ReadOnlySpan<int> rows, Tensor values)
    {
        if (values.Rows != rows.Length || values.Cols != Cols)
        {
            throw new ArgumentException($"row-sparse gradient: {values} does not match {rows.Length} rows of width {Cols}");
        }

        foreach (var row in rows)
        {
            if ((uint)row >= (uint)ParameterRows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), $"row {row} is outside [0, {ParameterRows})");
            }
        }

        MakeExplicit();
        for (var k = 0; k < rows.Length; k++)
        {
            var row = rows[k];
            var slot = _slotOfRow[row];
            if (slot < 0)
            {
                EnsureRowCapacity(Count + 1);
                Grow(ref _values, (long)(Count + 1) * Cols, (long)ParameterRows * Cols);
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

    private void MakeExplicit()
    {
        if (!_factored)
        {
            return;
        }

        Grow(ref _values, (long)Count * Cols, (long)ParameterRows * Cols);
        CopyRows(0, Count, _values);
        _factored = false;
    }

    private void EnsureRowCapacity(int rows)
    {
        if (rows > _rows.Length)
        {
            Array.Resize(ref _rows, Headroom(rows, ParameterRows));
        }
    }

    /// <summary>Grows a buffer to hold at least <paramref name="floats"/>, with headroom up to <paramref name="limit"/>
    /// (batches reach a slightly different number of rows each step), keeping its contents.</summary>
    private static void Grow(ref float[] buffer, long floats, long limit)
    {
        if (floats > buffer.Length)
        {
            Array.Resize(ref buffer, checked((int)Math.Max(floats, Math.Min(limit, floats + (floats / 4)))));
        }
    }

    private static int Headroom(int needed, int limit) => (int)Math.Min(limit, needed + (needed / 4L));
}
