// Evaluation benchmark: full-ranking evaluation time on a synthetic catalog, and its parts (tile scoring, top-K, metrics).
using System.Diagnostics;
using System.Globalization;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;

namespace MultiRec.Benchmarks;

/// <summary>`eval [--users N] [--items N] [--dims N] [--repeat N]`: prints seconds per full evaluation
/// (valid + test in one pass; defaults: the Baby dataset's 19445 users x 7050 items, d = 64), the time of the tile
/// scoring alone, and the per-user cost of the top-K selection and of the metrics.</summary>
internal static class EvaluationBench
{
    public static int Run(string[] args)
    {
        var users = Option(args, "--users", 19445);
        var items = Option(args, "--items", 7050);
        var dims = Option(args, "--dims", 64);
        var repeat = Option(args, "--repeat", 3);

        var random = new Random(42);
        var userEmbeddings = RandomMatrix(users, dims, random);
        var itemEmbeddings = RandomMatrix(items, dims, random);
        var train = RandomSplit(users, items, 5, random);
        var valid = RandomSplit(users, items, 2, random);
        var test = RandomSplit(users, items, 1, random);
        var everyone = Enumerable.Range(0, users).ToArray();
        var options = new EvaluationOptions();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"eval: {users} users x {items} items, d={dims}, threads={ComputeSettings.Threads}, valid + test in one pass, score tile <= {options.MaxScoreBlockBytes >> 10} KiB per thread"));
        for (var r = 0; r < repeat; r++)
        {
            var scoringSeconds = TimeScoring(userEmbeddings, itemEmbeddings, everyone, options.MaxScoreBlockBytes);
            var (selectionSeconds, metricSeconds) = TimeSelectionAndMetrics(userEmbeddings, itemEmbeddings, Math.Min(users, 2048), options.Ks.Max());
            var clock = Stopwatch.StartNew();
            var metrics = FullRankingEvaluator.EvaluateMany(userEmbeddings, itemEmbeddings, train, [valid, test], options);
            var totalSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {r + 1}: evaluate {totalSeconds:F3} s ({users / totalSeconds:F0} users/s); scoring tiles alone {scoringSeconds:F3} s; "
                + $"per user on one thread: top-{options.Ks.Max()} selection {selectionSeconds * 1e6:F2} us, metrics (2 splits) {metricSeconds * 1e6:F2} us; "
                + $"valid recall@20={metrics[0].Get("recall", 20):F4}"));
        }

        return 0;
    }

    /// <summary>Seconds to score every user against every item, tile by tile on all threads (no selection).</summary>
    private static double TimeScoring(Tensor userEmbeddings, Tensor itemEmbeddings, int[] users, int maxTileBytes)
    {
        var clock = Stopwatch.StartNew();
        var panels = new ItemPanels(itemEmbeddings, Gemm.Kernel);
        var tileUsers = UserTiles.UsersPerTile(panels, maxTileBytes);
        UserTiles.ForEach(users, tileUsers, () => new UserTileScorer(panels, tileUsers), (scorer, _, tile) => scorer.Score(userEmbeddings, tile));
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds per user, on one thread, of the top-K selection over precomputed (cache-resident) tiles of
    /// scores, and of the metrics for two held-out splits.</summary>
    private static (double Selection, double Metrics) TimeSelectionAndMetrics(Tensor userEmbeddings, Tensor itemEmbeddings, int users, int k)
    {
        var tileUsers = UserTiles.MaxUsers;
        var scorer = new UserTileScorer(new ItemPanels(itemEmbeddings, Gemm.Kernel), tileUsers);
        var topK = new RowTopK(k, itemEmbeddings.Rows);
        var metrics = new RankedListMetrics([5, 10, 20, 50]);
        var ranked = new int[k];
        var scores = new float[k];
        var output = new double[metrics.ValuesPerUser];
        int[] heldOut = [3, 500];
        long selection = 0, metric = 0;
        for (var first = 0; first + tileUsers <= users; first += tileUsers)
        {
            scorer.Score(userEmbeddings, Enumerable.Range(first, tileUsers).ToArray());
            for (var r = 0; r < tileUsers; r++)
            {
                var start = Stopwatch.GetTimestamp();
                var n = topK.Select(scorer.Row(r), ranked, scores);
                var middle = Stopwatch.GetTimestamp();
                metrics.Compute(ranked.AsSpan(0, n), heldOut, output);
                metrics.Compute(ranked.AsSpan(0, n), heldOut, output);
                var end = Stopwatch.GetTimestamp();
                selection += middle - start;
                metric += end - middle;
            }
        }

        var perUser = 1.0 / Stopwatch.Frequency / (users / tileUsers * tileUsers);
        return (selection * perUser, metric * perUser);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static Tensor RandomMatrix(int rows, int cols, Random random)
    {
        var t = new Tensor(rows, cols);
        var data = t.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1) * 0.1f;
        }

        return t;
    }

    private static UserItemCsr RandomSplit(int users, int items, int perUser, Random random)
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
}
