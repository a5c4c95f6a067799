// Row-wise L2 normalisation, as torch.nn.functional.normalize(x, p=2, dim=1, eps) computes it (GRCN, DualGNN,
// LATTICE and SLMRec normalise representations this way).
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y[r] = x[r] / max(‖x[r]‖, eps) (n x d), PyTorch's <c>F.normalize(x, dim=1, eps)</c> (default eps 1e-12).
    /// <para>Backward as PyTorch's autograd derives it from <c>x / norm.clamp_min(eps)</c>: for a row whose norm
    /// n ≥ eps, dx = (g − y (y·g)) / n; for a clamped row (n &lt; eps, a zero row included) the clamp passes no
    /// gradient to the norm, so dx = g / eps.</para>
    /// </summary>
    public Variable L2NormalizeRows(Variable x, float eps = 1e-12f)
    {
        if (!(eps > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), $"L2NormalizeRows: eps must be positive, got {eps}");
        }

        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "l2_normalize_rows", record);

        // Per row: the clamped norm max(‖x‖, eps), and whether it was clamped (saved for backward).
        var norms = record ? RentValue(x.Rows, 2) : null;
        ParallelRanges.For(x.Rows, x.Cols * 2, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var row = x.Value.Row(r);
                var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(row));
                var clamped = !(norm >= eps);
                var denominator = clamped ? eps : norm;
                TensorPrimitives.Divide(row, denominator, y.Value.Row(r));
                if (norms is not null)
                {
                    norms[r, 0] = denominator;
                    norms[r, 1] = clamped ? 1f : 0f;
                }
            }
        });

        if (record)
        {
            Record(new L2NormalizeRowsNode(y, x, norms!));
        }

        return y;
    }

    private sealed class L2NormalizeRowsNode(Variable output, Variable x, Tensor norms) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var gx = tape.GradForWrite(x, out var accumulate);
            var g = Output.Grad!;
            var y = Output.Value;
            ParallelRanges.For(x.Rows, x.Cols * 3, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    var inverse = 1f / norms[r, 0];
                    var gRow = g.Row(r);
                    var dst = gx.Row(r);
                    if (!accumulate)
                    {
                        TensorPrimitives.Multiply(gRow, inverse, dst);
                    }
                    else
                    {
                        TensorPrimitives.MultiplyAdd(gRow, inverse, dst, dst);
                    }

                    if (norms[r, 1] == 0f)
                    {
                        // − y (y·g) / n
                        var yRow = y.Row(r);
                        TensorPrimitives.MultiplyAdd(yRow, -TensorPrimitives.Dot(yRow, gRow) * inverse, dst, dst);
                    }
                }
            });
        }
    }
}
