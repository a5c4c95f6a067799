// `serve` suite: single-query latency of the serving ranker, export throughput, and the run folder for the HTTP load test.
using System.Diagnostics;
using System.Globalization;
using MultiRec.Data;
using MultiRec.Serving;

namespace MultiRec.Benchmarks;

/// <summary>
/// `serve [--users N] [--items N] [--dims N] [--k N] [--seconds S]`: in-process figures on a Baby-sized model
/// (19,445 users × 7,050 items × 64 by default, random embeddings, synthetic interactions): latency percentiles
/// of scoring every item for one user (the panel GEMV alone), of one user's top-K and of one item's similar
/// items on one thread (no HTTP), and the time to export every
/// user's top-50. `serve make-run DIR [same shape options]`: writes such a run folder (dataset + embeddings +
/// config.yaml) for tools/bench/serve-load.sh.
/// </summary>
internal static class ServeBench
{
    public static int Run(string[] args)
    {
        var users = Option(args, "--users", 19_445);
        var items = Option(args, "--items", 7_050);
        var dims = Option(args, "--dims", 64);
        if (args.Length >= 2 && args[0] == "make-run")
        {
            var run = MakeRun(args[1], users, items, dims);
            Console.WriteLine($"wrote run folder {run} ({users} users x {items} items x {dims})");
            return 0;
        }

        var k = Option(args, "--k", 10);
        var seconds = Option(args, "--seconds", 3);
        var temp = Path.Combine(Path.GetTempPath(), "multirec-serve-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var model = ServingModelLoader.Load(MakeRun(temp, users, items, dims));
            var recommender = new Recommender(model).WarmUp();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"serve: {users} users x {items} items, d={dims}, k={k}, one thread, {seconds} s per measurement (no HTTP)"));
            var panels = ItemPanels.Build(model.ItemEmbeddings, normalise: false);
            var scores = new float[panels.PaddedItems];
            Report("score all items only", Measure(seconds, n => panels.Score(model.UserEmbeddings.Row(n % users), scores)));
            var selector = new MultiRec.Evaluation.TopKSelector(k);
            var topItems = new int[k];
            var topScores = new float[k];
            panels.Score(model.UserEmbeddings.Row(0), scores);
            Report("top-k of one score row", Measure(seconds, n =>
            {
                selector.OfferRow(scores.AsSpan(0, items), model.Excluded(ExcludeMode.Train)!.ItemsOf(n % users));
                selector.DrainSorted(topItems, topScores);
            }));
            Report("recommend (user top-k)", Measure(seconds, n => recommender.Recommend(n % users, k, ExcludeMode.Train)));
            Report("similar items (cosine)", Measure(seconds, n => recommender.Similar(n % items, k)));

            var clock = Stopwatch.StartNew();
            var export = RecommendationExport.Write(model, Path.Combine(temp, "top.csv"), new ExportOptions { K = 50 });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  export top-50 csv      {clock.Elapsed.TotalSeconds:F2} s for {export.Users} users = {export.Users / clock.Elapsed.TotalSeconds:F0} users/s ({new FileInfo(export.Path).Length >> 20} MiB)"));
            return 0;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Writes dataset/ (synthetic interactions, no features) and run/ (random embeddings, config.yaml) under root.</summary>
    public static string MakeRun(string root, int users, int items, int dims)
    {
        var data = Path.GetFullPath(Path.Combine(root, "dataset"));
        var interactions = (int)Math.Min((long)users * 8, (long)users * (items / 2));
        SyntheticCatalog.Write(data, new SyntheticCatalogOptions { Name = "serve-bench", Users = users, Items = items, Interactions = interactions, ImageDim = 0, TextDim = 0 });
        var run = Path.Combine(root, "run");
        Directory.CreateDirectory(run);
        var random = new Random(7);
        NpyFile.Write(Path.Combine(run, "user_emb.npy"), RandomValues(users * dims, random), users, dims);
        NpyFile.Write(Path.Combine(run, "item_emb.npy"), RandomValues(items * dims, random), items, dims);
        File.WriteAllText(Path.Combine(run, "config.yaml"), $"model: BM3\ndata_path: {data}\n");
        return run;
    }

    /// <summary>Runs the query repeatedly for the given time after a short warm-up; returns per-query microseconds.</summary>
    private static double[] Measure(int seconds, Action<int> query)
    {
        for (var n = 0; n < 2000; n++)
        {
            query((int)((n * 7919L) & int.MaxValue));
        }

        var times = new List<double>(1 << 20);
        var total = Stopwatch.StartNew();
        for (var n = 0; total.Elapsed.TotalSeconds < seconds; n++)
        {
            var start = Stopwatch.GetTimestamp();
            query((int)((n * 7919L) & int.MaxValue));
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        var sorted = times.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static void Report(string what, double[] sortedMicros)
    {
        double At(double q) => sortedMicros[Math.Min(sortedMicros.Length - 1, (int)(q * sortedMicros.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-22} p50 {At(0.5),7:F1} us   p99 {At(0.99),7:F1} us   mean {sortedMicros.Average(),7:F1} us   = {1e6 / sortedMicros.Average():F0} queries/s/thread"));
    }

    private static float[] RandomValues(int count, Random random)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * 0.1f;
        }

        return values;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
