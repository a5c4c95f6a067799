// Vectorised elementwise tensor arithmetic (add, subtract, hadamard, scale, axpy, bias broadcast), parallel when large.
using System.Numerics.Tensors;

namespace MultiRec.Engine;

/// <summary>Elementwise ops on equally shaped tensors. The destination may be one of the inputs (in-place);
/// nothing is allocated. Large tensors are split into contiguous ranges across <see cref="ComputeSettings.Threads"/>.</summary>
internal static class ElementwiseKernels
{
    /// <summary>dst = a + b.</summary>
    public static void Add(Tensor a, Tensor b, Tensor dst)
    {
        RequireSameShape(a, b, dst);
        ForRanges(dst.Length, (s, n) => TensorPrimitives.Add(a.Data.AsSpan(s, n), b.Data.AsSpan(s, n), dst.Data.AsSpan(s, n)));
    }

    /// <summary>dst = a - b.</summary>
    public static void Subtract(Tensor a, Tensor b, Tensor dst)
    {
        RequireSameShape(a, b, dst);
        ForRanges(dst.Length, (s, n) => TensorPrimitives.Subtract(a.Data.AsSpan(s, n), b.Data.AsSpan(s, n), dst.Data.AsSpan(s, n)));
    }

    /// <summary>dst = a ⊙ b (Hadamard product).</summary>
    public static void Multiply(Tensor a, Tensor b, Tensor dst)
    {
        RequireSameShape(a, b, dst);
        ForRanges(dst.Length, (s, n) => TensorPrimitives.Multiply(a.Data.AsSpan(s, n), b.Data.AsSpan(s, n), dst.Data.AsSpan(s, n)));
    }

    /// <summary>dst = scale * x.</summary>
    public static void Scale(Tensor x, float scale, Tensor dst)
    {
        RequireSameShape(x, x, dst);
        ForRanges(dst.Length, (s, n) => TensorPrimitives.Multiply(x.Data.AsSpan(s, n), scale, dst.Data.AsSpan(s, n)));
    }

    /// <summary>y += alpha * x (BLAS axpy, fused multiply-add per element).</summary>
    public static void Axpy(float alpha, Tensor x, Tensor y)
    {
        RequireSameShape(x, x, y);
        ForRanges(y.Length, (s, n) => TensorPrimitives.FusedMultiplyAdd(x.Data.AsSpan(s, n), alpha, y.Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
    }

    /// <summary>dst[r, :] = x[r, :] + row[0, :] for every row r (bias broadcast); row has shape (1, x.Cols).</summary>
    public static void AddRowVector(Tensor x, Tensor row, Tensor dst)
    {
        RequireSameShape(x, x, dst);
        if (row.Length != x.Cols)
        {
            throw new ArgumentException($"row vector of {row.Length} entries does not match {x.Cols} columns");
        }

        ParallelRanges.For(x.Rows, x.Cols, (start, end) =>
        {
            var r = row.Data.AsSpan(0, x.Cols);
            for (var i = start; i < end; i++)
            {
                TensorPrimitives.Add(x.Row(i), r, dst.Row(i));
            }
        });
    }

    /// <summary>dst = src (same shape).</summary>
    public static void Copy(Tensor src, Tensor dst)
    {
        RequireSameShape(src, src, dst);
        ForRanges(dst.Length, (s, n) => src.Data.AsSpan(s, n).CopyTo(dst.Data.AsSpan(s, n)));
    }

    /// <summary>Every entry of dst = value.</summary>
    public static void Fill(Tensor dst, float value)
    {
        ForRanges(dst.Length, (s, n) => dst.Data.AsSpan(s, n).Fill(value));
    }

    /// <summary>Calls body(start, count) over contiguous ranges covering [0, length), in parallel when large.</summary>
    internal static void ForRanges(int length, Action<int, int> body)
    {
        ParallelRanges.For(length, 1, (s, e) => body(s, e - s));
    }

    private static void RequireSameShape(Tensor a, Tensor b, Tensor dst)
    {
        if (!a.SameShape(b) || !a.SameShape(dst))
        {
            throw new ArgumentException($"elementwise shapes differ: {a}, {b}, {dst}");
        }
    }
}
