// LATTICE's user-item propagation matrix (baselines-reference §2.6, G3): row-normalised with self-loops.
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>Builds Ā = (D + I)^-1 (A + I) over U + I nodes (item i is node U + i) from the training rows, as MMRec's
/// LATTICE.get_adj_mat does: A counts repeated (user, item) rows (scipy's lil conversion sums them), every node gets a
/// self-loop of weight 1, each row is divided by its sum (self-loop included), computed in float64 and rounded once
/// to float32. The matrix is not symmetric.</summary>
internal static class RowStochasticAdjacency
{
    /// <summary>Ā from the training rows (users[j], items[j]) of a <paramref name="users"/> × <paramref name="items"/>
    /// interaction matrix.</summary>
    public static CsrMatrix Build(int users, int items, ReadOnlySpan<int> rowUsers, ReadOnlySpan<int> rowItems)
    {
        var n = users + items;
        var coo = new CooBuilder(n, n);
        for (var node = 0; node < n; node++)
        {
            coo.Add(node, node, 1f);
        }

        for (var j = 0; j < rowUsers.Length; j++)
        {
            coo.Add(rowUsers[j], users + rowItems[j], 1f);
            coo.Add(users + rowItems[j], rowUsers[j], 1f);
        }

        // Counts are small integers, exact in float32; the division happens in double.
        var a = coo.Build();
        var values = new float[a.NonZeros];
        for (var r = 0; r < n; r++)
        {
            double sum = 0;
            for (var p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
            {
                sum += a.Values[p];
            }

            var inverse = 1.0 / sum;
            for (var p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
            {
                values[p] = (float)(inverse * a.Values[p]);
            }
        }

        return new CsrMatrix(n, n, a.RowPtr, a.ColIdx, values);
    }
}
