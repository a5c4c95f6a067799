// Sparse float32 matrix in compressed sparse row form (the normalised graph adjacency).
namespace MultiRec.Engine;

/// <summary>CSR sparse matrix: row r holds ColIdx[RowPtr[r]..RowPtr[r+1]) with the same range of Values.</summary>
internal sealed class CsrMatrix
{
    public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values)
    {
        if (rowPtr.Length != rows + 1 || colIdx.Length != values.Length || rowPtr[rows] != colIdx.Length)
        {
            throw new ArgumentException("inconsistent CSR arrays");
        }

        Rows = rows;
        Cols = cols;
        RowPtr = rowPtr;
        ColIdx = colIdx;
        Values = values;
    }

    public int Rows { get; }

    public int Cols { get; }

    public int[] RowPtr { get; }

    public int[] ColIdx { get; }

    public float[] Values { get; }

    /// <summary>Number of stored entries.</summary>
    public int NonZeros => ColIdx.Length;

    /// <summary>The transpose, as a new CSR matrix (columns sorted within each row).</summary>
    public CsrMatrix Transpose()
    {
        var rowPtr = new int[Cols + 1];
        foreach (var c in ColIdx)
        {
            rowPtr[c + 1]++;
        }

        for (var c = 0; c < Cols; c++)
        {
            rowPtr[c + 1] += rowPtr[c];
        }

        var fill = (int[])rowPtr.Clone();
        var colIdx = new int[NonZeros];
        var values = new float[NonZeros];
        for (var r = 0; r < Rows; r++)
        {
            for (var p = RowPtr[r]; p < RowPtr[r + 1]; p++)
            {
                var dst = fill[ColIdx[p]]++;
                colIdx[dst] = r;
                values[dst] = Values[p];
            }
        }

        return new CsrMatrix(Cols, Rows, rowPtr, colIdx, values);
    }
}
