// The LightGCN propagation matrix: symmetric normalisation D^-1/2 A D^-1/2 of the user-item bipartite graph.
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>Builds Â = D^-1/2 A D^-1/2 over U + I nodes (item i is node U + i) from the training interactions,
/// as the reference does: binary A with duplicates collapsed, no self-loops, deg = row non-zeros + 1e-7,
/// values computed in double and rounded to float32; isolated nodes have empty rows.</summary>
internal static class NormalizedAdjacency
{
    public static CsrMatrix Build(UserItemCsr train)
    {
        var users = train.Users;
        var items = train.Items;
        var n = users + items;
        var itemDegree = new int[items];
        foreach (var i in train.ItemIds)
        {
            itemDegree[i]++;
        }

        var rowPtr = new int[n + 1];
        for (var u = 0; u < users; u++)
        {
            rowPtr[u + 1] = rowPtr[u] + train.Degree(u);
        }

        for (var i = 0; i < items; i++)
        {
            rowPtr[users + i + 1] = rowPtr[users + i] + itemDegree[i];
        }

        var nnz = rowPtr[n];
        var cols = new int[nnz];
        var values = new float[nnz];
        var invSqrt = new double[n];
        for (var u = 0; u < users; u++)
        {
            invSqrt[u] = 1.0 / Math.Sqrt(train.Degree(u) + 1e-7);
        }

        for (var i = 0; i < items; i++)
        {
            invSqrt[users + i] = 1.0 / Math.Sqrt(itemDegree[i] + 1e-7);
        }

        // User rows: their items in ascending order (columns U + i are ascending too).
        var itemFill = new int[items];
        for (var i = 0; i < items; i++)
        {
            itemFill[i] = rowPtr[users + i];
        }

        for (var u = 0; u < users; u++)
        {
            var p = rowPtr[u];
            foreach (var i in train.ItemsOf(u))
            {
                var value = (float)(invSqrt[u] * invSqrt[users + i]);
                cols[p] = users + i;
                values[p++] = value;
                // Item rows receive users in ascending order because u ascends.
                var q = itemFill[i]++;
                cols[q] = u;
                values[q] = value;
            }
        }

        return new CsrMatrix(n, n, rowPtr, cols, values);
    }
}
