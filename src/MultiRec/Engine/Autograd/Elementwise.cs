// Vectorised, row-block-parallel elementwise helpers shared by the forward and backward kernels.
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

/// <summary>
/// Whole-tensor elementwise loops. Every "accumulate" flag selects between dst = f(...) (false) and
/// dst += f(...) (true), the two ways a backward kernel writes a gradient.
/// </summary>
internal static class Elementwise
{
    /// <summary>dst = 0.</summary>
    public static void Clear(Tensor dst) => ClearRange(dst.Data, 0, dst.Length);

    /// <summary>dst (+)= src.</summary>
    public static void Write(Tensor dst, Tensor src, bool accumulate) => WriteRange(dst.Data, 0, src.Data, 0, dst.Length, accumulate);

    /// <summary>dst[dstOffset ..] (+)= src[srcOffset ..] over length entries.</summary>
    public static void WriteRange(float[] dst, int dstOffset, float[] src, int srcOffset, int length, bool accumulate)
    {
        ParallelRanges.For(length, 1, (s, e) =>
        {
            var ds = dst.AsSpan(dstOffset + s, e - s);
            var xs = src.AsSpan(srcOffset + s, e - s);
            if (accumulate)
            {
                TensorPrimitives.Add(ds, xs, ds);
            }
            else
            {
                xs.CopyTo(ds);
            }
        });
    }

    /// <summary>dst[offset .. offset + length) = 0.</summary>
    public static void ClearRange(float[] dst, int offset, int length)
        => ParallelRanges.For(length, 1, (s, e) => dst.AsSpan(offset + s, e - s).Clear());

    /// <summary>dst (+)= scale * src.</summary>
    public static void WriteScaled(Tensor dst, Tensor src, float scale, bool accumulate)
    {
        var d = dst.Data;
        var x = src.Data;
        ParallelRanges.For(dst.Length, 1, (s, e) =>
        {
            var ds = d.AsSpan(s, e - s);
            if (accumulate)
            {
                TensorPrimitives.MultiplyAdd(x.AsSpan(s, e - s), scale, ds, ds);
            }
            else
            {
                TensorPrimitives.Multiply(x.AsSpan(s, e - s), scale, ds);
            }
        });
    }

    /// <summary>dst (+)= a * b (elementwise product).</summary>
    public static void WriteProduct(Tensor dst, Tensor a, Tensor b, bool accumulate)
    {
        var d = dst.Data;
        var x = a.Data;
        var y = b.Data;
        ParallelRanges.For(dst.Length, 1, (s, e) =>
        {
            var ds = d.AsSpan(s, e - s);
            if (accumulate)
            {
                TensorPrimitives.MultiplyAdd(x.AsSpan(s, e - s), y.AsSpan(s, e - s), ds, ds);
            }
            else
            {
                TensorPrimitives.Multiply(x.AsSpan(s, e - s), y.AsSpan(s, e - s), ds);
            }
        });
    }

    /// <summary>dst (+)= value in every entry.</summary>
    public static void WriteFill(Tensor dst, float value, bool accumulate)
    {
        var d = dst.Data;
        ParallelRanges.For(dst.Length, 1, (s, e) =>
        {
            var ds = d.AsSpan(s, e - s);
            if (accumulate)
            {
                TensorPrimitives.Add(ds, value, ds);
            }
            else
            {
                ds.Fill(value);
            }
        });
    }
}
