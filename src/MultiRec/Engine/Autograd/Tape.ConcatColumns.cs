// Column concatenation [a ‖ b] of two matrices with the same rows (VBPR's item vector z_i = γ_i ‖ Q_i).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>y (n × (ca + cb)) with y[r] = a[r] ‖ b[r]. Backward hands each input its block of columns.</summary>
    public Variable ConcatColumns(Variable a, Variable b)
    {
        if (a.Rows != b.Rows)
        {
            throw new ArgumentException($"ConcatColumns: {a} and {b} differ in rows");
        }

        var record = ShouldRecord(a, b);
        var y = NewOutput(a.Rows, a.Cols + b.Cols, "concat_columns", record);
        for (var r = 0; r < a.Rows; r++)
        {
            a.Value.Row(r).CopyTo(y.Value.Row(r));
            b.Value.Row(r).CopyTo(y.Value.Row(r)[a.Cols..]);
        }

        if (record)
        {
            Record(new ConcatColumnsNode(y, a, b));
        }

        return y;
    }

    private sealed class ConcatColumnsNode(Variable output, Variable a, Variable b) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            if (a.RequiresGrad)
            {
                ScatterColumnBlock(g, 0, tape.GradForWrite(a, out var accumulate), accumulate);
            }

            if (b.RequiresGrad)
            {
                ScatterColumnBlock(g, a.Cols, tape.GradForWrite(b, out var accumulate), accumulate);
            }
        }
    }

    /// <summary>target[r] (+)= g[r][offset .. offset + target.Cols]: a block of columns of a concatenation's gradient
    /// handed to the input it came from (ConcatColumns, LinearOfConcat).</summary>
    internal static void ScatterColumnBlock(Tensor g, int offset, Tensor target, bool accumulate)
    {
        ParallelRanges.For(target.Rows, target.Cols, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var src = g.Row(r).Slice(offset, target.Cols);
                var dst = target.Row(r);
                if (accumulate)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                }
                else
                {
                    src.CopyTo(dst);
                }
            }
        });
    }
}
