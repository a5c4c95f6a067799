// Row-structure ops: concatenate rows ([E_u; E_i]), slice rows (H -> H_u, H_i), gather rows by index.
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>Stacks the parts' rows: (r1 + r2 + ...) x d. Backward hands each part its block of rows.</summary>
    public Variable ConcatRows(IReadOnlyList<Variable> parts)
    {
        if (parts.Count == 0)
        {
            throw new ArgumentException("ConcatRows needs at least one part", nameof(parts));
        }

        var cols = parts[0].Cols;
        var rows = 0;
        foreach (var p in parts)
        {
            if (p.Cols != cols)
            {
                throw new ArgumentException($"ConcatRows: {p} has {p.Cols} columns, expected {cols}", nameof(parts));
            }

            rows += p.Rows;
        }

        var record = ShouldRecord(parts);
        var y = NewOutput(rows, cols, "concat_rows", record);
        var offset = 0;
        foreach (var p in parts)
        {
            Elementwise.WriteRange(y.Value.Data, offset * cols, p.Value.Data, 0, p.Value.Length, accumulate: false);
            offset += p.Rows;
        }

        if (record)
        {
            Record(new ConcatRowsNode(y, [.. parts]));
        }

        return y;
    }

    /// <summary>Stacks the rows of a and then b.</summary>
    public Variable ConcatRows(Variable a, Variable b) => ConcatRows([a, b]);

    /// <summary>Rows [start, start + count) of x as a new count x d variable.</summary>
    public Variable SliceRows(Variable x, int start, int count)
    {
        if (start < 0 || count < 0 || start + count > x.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"SliceRows [{start}, {start + count}) is outside the {x.Rows} rows of {x.Name}");
        }

        var record = ShouldRecord(x);
        var y = NewOutput(count, x.Cols, "slice_rows", record);
        Elementwise.WriteRange(y.Value.Data, 0, x.Value.Data, start * x.Cols, count * x.Cols, accumulate: false);
        if (record)
        {
            Record(new SliceRowsNode(y, x, start));
        }

        return y;
    }

    /// <summary>y[k] = x[rows[k]] (rows may repeat; backward scatter-adds).</summary>
    public Variable GatherRows(Variable x, int[] rows)
    {
        CheckRowIndices(rows, x.Rows, "GatherRows");
        var record = ShouldRecord(x);
        var y = NewOutput(rows.Length, x.Cols, "gather_rows", record);
        GatherScatterKernels.Gather(x.Value, rows, y.Value);
        if (record)
        {
            Record(new GatherRowsNode(y, x, rows));
        }

        return y;
    }

    private sealed class ConcatRowsNode(Variable output, Variable[] parts) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            var offset = 0;
            foreach (var p in parts)
            {
                if (p.RequiresGrad)
                {
                    var gp = tape.GradForWrite(p, out var accumulate);
                    Elementwise.WriteRange(gp.Data, 0, g.Data, offset * p.Cols, p.Value.Length, accumulate);
                }

                offset += p.Rows;
            }
        }
    }

    private sealed class SliceRowsNode(Variable output, Variable x, int start) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            // Fresh buffers get zeros outside the slice and a copy inside it; otherwise the slice is added.
            var gx = tape.GradForWrite(x, out var accumulate);
            var offset = start * x.Cols;
            var length = Output.Value.Length;
            if (!accumulate)
            {
                Elementwise.ClearRange(gx.Data, 0, offset);
                Elementwise.ClearRange(gx.Data, offset + length, x.Value.Length - offset - length);
            }

            Elementwise.WriteRange(gx.Data, offset, Output.Grad!.Data, 0, length, accumulate);
        }
    }

    private sealed class GatherRowsNode(Variable output, Variable x, int[] rows) : TapeNode(output)
    {
        public override void Backward(Tape tape) => GatherScatterKernels.ScatterAdd(Output.Grad!, rows, tape.GradForAccumulate(x));
    }
}
