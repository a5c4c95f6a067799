// GEMM figures on BM3's and Model zoo II's shapes: MultiRec's kernel against OpenBLAS (when present), same threads.
using MultiRec.Engine;

namespace MultiRec.Benchmarks;

/// <summary>Prints GFLOP/s for every BM3 GEMM shape and the largest Model zoo II ones, and OpenBLAS's figure and the ratio when it is available.</summary>
internal static class GemmBench
{
    /// <summary>One benchmarked product: C (m x n) = op(A) op(B) with inner dimension k.</summary>
    private sealed record Shape(string Name, int M, int N, int K, bool TransA, bool TransB);

    private static readonly Shape[] Shapes =
    [
        new("image_trs fwd  x*W^T (n=2048)", 2048, 64, 4096, false, true),
        new("image_trs fwd  x*W^T (n=7050)", 7050, 64, 4096, false, true),
        new("text_trs fwd   x*W^T (n=2048)", 2048, 64, 384, false, true),
        new("text_trs fwd   x*W^T (n=7050)", 7050, 64, 384, false, true),
        new("predictor fwd  x*W^T (n=7050)", 7050, 64, 64, false, true),
        new("image_trs dW   G^T*X (n=7050)", 64, 4096, 7050, true, false),
        new("text_trs dW    G^T*X (n=7050)", 64, 384, 7050, true, false),
        new("predictor dW   G^T*X (n=7050)", 64, 64, 7050, true, false),
        new("image_trs dX   G*W   (n=7050)", 7050, 4096, 64, false, false),
        new("scores U*I^T   4096 x 7050", 4096, 7050, 64, false, true),

        // Model zoo II on the Baby shape: every item's 4,096-d image features through a 256-wide layer (MMGCN's
        // dim_latent, DualGNN's hidden layer) and its weight gradient; MMGCN's first text layer at the raw 384 columns
        // over all N = 26,495 nodes.
        new("zoo2 image fwd x*W^T (d=256)", 7050, 256, 4096, false, true),
        new("zoo2 image dW  G^T*X (d=256)", 256, 4096, 7050, true, false),
        new("zoo2 mmgcn text x*C (384)", 26495, 384, 384, false, false),
        new("zoo2 mmgcn text dC x^T*G (384)", 384, 384, 26495, true, false),
    ];

    public static void Run(int threads, OpenBlas? blas, string? shapeFilter = null, int rounds = 5)
    {
        Console.WriteLine($"GEMM (threads={threads}, kernel={Gemm.Kernel}){(blas is null ? ", OpenBLAS not found" : $", OpenBLAS {blas.Library} (core {blas.CoreName}{(blas.Note.Length > 0 ? "; " + blas.Note : "")})")}");
        Console.WriteLine($"  {"shape",-32} {"m",6} {"n",6} {"k",6} {"ms",9} {"GFLOP/s",9} {"BLAS ms",9} {"BLAS GF/s",9} {"ratio",6}");
        blas?.SetThreads(threads);
        foreach (var s in Shapes.Where(s => shapeFilter is null || s.Name.Contains(shapeFilter, StringComparison.OrdinalIgnoreCase)))
        {
            var a = Filled(s.TransA ? s.K : s.M, s.TransA ? s.M : s.K, 1);
            var b = Filled(s.TransB ? s.N : s.K, s.TransB ? s.K : s.N, 2);
            var c = new Tensor(s.M, s.N);
            var flops = 2.0 * s.M * s.N * s.K;
            void Ours() => Gemm.Multiply(a, s.TransA, b, s.TransB, c);
            if (blas is null)
            {
                var alone = BenchTimer.BestSeconds(Ours);
                Console.WriteLine($"  {s.Name,-32} {s.M,6} {s.N,6} {s.K,6} {alone * 1e3,9:F2} {flops / alone / 1e9,9:F1}");
                continue;
            }

            var (ours, theirs) = BenchTimer.BestSecondsAlternating(
                Ours, () => blas.Sgemm(a.Data, a.Cols, s.TransA, b.Data, b.Cols, s.TransB, c.Data, s.M, s.N, s.K, 1f, 0f), rounds, rounds * 0.2);
            var line = $"  {s.Name,-32} {s.M,6} {s.N,6} {s.K,6} {ours * 1e3,9:F2} {flops / ours / 1e9,9:F1}";
            line += $" {theirs * 1e3,9:F2} {flops / theirs / 1e9,9:F1} {theirs / ours,6:F2}";

            Console.WriteLine(line);
        }
    }

    private static Tensor Filled(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor(rows, cols);
        var span = t.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)(rng.NextDouble() - 0.5);
        }

        return t;
    }
}
