// SpMM figures on a Baby-sized random bipartite graph: the normalised (U+I)^2 adjacency times a 64-column matrix.
using MultiRec.Engine;

namespace MultiRec.Benchmarks;

/// <summary>Prints ms and effective GB/s of Â·X for a graph with Baby's sizes (U=19445, I=7050, 118,551 edges).</summary>
internal static class SpmmBench
{
    public static void Run(int threads)
    {
        const int users = 19445, items = 7050, edges = 118_551, d = 64;
        var adjacency = RandomNormalisedAdjacency(users, items, edges, seed: 42);
        var x = new Tensor(users + items, d);
        new Rng(1).FillUniform(x, -1f, 1f);
        var y = new Tensor(users + items, d);
        var seconds = BenchTimer.BestSeconds(() => SparseKernels.Multiply(adjacency, x, y));
        // Bytes the kernel must move: row pointers, column indices and values, one gathered X row per non-zero, Y written once.
        var bytes = ((adjacency.Rows + 1) * 4.0) + (adjacency.NonZeros * 8.0) + (adjacency.NonZeros * d * 4.0) + (adjacency.Rows * d * 4.0);
        Console.WriteLine($"SpMM (threads={threads}): A {adjacency.Rows}x{adjacency.Cols} with {adjacency.NonZeros:N0} nnz, X {x.Rows}x{d}");
        Console.WriteLine($"  {seconds * 1e3:F3} ms, {bytes / seconds / 1e9:F1} GB/s effective ({bytes / 1e6:F1} MB per product), {2.0 * adjacency.NonZeros * d / seconds / 1e9:F1} GFLOP/s");
    }

    /// <summary>D^-1/2 A D^-1/2 of a random bipartite graph with exactly <paramref name="edges"/> distinct user-item pairs.</summary>
    internal static CsrMatrix RandomNormalisedAdjacency(int users, int items, int edges, int seed)
    {
        var rng = new Rng((ulong)seed);
        var pairs = new HashSet<long>();
        while (pairs.Count < edges)
        {
            pairs.Add(((long)rng.NextInt(users) * items) + rng.NextInt(items));
        }

        var n = users + items;
        var neighbours = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            neighbours[i] = [];
        }

        foreach (var p in pairs)
        {
            var u = (int)(p / items);
            var i = users + (int)(p % items);
            neighbours[u].Add(i);
            neighbours[i].Add(u);
        }

        var rowPtr = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            neighbours[r].Sort();
            rowPtr[r + 1] = rowPtr[r] + neighbours[r].Count;
        }

        var colIdx = new int[rowPtr[n]];
        var values = new float[rowPtr[n]];
        for (var r = 0; r < n; r++)
        {
            var degree = neighbours[r].Count + 1e-7;
            for (var k = 0; k < neighbours[r].Count; k++)
            {
                var c = neighbours[r][k];
                colIdx[rowPtr[r] + k] = c;
                values[rowPtr[r] + k] = (float)(1.0 / Math.Sqrt(degree * (neighbours[c].Count + 1e-7)));
            }
        }

        return new CsrMatrix(n, n, rowPtr, colIdx, values);
    }
}
