// Whole-tensor and column reductions with double-precision accumulation, deterministic for any thread count.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MultiRec.Engine;

/// <summary>Sums over tensors. Work is cut into fixed-size chunks (independent of the thread count), each chunk is
/// summed in double precision, and the chunk partials are added in order, so results are reproducible bit for bit.</summary>
internal static class ReductionKernels
{
    /// <summary>Elements per chunk of a whole-tensor reduction.</summary>
    internal const int ChunkLength = 1 << 16;

    /// <summary>Rows per chunk of a column reduction.</summary>
    internal const int ChunkRows = 256;

    /// <summary>Σ x, accumulated in double.</summary>
    public static double Sum(Tensor x) => Reduce(x.Data, x.Length, squares: false);

    /// <summary>Σ x², accumulated in double (each square formed exactly in double).</summary>
    public static double SumOfSquares(Tensor x) => Reduce(x.Data, x.Length, squares: true);

    /// <summary>The Frobenius norm sqrt(Σ x²), accumulated in double.</summary>
    public static double FrobeniusNorm(Tensor x) => Math.Sqrt(SumOfSquares(x));

    /// <summary>dst[0, c] = Σ_r x[r, c] + beta * dst[0, c] (column sums, e.g. a bias gradient); dst has x.Cols entries.
    /// beta == 0 overwrites dst without reading it.</summary>
    public static void SumRows(Tensor x, Tensor dst, float beta = 0f)
    {
        var cols = x.Cols;
        if (dst.Length != cols)
        {
            throw new ArgumentException($"column-sum destination {dst} needs {cols} entries");
        }

        var chunks = Math.Max(1, (x.Rows + ChunkRows - 1) / ChunkRows);
        var partials = new double[chunks * cols];
        ParallelRanges.For(chunks, (long)ChunkRows * cols, (start, end) =>
        {
            for (var chunk = start; chunk < end; chunk++)
            {
                var acc = partials.AsSpan(chunk * cols, cols);
                var rowEnd = Math.Min(x.Rows, (chunk + 1) * ChunkRows);
                for (var r = chunk * ChunkRows; r < rowEnd; r++)
                {
                    var row = x.Row(r);
                    for (var c = 0; c < cols; c++)
                    {
                        acc[c] += row[c];
                    }
                }
            }
        });

        for (var c = 0; c < cols; c++)
        {
            double total = 0;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                total += partials[(chunk * cols) + c];
            }

            dst.Data[c] = beta == 0f ? (float)total : (float)(total + ((double)beta * dst.Data[c]));
        }
    }

    private static double Reduce(float[] data, int length, bool squares)
    {
        var chunks = (length + ChunkLength - 1) / ChunkLength;
        if (chunks <= 1)
        {
            return SumChunk(data.AsSpan(0, length), squares);
        }

        var partials = new double[chunks];
        ParallelRanges.For(chunks, ChunkLength, (start, end) =>
        {
            for (var chunk = start; chunk < end; chunk++)
            {
                var s = chunk * ChunkLength;
                partials[chunk] = SumChunk(data.AsSpan(s, Math.Min(ChunkLength, length - s)), squares);
            }
        });

        double total = 0;
        foreach (var p in partials)
        {
            total += p;
        }

        return total;
    }

    /// <summary>Sum of one chunk in double: four 256-bit double accumulators, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumChunk(ReadOnlySpan<float> values, bool squares)
    {
        var i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 8)
        {
            Vector256<double> a0 = default, a1 = default;
            ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values);
            for (; i + 8 <= values.Length; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)i));
                if (squares)
                {
                    a0 = Vector256.FusedMultiplyAdd(lo, lo, a0);
                    a1 = Vector256.FusedMultiplyAdd(hi, hi, a1);
                }
                else
                {
                    a0 += lo;
                    a1 += hi;
                }
            }

            total = Vector256.Sum(a0 + a1);
        }

        for (; i < values.Length; i++)
        {
            double v = values[i];
            total += squares ? v * v : v;
        }

        return total;
    }
}
