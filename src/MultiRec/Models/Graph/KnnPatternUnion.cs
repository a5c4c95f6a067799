// The union of several per-row neighbour lists as one sparse pattern, with each list entry's slot in it (LATTICE's
// learned and frozen kNN graphs of both modalities share one item-item pattern with at most 4k entries per row).
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>One sparse pattern for several kNN graphs over the same items.</summary>
internal static class KnnPatternUnion
{
    /// <summary>The pattern (items × items, columns ascending and distinct within each row, values 0) holding every
    /// (a, lists[m][a·k + j]); slots[m][a·k + j] is that entry's index among the pattern's stored entries.</summary>
    public static (CsrMatrix Pattern, int[][] Slots) Build(int items, int k, IReadOnlyList<int[]> lists)
    {
        foreach (var list in lists)
        {
            if (list.Length != items * k)
            {
                throw new ArgumentException($"a neighbour list holds {list.Length} entries, expected {items} x {k}", nameof(lists));
            }
        }

        var rowPtr = new int[items + 1];
        var columns = new List<int>(items * k * lists.Count);
        var row = new List<int>(k * lists.Count);
        for (var a = 0; a < items; a++)
        {
            row.Clear();
            foreach (var list in lists)
            {
                for (var j = 0; j < k; j++)
                {
                    var c = list[(a * k) + j];
                    if ((uint)c >= (uint)items)
                    {
                        throw new ArgumentOutOfRangeException(nameof(lists), $"neighbour {c} of item {a} is outside [0, {items})");
                    }

                    row.Add(c);
                }
            }

            row.Sort();
            for (var j = 0; j < row.Count; j++)
            {
                if (j == 0 || row[j] != row[j - 1])
                {
                    columns.Add(row[j]);
                }
            }

            rowPtr[a + 1] = columns.Count;
        }

        var colIdx = columns.ToArray();
        var pattern = new CsrMatrix(items, items, rowPtr, colIdx, new float[colIdx.Length]);
        var slots = new int[lists.Count][];
        for (var m = 0; m < lists.Count; m++)
        {
            slots[m] = new int[items * k];
            for (var a = 0; a < items; a++)
            {
                for (var j = 0; j < k; j++)
                {
                    slots[m][(a * k) + j] = Array.BinarySearch(colIdx, rowPtr[a], rowPtr[a + 1] - rowPtr[a], lists[m][(a * k) + j]);
                }
            }
        }

        return (pattern, slots);
    }
}
