// Assembles a CSR matrix from (row, col, value) triples: sorted by (row, col), duplicates summed in float32.
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>Collects triples and builds the coalesced CSR matrix (torch's coalesce: sorted, repeats summed).</summary>
internal sealed class CooBuilder(int rows, int cols)
{
    private readonly List<(int Row, int Col, float Value)> _entries = [];

    /// <summary>Adds value at (row, col).</summary>
    public void Add(int row, int col, float value)
    {
        if ((uint)row >= (uint)rows || (uint)col >= (uint)cols)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {col}) is outside {rows} x {cols}");
        }

        _entries.Add((row, col, value));
    }

    /// <summary>The coalesced matrix; entries at the same position are summed in the order added.</summary>
    public CsrMatrix Build()
    {
        // A stable sort keeps the order added among repeats, so their float32 sum is reproducible.
        var ordered = _entries.Select((e, k) => (e, k)).OrderBy(x => x.e.Row).ThenBy(x => x.e.Col).ThenBy(x => x.k).Select(x => x.e).ToList();
        var rowPtr = new int[rows + 1];
        var colIdx = new List<int>(ordered.Count);
        var values = new List<float>(ordered.Count);
        var lastRow = -1;
        var lastCol = -1;
        foreach (var (row, col, value) in ordered)
        {
            if (row == lastRow && col == lastCol)
            {
                values[^1] += value;
                continue;
            }

            colIdx.Add(col);
            values.Add(value);
            rowPtr[row + 1]++;
            (lastRow, lastCol) = (row, col);
        }

        for (var r = 0; r < rows; r++)
        {
            rowPtr[r + 1] += rowPtr[r];
        }

        return new CsrMatrix(rows, cols, rowPtr, [.. colIdx], [.. values]);
    }
}
