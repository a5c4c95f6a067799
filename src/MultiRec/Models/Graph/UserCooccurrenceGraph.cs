// DualGNN's user–user graph (baselines-reference §9.2): for each user, the other users sharing at least one training
// item, ranked by how many distinct items they share, capped at a fixed count; and the per-epoch sample of exactly k
// neighbours with softmax weights. Built sparse, from the item → users lists: the reference's preprocessing builds a
// dense users × users matrix (148 GB at the Electronics shape) and loops over user pairs in Python.
using System.Runtime.InteropServices;
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>
/// The ranked co-occurrence neighbours of every user. C[a, b] = |items(a) ∩ items(b)| over distinct training items,
/// a ≠ b. Each user keeps the users with C &gt; 0, by descending count, at most <c>cap</c> of them. Ties: the reference
/// ranks with <c>torch.topk</c> on a dense row, whose order among equal counts is unspecified; here ties go to the
/// smaller user id (a documented deviation; a fixture can inject the reference's lists through
/// <see cref="FromLists"/>).
/// </summary>
internal sealed class UserCooccurrenceGraph
{
    private readonly int[][] _neighbours;
    private readonly float[][] _counts;

    private UserCooccurrenceGraph(int[][] neighbours, float[][] counts)
    {
        _neighbours = neighbours;
        _counts = counts;
    }

    /// <summary>Number of users (rows).</summary>
    public int Users => _neighbours.Length;

    /// <summary>The ranked neighbours of a user.</summary>
    public ReadOnlySpan<int> NeighboursOf(int user) => _neighbours[user];

    /// <summary>The shared-item counts of a user's ranked neighbours (floats, as the reference stores them).</summary>
    public ReadOnlySpan<float> CountsOf(int user) => _counts[user];

    /// <summary>Builds the graph from the training interactions; cap = the reference's 200.</summary>
    public static UserCooccurrenceGraph Build(UserItemCsr train, int cap = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var usersOfItem = UsersOfItem(train);
        var neighbours = new int[train.Users][];
        var counts = new float[train.Users][];
        ParallelRanges.For(train.Users, 64, (start, end) =>
        {
            var shared = new int[train.Users];       // C[a, ·], reset through `touched` after each user
            var touched = new List<int>();
            var seenItem = new HashSet<int>();
            for (var a = start; a < end; a++)
            {
                seenItem.Clear();
                foreach (var item in train.ItemsOf(a))
                {
                    if (!seenItem.Add(item))
                    {
                        continue;                    // a repeated (user, item) row counts once, as the reference's set
                    }

                    foreach (var b in usersOfItem[item])
                    {
                        if (b == a)
                        {
                            continue;
                        }

                        if (shared[b]++ == 0)
                        {
                            touched.Add(b);
                        }
                    }
                }

                var ranked = touched.ToArray();
                var keys = new long[ranked.Length];
                for (var k = 0; k < ranked.Length; k++)
                {
                    keys[k] = (-(long)shared[ranked[k]] << 32) | (uint)ranked[k];   // count descending, then id
                }

                Array.Sort(keys, ranked);
                var kept = Math.Min(cap, ranked.Length);
                neighbours[a] = ranked[..kept];
                counts[a] = new float[kept];
                for (var k = 0; k < kept; k++)
                {
                    counts[a][k] = shared[ranked[k]];
                }

                foreach (var b in touched)
                {
                    shared[b] = 0;
                }

                touched.Clear();
            }
        });
        return new UserCooccurrenceGraph(neighbours, counts);
    }

    /// <summary>A graph from given ranked lists (the reference's <c>user_graph_dict</c>, for fixture replays).</summary>
    public static UserCooccurrenceGraph FromLists(IReadOnlyList<(int[] Neighbours, float[] Counts)> lists)
    {
        var neighbours = new int[lists.Count][];
        var counts = new float[lists.Count][];
        for (var a = 0; a < lists.Count; a++)
        {
            var (ids, values) = lists[a];
            if (ids.Length != values.Length)
            {
                throw new ArgumentException($"user {a}: {ids.Length} neighbours but {values.Length} counts", nameof(lists));
            }

            foreach (var b in ids)
            {
                if ((uint)b >= (uint)lists.Count)
                {
                    throw new ArgumentException($"user {a}: neighbour {b} is outside the {lists.Count} users", nameof(lists));
                }
            }

            neighbours[a] = [.. ids];
            counts[a] = [.. values];
        }

        return new UserCooccurrenceGraph(neighbours, counts);
    }

    /// <summary>
    /// One epoch's sample of exactly k neighbours per user (the reference's <c>topk_sample</c>): a user with at least k
    /// neighbours keeps its first k; a user with 1..k−1 is padded to k by repeating entries chosen uniformly from the
    /// growing list (position = <paramref name="pick"/>(current length)); a user without neighbours gets k entries of
    /// user 0 with weight 0. Weights: softmax over the k counts, repeats included. Returns the U × U aggregation
    /// matrix S with S[a, b] = the summed weight of b among a's k entries (h = S · user_rep).
    /// </summary>
    public CsrMatrix Sample(int k, Func<int, int> pick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var rowPtr = new int[Users + 1];
        var columns = new List<int>(Users * Math.Min(k, 8));
        var entries = new List<float>(Users * Math.Min(k, 8));
        var ids = new List<int>(k);
        var values = new List<float>(k);
        var weights = new float[k];
        var order = new int[k];
        for (var a = 0; a < Users; a++)
        {
            var neighbours = _neighbours[a];
            if (neighbours.Length > 0)
            {
                ids.Clear();
                values.Clear();
                var take = Math.Min(k, neighbours.Length);
                for (var j = 0; j < take; j++)
                {
                    ids.Add(neighbours[j]);
                    values.Add(_counts[a][j]);
                }

                while (ids.Count < k)
                {
                    var position = pick(ids.Count);
                    if ((uint)position >= (uint)ids.Count)
                    {
                        throw new InvalidOperationException($"padding pick {position} is outside the {ids.Count} entries of user {a}");
                    }

                    ids.Add(ids[position]);
                    values.Add(values[position]);
                }

                RowKernels.Softmax(CollectionsMarshal.AsSpan(values), weights);

                // Row a of S: the k entries sorted by column (stable), repeats summed in entry order.
                for (var j = 0; j < k; j++)
                {
                    order[j] = j;
                }

                Array.Sort(order, (x, y) => ids[x] != ids[y] ? ids[x].CompareTo(ids[y]) : x.CompareTo(y));
                for (var j = 0; j < k; j++)
                {
                    var b = ids[order[j]];
                    if (j > 0 && b == ids[order[j - 1]])
                    {
                        entries[^1] += weights[order[j]];
                        continue;
                    }

                    columns.Add(b);
                    entries.Add(weights[order[j]]);
                }
            }

            // A user without neighbours: the reference's index row of zeros with weight 0 contributes nothing.
            rowPtr[a + 1] = columns.Count;
        }

        return new CsrMatrix(Users, Users, rowPtr, [.. columns], [.. entries]);
    }

    /// <summary>The epoch sample with padding positions from a seeded generator.</summary>
    public CsrMatrix Sample(int k, ulong seed)
    {
        var rng = new Rng(seed);
        return Sample(k, length => rng.NextInt(length));
    }

    private static int[][] UsersOfItem(UserItemCsr train)
    {
        var lists = new List<int>[train.Items];
        for (var i = 0; i < train.Items; i++)
        {
            lists[i] = [];
        }

        for (var u = 0; u < train.Users; u++)
        {
            foreach (var i in train.ItemsOf(u))
            {
                if (lists[i].Count == 0 || lists[i][^1] != u)
                {
                    lists[i].Add(u);                  // users ascending; a repeated row of the same user once
                }
            }
        }

        return [.. lists.Select(l => l.ToArray())];
    }
}
