// Builders for serving tests: random models with known interactions, run folders on disk, brute-force rankings.
using System.Globalization;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

internal static class ServingTestData
{
    /// <summary>A model with uniform random embeddings and about perUser random items per user in each split.</summary>
    public static ServingModel RandomModel(int users, int items, int dims, int seed = 1, IdMap? userIds = null, IdMap? itemIds = null, int perUser = 4)
    {
        var random = new Random(seed);
        return new ServingModel(
            RandomMatrix(users, dims, random),
            RandomMatrix(items, dims, random),
            RandomSplit(users, items, perUser, random),
            RandomSplit(users, items, 1, random),
            RandomSplit(users, items, 1, random),
            userIds,
            itemIds);
    }

    public static Tensor RandomMatrix(int rows, int cols, Random random)
    {
        var t = new Tensor(rows, cols);
        var data = t.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return t;
    }

    public static UserItemCsr RandomSplit(int users, int items, int perUser, Random random)
    {
        var pairUsers = new int[users * perUser];
        var pairItems = new int[users * perUser];
        for (var n = 0; n < pairUsers.Length; n++)
        {
            pairUsers[n] = n / perUser;
            pairItems[n] = random.Next(items);
        }

        return UserItemCsr.FromPairs(users, items, pairUsers, pairItems);
    }

    /// <summary>The expected top-K by plain loops: score desc, then item id asc, excluded items skipped.</summary>
    public static ScoredItem[] BruteForce(ReadOnlySpan<float> query, Tensor items, int k, ISet<int> excluded)
    {
        var all = new List<ScoredItem>();
        for (var i = 0; i < items.Rows; i++)
        {
            if (excluded.Contains(i))
            {
                continue;
            }

            var row = items.Row(i);
            var dot = 0.0;
            for (var j = 0; j < row.Length; j++)
            {
                dot += (double)query[j] * row[j];
            }

            all.Add(new ScoredItem(i, (float)dot));
        }

        return [.. all.OrderByDescending(s => s.Score).ThenBy(s => s.Item).Take(k)];
    }

    /// <summary>Writes a dataset folder (synthetic catalog, no features), random embeddings and config.yaml;
    /// with <paramref name="idMaps"/> also u_id_mapping.csv / i_id_mapping.csv with ids "U00017" / "B-0042".</summary>
    public static string WriteRun(string root, int users = 300, int items = 200, int dims = 16, bool idMaps = true, int seed = 3)
    {
        var data = Path.Combine(root, "data");
        SyntheticCatalog.Write(data, new SyntheticCatalogOptions { Users = users, Items = items, Interactions = users * 10, ImageDim = 0, TextDim = 0, Seed = seed, Topics = Math.Min(24, items) });
        if (idMaps)
        {
            WriteIdMaps(data, users, items);
        }

        var run = Path.Combine(root, "run");
        Directory.CreateDirectory(run);
        var random = new Random(seed);
        NpyFile.Write(Path.Combine(run, "user_emb.npy"), RandomMatrix(users, dims, random).AsSpan(), users, dims);
        NpyFile.Write(Path.Combine(run, "item_emb.npy"), RandomMatrix(items, dims, random).AsSpan(), items, dims);
        File.WriteAllText(Path.Combine(run, "config.yaml"), $"model: BM3\ndata_path: {data}\n");
        return run;
    }

    /// <summary>Writes MMRec-format id maps for a dataset folder (rows in shuffled order, as real files may be).</summary>
    public static void WriteIdMaps(string dataDir, int users, int items)
    {
        var order = Enumerable.Range(0, users).OrderBy(i => (i * 7919) % users).ToArray();
        File.WriteAllLines(Path.Combine(dataDir, IdMapFile.UserMapFileName), ["user_id\tuserID", .. order.Select(u => $"{UserId(u)}\t{u}")]);
        File.WriteAllLines(Path.Combine(dataDir, IdMapFile.ItemMapFileName), ["asin\titemID", .. Enumerable.Range(0, items).Select(i => $"{ItemId(i)}\t{i}")]);
    }

    public static string UserId(int user) => "U" + user.ToString("D5", CultureInfo.InvariantCulture);

    public static string ItemId(int item) => "B-" + item.ToString("D4", CultureInfo.InvariantCulture);
}
