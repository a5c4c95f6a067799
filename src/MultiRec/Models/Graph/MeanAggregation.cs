// The mean over in-neighbours as a sparse matrix (PyG MessagePassing with aggr='mean'): Y = M X, M[k, j] = (edges
// j → k) / in-degree(k).
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>
/// Builds M with M X = the mean of the messages x_j over the directed edges j → k reaching each node k (graph G5 of
/// baselines-reference §2.6): repeated edges count as often as they occur, a node without incoming edges gets a zero
/// row, no self-loops are added. PyG sums the messages and then divides by the count; M carries 1/in-degree on every
/// edge, which is the same up to float32 rounding.
/// </summary>
internal static class MeanAggregation
{
    /// <summary>M (nodes × nodes) of the directed edges sources[e] → targets[e].</summary>
    public static CsrMatrix FromEdges(int nodes, ReadOnlySpan<int> sources, ReadOnlySpan<int> targets)
    {
        if (sources.Length != targets.Length)
        {
            throw new ArgumentException("MeanAggregation: source and target arrays differ in length");
        }

        var inDegree = new int[nodes];
        foreach (var k in targets)
        {
            if ((uint)k >= (uint)nodes)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), $"node {k} is outside 0..{nodes - 1}");
            }

            inDegree[k]++;
        }

        var builder = new CooBuilder(nodes, nodes);
        for (var e = 0; e < sources.Length; e++)
        {
            builder.Add(targets[e], sources[e], 1f / inDegree[targets[e]]);
        }

        return builder.Build();
    }

    /// <summary>M over U + I nodes (item i is node U + i) of the training pairs in both directions, user → item and
    /// item → user (MMGCN's edge_index and its reverse): a user's row averages its items, an item's row its users.</summary>
    public static CsrMatrix Bipartite(UserItemCsr train)
    {
        var edges = train.Count;
        var sources = new int[2 * edges];
        var targets = new int[2 * edges];
        var e = 0;
        for (var u = 0; u < train.Users; u++)
        {
            foreach (var i in train.ItemsOf(u))
            {
                (sources[e], targets[e]) = (u, train.Users + i);
                (sources[edges + e], targets[edges + e]) = (train.Users + i, u);
                e++;
            }
        }

        return FromEdges(train.Users + train.Items, sources, targets);
    }
}
