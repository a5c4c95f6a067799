// Softmax over every entry of a small tensor (LATTICE's modality weights), and scaling by one entry of a variable.
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y = exp(x − max x) / Σ exp(x − max x) over all entries of x (a vector, e.g. 1 x 2; torch.softmax of a
    /// 1-D tensor). Backward: dx = y ⊙ (g − Σ g ⊙ y).
    /// </summary>
    public Variable Softmax(Variable x)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "softmax", record);
        RowKernels.Softmax(x.Value.AsSpan(), y.Value.AsSpan());

        if (record)
        {
            Record(new SoftmaxNode(y, x));
        }

        return y;
    }

    /// <summary>
    /// y = x · w[index] (w's entry at flat index <paramref name="index"/> scales every entry of x; torch's
    /// <c>weight[i] * x</c>). Backward: dx = g · w[index], dw[index] += Σ g ⊙ x.
    /// </summary>
    public Variable ScaleByEntry(Variable x, Variable w, int index)
    {
        if ((uint)index >= (uint)w.Value.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"ScaleByEntry: index {index} is outside {w}");
        }

        var record = ShouldRecord(x, w);
        var y = NewOutput(x.Rows, x.Cols, "scale_by_entry", record);
        var c = w.Value.Data[index];
        var src = x.Value.AsSpan();
        var dst = y.Value.AsSpan();
        for (var i = 0; i < src.Length; i++)
        {
            dst[i] = c * src[i];
        }

        if (record)
        {
            Record(new ScaleByEntryNode(y, x, w, index));
        }

        return y;
    }

    private sealed class SoftmaxNode(Variable output, Variable x) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!.AsSpan();
            var y = Output.Value.AsSpan();
            var dot = 0f;
            for (var i = 0; i < y.Length; i++)
            {
                dot += g[i] * y[i];
            }

            var gx = tape.GradForWrite(x, out var accumulate);
            for (var i = 0; i < y.Length; i++)
            {
                var grad = y[i] * (g[i] - dot);
                gx.Data[i] = accumulate ? gx.Data[i] + grad : grad;
            }
        }
    }

    private sealed class ScaleByEntryNode(Variable output, Variable x, Variable w, int index) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!.AsSpan();
            var c = w.Value.Data[index];
            if (x.RequiresGrad)
            {
                var gx = tape.GradForWrite(x, out var accumulate);
                for (var i = 0; i < g.Length; i++)
                {
                    gx.Data[i] = accumulate ? gx.Data[i] + (c * g[i]) : c * g[i];
                }
            }

            if (w.RequiresGrad)
            {
                double sum = 0;
                var src = x.Value.AsSpan();
                for (var i = 0; i < g.Length; i++)
                {
                    sum += (double)g[i] * src[i];
                }

                tape.GradForAccumulate(w).Data[index] += (float)sum;
            }
        }
    }
}
