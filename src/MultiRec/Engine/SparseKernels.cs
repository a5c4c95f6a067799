// CSR sparse x dense products for graph propagation: Y = A X + beta Y and Y = A^T X + beta Y.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MultiRec.Engine;

/// <summary>Sparse-dense products, parallel over row blocks balanced by non-zeros, vectorised over columns.</summary>
internal static class SparseKernels
{
    private static readonly ConditionalWeakTable<CsrMatrix, CsrMatrix> TransposeCache = [];

    /// <summary>Y (A.Rows x d) = A X + beta * Y, with X of shape (A.Cols x d). beta == 0 overwrites Y without reading it.
    /// Each output row sums its entries in stored order, so the result does not depend on the thread count.</summary>
    public static void Multiply(CsrMatrix a, Tensor x, Tensor y, float beta = 0f)
    {
        if (x.Rows != a.Cols || y.Rows != a.Rows || y.Cols != x.Cols)
        {
            throw new ArgumentException($"SpMM shapes do not agree: A {a.Rows}x{a.Cols}, X {x.Rows}x{x.Cols}, Y {y.Rows}x{y.Cols}");
        }

        if (ReferenceEquals(x.Data, y.Data))
        {
            throw new ArgumentException("SpMM output Y must not share storage with X");
        }

        ForBalancedRows(a, x.Cols, (start, end) => MultiplyRows(a, x, y, beta, start, end));
    }

    /// <summary>Y (A.Cols x d) = A^T X + beta * Y, with X of shape (A.Rows x d). Uses a transpose of A built on first
    /// use and cached for the matrix's lifetime, so A's arrays must not be modified after the first call.</summary>
    public static void MultiplyTransposed(CsrMatrix a, Tensor x, Tensor y, float beta = 0f)
    {
        Multiply(TransposeOf(a), x, y, beta);
    }

    /// <summary>The cached transpose of A (built once per matrix instance).</summary>
    public static CsrMatrix TransposeOf(CsrMatrix a) => TransposeCache.GetValue(a, static m => m.Transpose());

    /// <summary>Calls body(start, end) over disjoint row ranges of A covering all its rows, in parallel when the product
    /// with a d-column matrix is large; ranges hold about the same count of non-zeros plus rows.</summary>
    internal static void ForBalancedRows(CsrMatrix a, int d, Action<int, int> body)
    {
        var blocks = ParallelRanges.BlockCount(a.Rows, ((long)a.NonZeros + a.Rows) * d);
        if (blocks <= 1)
        {
            body(0, a.Rows);
            return;
        }

        Parallel.For(0, blocks, ComputeSettings.ParallelOptions, block =>
        {
            body(BalancedRowStart(a, block, blocks), BalancedRowStart(a, block + 1, blocks));
        });
    }

    /// <summary>First row of block b of n, chosen so each block holds about the same count of non-zeros plus rows.</summary>
    private static int BalancedRowStart(CsrMatrix a, int block, int blocks)
    {
        if (block >= blocks)
        {
            return a.Rows;
        }

        var target = ((long)a.NonZeros + a.Rows) * block / blocks;
        int lo = 0, hi = a.Rows;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if ((long)a.RowPtr[mid] + mid < target)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static unsafe void MultiplyRows(CsrMatrix a, Tensor x, Tensor y, float beta, int rowStart, int rowEnd)
    {
        var d = x.Cols;
        fixed (float* px = x.Data)
        fixed (float* py = y.Data)
        {
            var source = new PinnedRows(px, d);
            for (var r = rowStart; r < rowEnd; r++)
            {
                AccumulateRow(a, r, source, py + ((long)r * d), d, beta);
            }
        }
    }

    /// <summary>y (d floats) = A[r, :] X + beta * y: one FMA per stored entry, in stored order, so every entry of the
    /// result is the same whichever column block (32, 8 or 1 wide) computes it. beta == 0 does not read y.</summary>
    internal static unsafe void AccumulateRow(CsrMatrix a, int r, PinnedRows x, float* y, int d, float beta)
    {
        var colIdx = a.ColIdx;
        var values = a.Values;
        var start = a.RowPtr[r];
        var end = a.RowPtr[r + 1];
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 32 <= d; j += 32)
            {
                AccumulateBlock32(y + j, x, j, colIdx, values, start, end, beta);
            }

            for (; j + 8 <= d; j += 8)
            {
                var acc = beta == 0f ? Vector256<float>.Zero : Vector256.Load(y + j) * beta;
                for (var p = start; p < end; p++)
                {
                    acc = Vector256.FusedMultiplyAdd(Vector256.Create(values[p]), Vector256.Load(x[colIdx[p]] + j), acc);
                }

                Vector256.Store(acc, y + j);
            }
        }

        for (; j < d; j++)
        {
            var acc = beta == 0f ? 0f : y[j] * beta;
            for (var p = start; p < end; p++)
            {
                acc = MathF.FusedMultiplyAdd(values[p], x[colIdx[p]][j], acc);
            }

            y[j] = acc;
        }
    }

    /// <summary>32 columns of one output row, held in four 256-bit accumulators across the row's non-zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AccumulateBlock32(float* y, PinnedRows x, int column, int[] colIdx, float[] values, int start, int end, float beta)
    {
        Vector256<float> a0, a1, a2, a3;
        if (beta == 0f)
        {
            a0 = a1 = a2 = a3 = Vector256<float>.Zero;
        }
        else
        {
            var vb = Vector256.Create(beta);
            a0 = Vector256.Load(y) * vb;
            a1 = Vector256.Load(y + 8) * vb;
            a2 = Vector256.Load(y + 16) * vb;
            a3 = Vector256.Load(y + 24) * vb;
        }

        for (var p = start; p < end; p++)
        {
            var v = Vector256.Create(values[p]);
            var xr = x[colIdx[p]] + column;
            a0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(xr), a0);
            a1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(xr + 8), a1);
            a2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(xr + 16), a2);
            a3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(xr + 24), a3);
        }

        Vector256.Store(a0, y);
        Vector256.Store(a1, y + 8);
        Vector256.Store(a2, y + 16);
        Vector256.Store(a3, y + 24);
    }
}
