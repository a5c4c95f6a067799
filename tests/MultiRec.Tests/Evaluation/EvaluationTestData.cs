// Small builders for evaluation tests: CSRs from row lists and embeddings whose dot products are given scores.
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Tests.Evaluation;

internal static class EvaluationTestData
{
    /// <summary>A CSR whose row u lists rows[u] (ascending, unique).</summary>
    public static UserItemCsr Csr(int items, params int[][] rows)
    {
        var users = new List<int>();
        var ids = new List<int>();
        for (var u = 0; u < rows.Length; u++)
        {
            foreach (var item in rows[u])
            {
                users.Add(u);
                ids.Add(item);
            }
        }

        return UserItemCsr.FromPairs(rows.Length, items, users.ToArray(), ids.ToArray());
    }

    /// <summary>User embeddings equal to the score rows and identity item embeddings, so score(u, i) = scores[u][i].</summary>
    public static (Tensor Users, Tensor Items) EmbeddingsForScores(params float[][] scores)
    {
        var items = scores[0].Length;
        var users = Tensor.FromArray(scores.Length, items, scores.SelectMany(row => row).ToArray());
        var identity = new Tensor(items, items);
        for (var i = 0; i < items; i++)
        {
            identity[i, i] = 1f;
        }

        return (users, identity);
    }

    /// <summary>Seeded random embeddings with integer entries in [-4, 4]: their dot products are exact in float32
    /// whatever the GEMM's summation order, so rankings (ties included) do not depend on the kernel.</summary>
    public static Tensor RandomIntegers(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var t = new Tensor(rows, cols);
        var data = t.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = random.Next(-4, 5);
        }

        return t;
    }

    /// <summary>A seeded random split: each user gets between minItems and maxItems distinct items, avoiding the given CSRs.</summary>
    public static UserItemCsr RandomSplit(int users, int items, int minItems, int maxItems, int seed, params UserItemCsr[] avoid)
    {
        var random = new Random(seed);
        var rows = new int[users][];
        for (var u = 0; u < users; u++)
        {
            var taken = new HashSet<int>(avoid.Where(a => u < a.Users).SelectMany(a => a.ItemsOf(u).ToArray()));
            var count = random.Next(minItems, maxItems + 1);
            var row = new SortedSet<int>();
            while (row.Count < count && row.Count + taken.Count < items)
            {
                var item = random.Next(items);
                if (!taken.Contains(item))
                {
                    row.Add(item);
                }
            }

            rows[u] = row.ToArray();
        }

        return Csr(items, rows);
    }
}
