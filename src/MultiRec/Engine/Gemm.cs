// Dense matrix product C = alpha * op(A) * op(B) + beta * C on row-major tensors (blocked, SIMD, parallel).
namespace MultiRec.Engine;

/// <summary>General matrix multiply on row-major tensors.</summary>
internal static class Gemm
{
    /// <summary>The micro-kernel used; tests override it to exercise every supported code path.</summary>
    internal static GemmKernelKind Kernel { get; set; } = GemmMicroKernels.Best;

    /// <summary>C (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C, where op is an optional transpose.
    /// beta == 0 overwrites C without reading it (NaNs in C do not propagate). C must not share storage with A or B.
    /// Accumulation is float32 with fused multiply-add; runs on up to <see cref="ComputeSettings.Threads"/> threads.</summary>
    public static unsafe void Multiply(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, float alpha = 1f, float beta = 0f)
    {
        var m = transposeA ? a.Cols : a.Rows;
        var k = transposeA ? a.Rows : a.Cols;
        var kb = transposeB ? b.Cols : b.Rows;
        var n = transposeB ? b.Rows : b.Cols;
        if (k != kb || c.Rows != m || c.Cols != n)
        {
            throw new ArgumentException($"GEMM shapes do not agree: op(A) {m}x{k}, op(B) {kb}x{n}, C {c.Rows}x{c.Cols}");
        }

        if (ReferenceEquals(c.Data, a.Data) || ReferenceEquals(c.Data, b.Data))
        {
            throw new ArgumentException("GEMM output C must not share storage with A or B");
        }

        fixed (float* pa = a.Data)
        fixed (float* pb = b.Data)
        fixed (float* pc = c.Data)
        {
            GemmDriver.Run(Kernel, ComputeSettings.Threads, m, n, k, pa, a.Cols, transposeA, pb, b.Cols, transposeB, pc, c.Cols, alpha, beta);
        }
    }
}
