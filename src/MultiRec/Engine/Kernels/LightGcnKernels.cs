// Fused LightGCN layer kernels over row blocks: one SpMM row at a time, folded straight into the layer mean
// (forward) or the gradient recurrence (backward), so no layer output is kept.
using System.Runtime.Intrinsics;

namespace MultiRec.Engine;

/// <summary>
/// The two per-layer kernels of <c>Tape.LightGcnPropagate</c>. Each computes s_r = Σ_p Â[r, c_p] · X[c_p] for every
/// row r of the square matrix Â exactly as <see cref="SparseKernels.Multiply"/> does (FMA per stored entry, in
/// stored order, independent of the thread count) and then finishes the row in registers-sized pieces. Matrices
/// are <see cref="RowBlocks"/>, so [E_u; E_i] and [H_u; H_i] are read and written without concatenated copies.
/// </summary>
internal static class LightGcnKernels
{
    /// <summary>
    /// Forward layer l: s = Â X (X = E^(l-1)); <paramref name="next"/>[r] = s when given (E^l for layer l + 1);
    /// mean[r] = (meanBase[r] + s) / divisor, without dividing when divisor is 1. meanBase may be mean itself
    /// (the running sum E⁰ + … + E^l) or E⁰ (first layer); X must share no buffer with next or mean.
    /// </summary>
    public static void ForwardLayer(CsrMatrix a, RowBlocks x, Tensor? next, RowBlocks mean, RowBlocks meanBase, float divisor)
    {
        var n = a.Rows;
        var d = x.Cols;
        CheckSquare(a, x, "ForwardLayer");
        mean.CheckShape(n, d, "ForwardLayer mean");
        meanBase.CheckShape(n, d, "ForwardLayer mean base");
        if (next is not null)
        {
            new RowBlocks(next).CheckShape(n, d, "ForwardLayer next");
        }

        if (x.SharesStorageWith(mean) || (next is not null && x.SharesStorageWith(new RowBlocks(next))))
        {
            throw new ArgumentException("ForwardLayer: the layer input must not share storage with an output");
        }

        SparseKernels.ForBalancedRows(a, d, (start, end) => ForwardRows(a, x, next, mean, meanBase, divisor, start, end));
    }

    /// <summary>
    /// Backward step of the recurrence Z_(l-1) = G + Âᵀ Z_l: z = seed[r] + Σ_p Â[r, c_p] · X[c_p] (pass Âᵀ as
    /// <paramref name="a"/>); output[r] = z, or output[r] += z in a block whose accumulate flag is set.
    /// X must share no buffer with output; seed may be X.
    /// </summary>
    public static void BackwardLayer(CsrMatrix a, RowBlocks x, RowBlocks seed, RowBlocks output, bool accumulateTop, bool accumulateBottom)
    {
        var n = a.Rows;
        var d = x.Cols;
        CheckSquare(a, x, "BackwardLayer");
        seed.CheckShape(n, d, "BackwardLayer seed");
        output.CheckShape(n, d, "BackwardLayer output");
        if (x.SharesStorageWith(output) || seed.SharesStorageWith(output))
        {
            throw new ArgumentException("BackwardLayer: the inputs must not share storage with the output");
        }

        SparseKernels.ForBalancedRows(a, d, (start, end) => BackwardRows(a, x, seed, output, accumulateTop, accumulateBottom, start, end));
    }

    private static void CheckSquare(CsrMatrix a, RowBlocks x, string op)
    {
        if (a.Rows != a.Cols || x.Rows != a.Cols)
        {
            throw new ArgumentException($"{op}: needs a square matrix and a matching input, got {a.Rows}x{a.Cols} and {x.Rows} rows");
        }
    }

    private static unsafe void ForwardRows(CsrMatrix a, RowBlocks x, Tensor? next, RowBlocks mean, RowBlocks meanBase, float divisor, int rowStart, int rowEnd)
    {
        var d = x.Cols;
        Span<float> rowSum = d <= 1024 ? stackalloc float[d] : new float[d];
        fixed (float* xTop = x.Top.Data, xBottom = x.Bottom?.Data, pNext = next?.Data)
        fixed (float* meanTop = mean.Top.Data, meanBottom = mean.Bottom?.Data, baseTop = meanBase.Top.Data, baseBottom = meanBase.Bottom?.Data)
        fixed (float* s = rowSum)
        {
            var source = new PinnedRows(xTop, xBottom, x.Top.Rows, d);
            var meanRows = new PinnedRows(meanTop, meanBottom, mean.Top.Rows, d);
            var baseRows = new PinnedRows(baseTop, baseBottom, meanBase.Top.Rows, d);
            for (var r = rowStart; r < rowEnd; r++)
            {
                SparseKernels.AccumulateRow(a, r, source, s, d, beta: 0f);
                if (pNext is not null)
                {
                    new Span<float>(s, d).CopyTo(new Span<float>(pNext + ((long)r * d), d));
                }

                AddThenDivide(meanRows[r], baseRows[r], s, divisor, d);
            }
        }
    }

    private static unsafe void BackwardRows(CsrMatrix a, RowBlocks x, RowBlocks seed, RowBlocks output, bool accumulateTop, bool accumulateBottom, int rowStart, int rowEnd)
    {
        var d = x.Cols;
        var split = output.Top.Rows;
        Span<float> rowSum = d <= 1024 ? stackalloc float[d] : new float[d];
        fixed (float* xTop = x.Top.Data, xBottom = x.Bottom?.Data, seedTop = seed.Top.Data, seedBottom = seed.Bottom?.Data)
        fixed (float* outTop = output.Top.Data, outBottom = output.Bottom?.Data)
        fixed (float* z = rowSum)
        {
            var source = new PinnedRows(xTop, xBottom, x.Top.Rows, d);
            var seedRows = new PinnedRows(seedTop, seedBottom, seed.Top.Rows, d);
            var outRows = new PinnedRows(outTop, outBottom, split, d);
            for (var r = rowStart; r < rowEnd; r++)
            {
                var zRow = new Span<float>(z, d);
                new Span<float>(seedRows[r], d).CopyTo(zRow);
                SparseKernels.AccumulateRow(a, r, source, z, d, beta: 1f);
                var accumulate = r < split ? accumulateTop : accumulateBottom;
                if (accumulate)
                {
                    AddThenDivide(outRows[r], outRows[r], z, 1f, d);
                }
                else
                {
                    zRow.CopyTo(new Span<float>(outRows[r], d));
                }
            }
        }
    }

    /// <summary>dst = (b + s) / divisor over d floats (no division when divisor is 1); dst may be b.
    /// Plain IEEE add and divide, so the result equals TensorPrimitives.Add followed by Divide.</summary>
    private static unsafe void AddThenDivide(float* dst, float* b, float* s, float divisor, int d)
    {
        var j = 0;
        if (divisor == 1f)
        {
            for (; j + 8 <= d; j += 8)
            {
                Vector256.Store(Vector256.Load(b + j) + Vector256.Load(s + j), dst + j);
            }

            for (; j < d; j++)
            {
                dst[j] = b[j] + s[j];
            }

            return;
        }

        var vd = Vector256.Create(divisor);
        for (; j + 8 <= d; j += 8)
        {
            Vector256.Store((Vector256.Load(b + j) + Vector256.Load(s + j)) / vd, dst + j);
        }

        for (; j < d; j++)
        {
            dst[j] = (b[j] + s[j]) / divisor;
        }
    }
}
