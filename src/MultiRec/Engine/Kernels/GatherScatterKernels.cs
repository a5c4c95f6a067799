// Indexed row copies: gather rows by index, and scatter-add rows back (duplicate indices accumulate).
using System.Buffers;
using System.Numerics.Tensors;

namespace MultiRec.Engine;

/// <summary>Row gather and scatter-add. Scatter-add groups the sources by destination row (a counting sort) and
/// gives each destination row to exactly one thread, which adds its sources in index order; the result is
/// therefore the same as a sequential loop, for any thread count.</summary>
internal static class GatherScatterKernels
{
    /// <summary>dst[i, :] = src[rows[i], :] for every i; dst has shape (rows.Length, src.Cols).</summary>
    public static unsafe void Gather(Tensor src, ReadOnlySpan<int> rows, Tensor dst)
    {
        if (dst.Rows != rows.Length || dst.Cols != src.Cols)
        {
            throw new ArgumentException($"gather: destination {dst} must be {rows.Length}x{src.Cols}");
        }

        CheckIndices(rows, src.Rows);
        fixed (int* pRows = rows)
        {
            var indices = (nint)pRows;
            ParallelRanges.For(rows.Length, src.Cols, (start, end) =>
            {
                var idx = (int*)indices;
                for (var i = start; i < end; i++)
                {
                    src.Row(idx[i]).CopyTo(dst.Row(i));
                }
            });
        }
    }

    /// <summary>dst[rows[i], :] += src[i, :] for every i; duplicate indices accumulate in index order.</summary>
    public static unsafe void ScatterAdd(Tensor src, ReadOnlySpan<int> rows, Tensor dst)
    {
        if (src.Rows != rows.Length || dst.Cols != src.Cols)
        {
            throw new ArgumentException($"scatter-add: source {src} must be {rows.Length}x{dst.Cols}");
        }

        CheckIndices(rows, dst.Rows);
        var n = rows.Length;
        var blocks = ParallelRanges.BlockCount(n, (long)n * src.Cols);
        if (blocks <= 1)
        {
            for (var i = 0; i < n; i++)
            {
                var d = dst.Row(rows[i]);
                TensorPrimitives.Add(d, src.Row(i), d);
            }

            return;
        }

        var order = ArrayPool<int>.Shared.Rent(n);
        var counts = ArrayPool<int>.Shared.Rent(dst.Rows + 1);
        try
        {
            GroupByDestination(rows, dst.Rows, order, counts);
            fixed (int* pRows = rows)
            {
                var indices = (nint)pRows;
                Parallel.For(0, blocks, ComputeSettings.ParallelOptions, block =>
                {
                    var idx = (int*)indices;
                    var end = GroupBoundary(idx, order, n, (int)((long)n * (block + 1) / blocks));
                    for (var p = GroupBoundary(idx, order, n, (int)((long)n * block / blocks)); p < end; p++)
                    {
                        var i = order[p];
                        var d = dst.Row(idx[i]);
                        TensorPrimitives.Add(d, src.Row(i), d);
                    }
                });
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Stable counting sort: order[0..n) lists source positions grouped by destination row, ascending within a group.</summary>
    private static void GroupByDestination(ReadOnlySpan<int> rows, int destinationRows, int[] order, int[] counts)
    {
        Array.Clear(counts, 0, destinationRows + 1);
        foreach (var r in rows)
        {
            counts[r + 1]++;
        }

        for (var r = 0; r < destinationRows; r++)
        {
            counts[r + 1] += counts[r];
        }

        for (var i = 0; i < rows.Length; i++)
        {
            order[counts[rows[i]]++] = i;
        }
    }

    /// <summary>The first position at or after p that starts a new destination group (or n).</summary>
    private static unsafe int GroupBoundary(int* rows, int[] order, int n, int p)
    {
        while (p > 0 && p < n && rows[order[p]] == rows[order[p - 1]])
        {
            p++;
        }

        return p;
    }

    private static void CheckIndices(ReadOnlySpan<int> rows, int limit)
    {
        foreach (var r in rows)
        {
            if ((uint)r >= (uint)limit)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), $"row index {r} is outside [0, {limit})");
            }
        }
    }
}
