// Row-wise reductions of pairs of matrices: dot products, L2 norms and cosine similarity (PyTorch's eps rule).
using System.Numerics.Tensors;

namespace MultiRec.Engine;

/// <summary>Per-row results written to a destination holding one value per row (shape (rows, 1) or (1, rows)).</summary>
internal static class RowKernels
{
    /// <summary>dst[r] = a[r, :] · b[r, :].</summary>
    public static void Dot(Tensor a, Tensor b, Tensor dst)
    {
        RequirePair(a, b, dst);
        ParallelRanges.For(a.Rows, 2L * a.Cols, (start, end) =>
        {
            for (var r = start; r < end; r++)
            {
                dst.Data[r] = TensorPrimitives.Dot(a.Row(r), b.Row(r));
            }
        });
    }

    /// <summary>dst[r] = ||x[r, :]||₂.</summary>
    public static void L2Norm(Tensor x, Tensor dst)
    {
        RequirePair(x, x, dst);
        ParallelRanges.For(x.Rows, x.Cols, (start, end) =>
        {
            for (var r = start; r < end; r++)
            {
                dst.Data[r] = TensorPrimitives.Norm(x.Row(r));
            }
        });
    }

    /// <summary>dst[r] = (a[r]·b[r]) / (max(||a[r]||, eps) · max(||b[r]||, eps)), as torch.nn.functional.cosine_similarity
    /// computes it in PyTorch 1.13 (each norm clamped separately; default eps 1e-8).</summary>
    public static void Cosine(Tensor a, Tensor b, Tensor dst, float eps = 1e-8f)
    {
        RequirePair(a, b, dst);
        ParallelRanges.For(a.Rows, 2L * a.Cols, (start, end) =>
        {
            for (var r = start; r < end; r++)
            {
                var ar = a.Row(r);
                var br = b.Row(r);
                var na = MathF.Max(TensorPrimitives.Norm(ar), eps);
                var nb = MathF.Max(TensorPrimitives.Norm(br), eps);
                dst.Data[r] = TensorPrimitives.Dot(ar, br) / (na * nb);
            }
        });
    }

    private static void RequirePair(Tensor a, Tensor b, Tensor dst)
    {
        if (!a.SameShape(b) || dst.Length != a.Rows)
        {
            throw new ArgumentException($"row-wise shapes differ: {a}, {b}, destination {dst} needs {a.Rows} entries");
        }
    }

    /// <summary>dst = exp(src − max src) / Σ exp(src − max src), summed in order in float32 (torch.softmax of a
    /// 1-D float32 tensor on CPU, for the short vectors it is used on). src and dst may be the same span.</summary>
    public static void Softmax(ReadOnlySpan<float> src, Span<float> dst)
    {
        var max = float.NegativeInfinity;
        foreach (var value in src)
        {
            max = Math.Max(max, value);
        }

        var sum = 0f;
        for (var i = 0; i < src.Length; i++)
        {
            dst[i] = MathF.Exp(src[i] - max);
            sum += dst[i];
        }

        for (var i = 0; i < src.Length; i++)
        {
            dst[i] /= sum;
        }
    }
}
