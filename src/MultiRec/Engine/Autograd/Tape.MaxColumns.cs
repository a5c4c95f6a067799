// Row-wise maximum over the columns of a matrix (GRCN keeps, per edge, the strongest modality's weight).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y (n x 1), y[r] = max_c x[r, c]: torch.max(x, dim=1).values. Backward: the whole gradient goes to the first
    /// column holding the maximum (the index torch.max returns on CPU), none to the others.
    /// </summary>
    public Variable MaxColumns(Variable x)
    {
        if (x.Cols == 0)
        {
            throw new ArgumentException($"MaxColumns of {x}, which has no columns", nameof(x));
        }

        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, 1, "max_columns", record);
        var argmax = record ? new int[x.Rows] : null;
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Value.Row(r);
            var best = 0;
            for (var c = 1; c < row.Length; c++)
            {
                if (row[c] > row[best] || (float.IsNaN(row[c]) && !float.IsNaN(row[best])))
                {
                    best = c;
                }
            }

            y.Value.Data[r] = row[best];
            if (argmax is not null)
            {
                argmax[r] = best;
            }
        }

        if (record)
        {
            Record(new MaxColumnsNode(y, x, argmax!));
        }

        return y;
    }

    private sealed class MaxColumnsNode(Variable output, Variable x, int[] argmax) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!.Data;
            var dx = tape.GradForWrite(x, out var accumulate);
            for (var r = 0; r < x.Rows; r++)
            {
                var row = dx.Row(r);
                if (!accumulate)
                {
                    row.Clear();
                }

                row[argmax[r]] += g[r];
            }
        }
    }
}
