// Affine layers in PyTorch layout: y = x W^T + b, on all rows or only on selected rows of a table.
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>y (n x out) = x (n x in) * W^T (W: out x in) + b (1 x out, optional), as torch.nn.Linear.</summary>
    public Variable Linear(Variable x, Variable w, Variable? b = null)
    {
        CheckLinearShapes(x.Cols, w, b, "Linear");
        var record = ShouldRecord(x, w, b);
        var y = NewOutput(x.Rows, w.Rows, "linear", record);
        LinearKernels.Apply(x.Value, w.Value, b?.Value, y.Value);
        if (record)
        {
            Record(new LinearNode(y, x, w, b));
        }

        return y;
    }

    /// <summary>
    /// y (k x out) = table[rows] W^T + b: the same as GatherRows(Linear(table, W, b), rows) but only the listed
    /// rows are projected. The table's gradient is scatter-added into the listed rows (repeats sum), or kept as
    /// factors when the table keeps a row-sparse gradient. The picked rows are never held all at once: they are
    /// gathered a chunk at a time, in the forward pass and again in the backward pass (so the table must not change
    /// before Backward).
    /// </summary>
    public Variable LinearRows(Variable table, int[] rows, Variable w, Variable? b = null)
    {
        CheckLinearShapes(table.Cols, w, b, "LinearRows");
        CheckRowIndices(rows, table.Rows, "LinearRows");
        var record = ShouldRecord(table, w, b);
        var y = NewOutput(rows.Length, w.Rows, "linear_rows", record);
        var chunk = RentScratch(GatheredRowsGemm.ScratchRows(rows.Length, table.Cols), table.Cols);
        GatheredRowsGemm.ProjectRows(table.Value, rows, w.Value, y.Value, chunk.Data);
        ReturnScratch(chunk);
        if (b is not null)
        {
            ElementwiseKernels.AddRowVector(y.Value, b.Value, y.Value);
        }

        if (record)
        {
            Record(new LinearRowsNode(y, table, rows, w, b));
        }

        return y;
    }

    private static void CheckLinearShapes(int inFeatures, Variable w, Variable? b, string op)
    {
        if (w.Cols != inFeatures)
        {
            throw new ArgumentException($"{op}: input has {inFeatures} features but weight {w.Name} is {w.Rows}x{w.Cols} (out x in)");
        }

        if (b is not null && (b.Rows != 1 || b.Cols != w.Rows))
        {
            throw new ArgumentException($"{op}: bias {b.Name} is {b.Rows}x{b.Cols}, expected 1x{w.Rows}");
        }
    }

    /// <summary>Gradients of W (g^T x) and b (column sums of g) shared by both linear ops.</summary>
    private static void LinearParameterBackward(Tape tape, Tensor g, Tensor x, Variable w, Variable? b)
    {
        if (w.RequiresGrad)
        {
            var gw = tape.GradForWrite(w, out var accumulate);
            Gemm.Multiply(g, true, x, false, gw, 1f, accumulate ? 1f : 0f);
        }

        if (b is not null && b.RequiresGrad)
        {
            var gb = tape.GradForWrite(b, out var accumulate);
            ReductionKernels.SumRows(g, gb, accumulate ? 1f : 0f);
        }
    }

    private sealed class LinearNode(Variable output, Variable x, Variable w, Variable? b) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            if (x.RequiresGrad)
            {
                var gx = tape.GradForWrite(x, out var accumulate);
                Gemm.Multiply(g, false, w.Value, false, gx, 1f, accumulate ? 1f : 0f);
            }

            LinearParameterBackward(tape, g, x.Value, w, b);
        }
    }

    private sealed class LinearRowsNode(Variable output, Variable table, int[] rows, Variable w, Variable? b) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            if (w.RequiresGrad)
            {
                var gw = tape.GradForWrite(w, out var accumulate);
                var chunk = tape.RentScratch(GatheredRowsGemm.ScratchRows(rows.Length, table.Cols), table.Cols);
                GatheredRowsGemm.WeightGradient(g, table.Value, rows, gw, accumulate ? 1f : 0f, chunk.Data);
                tape.ReturnScratch(chunk);
            }

            if (b is not null && b.RequiresGrad)
            {
                var gb = tape.GradForWrite(b, out var accumulate);
                ReductionKernels.SumRows(g, gb, accumulate ? 1f : 0f);
            }

            if (!table.RequiresGrad)
            {
                return;
            }

            // d table[rows] = g W: a row-sparse gradient keeps it as the two factors.
            if (table.SparseGrad?.TrySetProduct(rows, g, w.Value) == true)
            {
                return;
            }

            var gSelected = tape.RentScratch(rows.Length, table.Cols);
            Gemm.Multiply(g, false, w.Value, false, gSelected);
            if (table.SparseGrad is { } sparse)
            {
                sparse.Accumulate(rows, gSelected);
            }
            else
            {
                GatherScatterKernels.ScatterAdd(gSelected, rows, tape.GradForAccumulate(table));
            }

            tape.ReturnScratch(gSelected);
        }
    }
}
