// Row gather and scatter-add kernels (duplicate-safe) used by gather, selected-row linear and row dot ops.
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

/// <summary>Copies rows by index and adds rows back by index.</summary>
internal static class RowIndexing
{
    /// <summary>Throws unless every index is in [0, rows).</summary>
    public static void CheckIndices(int[] indices, int rows, string what)
    {
        foreach (var i in indices)
        {
            if ((uint)i >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"{what}: row index {i} is outside [0, {rows})");
            }
        }
    }

    /// <summary>dst[k] = src[indices[k]] for every k.</summary>
    public static void Gather(Tensor src, int[] indices, Tensor dst)
    {
        var cols = src.Cols;
        RowParallel.For(indices.Length, cols, (s, e) =>
        {
            for (var k = s; k < e; k++)
            {
                src.Row(indices[k]).CopyTo(dst.Row(k));
            }
        });
    }

    /// <summary>dst[indices[k]] += src[k] for every k (indices may repeat).</summary>
    public static void ScatterAdd(Tensor src, int[] indices, Tensor dst)
    {
        var cols = src.Cols;
        if ((long)indices.Length * cols < 2L * RowParallel.MinFloatsPerBlock || ComputeSettings.Threads == 1)
        {
            ScatterAddRange(src, indices, dst, 0, indices.Length);
            return;
        }

        // Parallel over destination blocks: each worker owns a band of destination rows, so repeats never race.
        var bands = Math.Min(ComputeSettings.Threads * 2, dst.Rows);
        Parallel.For(0, bands, ComputeSettings.ParallelOptions, band =>
        {
            var lo = (int)((long)dst.Rows * band / bands);
            var hi = (int)((long)dst.Rows * (band + 1) / bands);
            for (var k = 0; k < indices.Length; k++)
            {
                var row = indices[k];
                if (row >= lo && row < hi)
                {
                    var d = dst.Row(row);
                    TensorPrimitives.Add(d, src.Row(k), d);
                }
            }
        });
    }

    private static void ScatterAddRange(Tensor src, int[] indices, Tensor dst, int start, int end)
    {
        for (var k = start; k < end; k++)
        {
            var d = dst.Row(indices[k]);
            TensorPrimitives.Add(d, src.Row(k), d);
        }
    }
}
