// Evaluation benchmark: full-ranking evaluation time on a synthetic catalog, split into scoring (GEMM) and the rest.
using System.Diagnostics;
using System.Globalization;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;

namespace MultiRec.Benchmarks;

/// <summary>`eval [--users N] [--items N] [--dims N] [--repeat N]`: prints seconds per full evaluation
/// (defaults: the Baby dataset's 19445 users x 7050 items, d = 64) and how much of it is the GEMM.</summary>
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
        var target = RandomSplit(users, items, 2, random);
        var everyone = Enumerable.Range(0, users).ToArray();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"eval: {users} users x {items} items, d={dims}, threads={ComputeSettings.Threads}, score block <= {new EvaluationOptions().MaxScoreBlockBytes >> 20} MiB"));
        for (var r = 0; r < repeat; r++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var _ in ScoreBlocks.Enumerate(userEmbeddings, itemEmbeddings, everyone, new EvaluationOptions().MaxScoreBlockBytes))
            {
            }

            var gemmSeconds = clock.Elapsed.TotalSeconds;
            var selectionSeconds = TimeSelection(userEmbeddings, itemEmbeddings, Math.Min(users, 2000));
            clock.Restart();
            var metrics = FullRankingEvaluator.Evaluate(userEmbeddings, itemEmbeddings, train, target);
            var totalSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {r + 1}: evaluate {totalSeconds:F3} s, {metrics.UsersEvaluated / totalSeconds:F0} users/s (scoring GEMM alone {gemmSeconds:F3} s; "
                + $"top-50 selection alone {selectionSeconds * 1e6:F1} us/user = {items / selectionSeconds / 1e6:F0} M scores/s), recall@20={metrics.Get("recall", 20):F4}"));
        }

        return 0;
    }

    /// <summary>Seconds per user of the top-50 selection over one precomputed block of scores (no GEMM, no masking).</summary>
    private static double TimeSelection(Tensor userEmbeddings, Tensor itemEmbeddings, int users)
    {
        var userBlock = Tensor.FromArray(users, userEmbeddings.Cols, userEmbeddings.AsSpan()[..(users * userEmbeddings.Cols)]);
        var scores = new Tensor(users, itemEmbeddings.Rows);
        Gemm.Multiply(userBlock, false, itemEmbeddings, true, scores);
        var clock = Stopwatch.StartNew();
        Parallel.For(0, users, ComputeSettings.ParallelOptions, () => (new TopKSelector(50), new int[50], new float[50]), (r, _, state) =>
        {
            state.Item1.OfferRange(scores.Row(r), 0);
            state.Item1.DrainSorted(state.Item2, state.Item3);
            return state;
        }, _ => { });
        return clock.Elapsed.TotalSeconds / users;
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
