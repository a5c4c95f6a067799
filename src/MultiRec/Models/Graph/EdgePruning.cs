// FREEDOM's degree-sensitive edge pruning (baselines-reference §11.2): the training edges with weights
// r(d_u)·r(d_i), a weighted draw without replacement of the edges kept each epoch, and the renormalised symmetric
// (U+I) × (U+I) graph over the kept edges.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models.Common;

namespace MultiRec.Models.Graph;

/// <summary>The pruning's index space and its graphs.</summary>
internal sealed class EdgePruning
{
    private readonly int _users;
    private readonly int _items;

    public EdgePruning(UserItemCsr train)
    {
        _users = train.Users;
        _items = train.Items;
        // The reference's edge order: the interaction matrix's COO after scipy's duplicate summation, i.e. sorted by
        // (item, user).
        var edges = new List<(int User, int Item)>(train.Count);
        for (var u = 0; u < train.Users; u++)
        {
            foreach (var i in train.ItemsOf(u))
            {
                edges.Add((u, i));
            }
        }

        edges.Sort((a, b) => a.Item != b.Item ? a.Item.CompareTo(b.Item) : a.User.CompareTo(b.User));
        EdgeUsers = edges.Select(e => e.User).ToArray();
        EdgeItems = edges.Select(e => e.Item).ToArray();
        EdgeWeights = Normalised(EdgeUsers, EdgeItems, Enumerable.Range(0, edges.Count).ToArray());
    }

    /// <summary>User of edge e.</summary>
    public int[] EdgeUsers { get; }

    /// <summary>Item of edge e.</summary>
    public int[] EdgeItems { get; }

    /// <summary>p_e = r(d_u) · r(d_i) over all training edges (float32 degrees, <see cref="InverseSqrtDegree"/>).</summary>
    public float[] EdgeWeights { get; }

    /// <summary>Edges kept at a drop ratio: int(E · (1 − dropout)), in double arithmetic as the reference.</summary>
    public int KeptCount(double dropout) => (int)(EdgeUsers.Length * (1.0 - dropout));

    /// <summary>A weighted draw of <paramref name="count"/> distinct edges, probability ∝ p_e.</summary>
    public int[] Draw(int count, ulong seed) => WeightedSampler.WithoutReplacement(EdgeWeights, count, seed);

    /// <summary>The (U+I) × (U+I) graph of the kept edges: value r(d'_u) · r(d'_i) with degrees counted over the kept
    /// edges, at (u, U + i) and (U + i, u); coalesced and sorted by (row, col).</summary>
    public CsrMatrix MaskedAdjacency(int[] kept)
    {
        var values = Normalised(EdgeUsers, EdgeItems, kept);
        var coo = new CooBuilder(_users + _items, _users + _items);
        for (var k = 0; k < kept.Length; k++)
        {
            var (u, i) = (EdgeUsers[kept[k]], EdgeItems[kept[k]]);
            coo.Add(u, _users + i, values[k]);
            coo.Add(_users + i, u, values[k]);
        }

        return coo.Build();
    }

    /// <summary>r(d_u) · r(d_i) for the given edges, the degrees counted over those edges.</summary>
    private float[] Normalised(int[] users, int[] items, int[] edges)
    {
        var userDegree = new float[_users];
        var itemDegree = new float[_items];
        foreach (var e in edges)
        {
            userDegree[users[e]]++;
            itemDegree[items[e]]++;
        }

        return edges.Select(e => InverseSqrtDegree.Of(userDegree[users[e]]) * InverseSqrtDegree.Of(itemDegree[items[e]])).ToArray();
    }
}
