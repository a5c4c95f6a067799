// Y = A X for a sparse A whose values are a variable (a learned item-item graph times item embeddings).
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// Y (pattern.Rows x d) = A X, A = <paramref name="pattern"/> holding <paramref name="values"/> (nnz x 1; the
    /// pattern's own values are ignored), X: pattern.Cols x d. Equal to torch.mm of the dense A (whose other entries
    /// are zero) with X, in O(nnz · d) instead of O(rows · cols · d).
    /// Backward: dv[p] = dY[r]·X[c] for p = (r, c); dX = Aᵀ dY (by column, no transpose matrix is built).
    /// </summary>
    public Variable SparseValuesMultiply(CsrMatrix pattern, Variable values, Variable x)
    {
        if (values.Rows != pattern.NonZeros || values.Cols != 1 || x.Rows != pattern.Cols)
        {
            throw new ArgumentException($"SparseValuesMultiply: pattern {pattern.Rows}x{pattern.Cols} with {pattern.NonZeros} entries, values {values}, x {x}");
        }

        var record = ShouldRecord(values, x);
        var y = NewOutput(pattern.Rows, x.Cols, "sparse_values_multiply", record);
        var v = values.Value.Data;
        var cost = (long)(pattern.NonZeros / Math.Max(1, pattern.Rows) + 1) * x.Cols;
        ParallelRanges.For(pattern.Rows, cost, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var dst = y.Value.Row(r);
                dst.Clear();
                for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                {
                    TensorPrimitives.MultiplyAdd(x.Value.Row(pattern.ColIdx[p]), v[p], dst, dst);
                }
            }
        });

        if (record)
        {
            Record(new SparseValuesMultiplyNode(y, pattern, values, x));
        }

        return y;
    }

    private sealed class SparseValuesMultiplyNode(Variable output, CsrMatrix pattern, Variable values, Variable x) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            var cost = (long)(pattern.NonZeros / Math.Max(1, pattern.Rows) + 1) * x.Cols;
            if (values.RequiresGrad)
            {
                var gv = tape.GradForWrite(values, out var accumulate);
                ParallelRanges.For(pattern.Rows, cost, (s, e) =>
                {
                    for (var r = s; r < e; r++)
                    {
                        var gr = g.Row(r);
                        for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                        {
                            var dot = TensorPrimitives.Dot(gr, x.Value.Row(pattern.ColIdx[p]));
                            gv.Data[p] = accumulate ? gv.Data[p] + dot : dot;
                        }
                    }
                });
            }

            if (x.RequiresGrad)
            {
                var gx = tape.GradForAccumulate(x);
                var v = values.Value.Data;
                var t = PatternTranspose.Of(pattern);
                ParallelRanges.For(pattern.Cols, cost, (s, e) =>
                {
                    for (var c = s; c < e; c++)
                    {
                        var d = gx.Row(c);
                        for (var q = t.ColPtr[c]; q < t.ColPtr[c + 1]; q++)
                        {
                            var p = t.Slots[q];
                            TensorPrimitives.MultiplyAdd(g.Row(t.RowOf[p]), v[p], d, d);
                        }
                    }
                });
            }
        }
    }
}
