// Row-wise L2 normalisation y[r] = x[r] / max(‖x[r]‖, eps), as torch.nn.functional.normalize(x) (p = 2, dim = 1).
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// y[r] = x[r] / n_r with n_r = max(‖x[r]‖₂, eps) (F.normalize's default eps 1e-12). Backward, as PyTorch's chain
    /// div → clamp_min → norm: dx[r] = g[r] / n_r − x[r] · (g[r]·x[r]) / (n_r² ‖x[r]‖) for rows whose norm reaches eps;
    /// rows below it (the clamp holds) get only g[r] / eps.
    /// </summary>
    public Variable NormalizeRows(Variable x, float eps = 1e-12f)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "normalize_rows", record);
        var norms = record ? RentValue(x.Rows, 1) : null;
        ParallelRanges.For(x.Rows, x.Cols * 2, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var row = x.Value.Row(r);
                var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(row));
                TensorPrimitives.Divide(row, Math.Max(norm, eps), y.Value.Row(r));
                if (norms is not null)
                {
                    norms.Data[r] = norm;
                }
            }
        });

        if (record)
        {
            Record(new NormalizeRowsNode(y, x, norms!, eps));
        }

        return y;
    }

    private sealed class NormalizeRowsNode(Variable output, Variable x, Tensor norms, float eps) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var gx = tape.GradForWrite(x, out var accumulate);
            var g = Output.Grad!;
            ParallelRanges.For(x.Rows, x.Cols * 3, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    var norm = norms.Data[r];
                    var n = Math.Max(norm, eps);
                    var gRow = g.Row(r);
                    var xRow = x.Value.Row(r);
                    var d = gx.Row(r);
                    // the divisor's gradient −Σ g·x / n², passed through the clamp and the norm (x / ‖x‖)
                    var xCoefficient = norm >= eps ? -TensorPrimitives.Dot(gRow, xRow) / (n * n) / norm : 0f;
                    if (accumulate)
                    {
                        for (var c = 0; c < d.Length; c++)
                        {
                            d[c] += (gRow[c] / n) + (xRow[c] * xCoefficient);
                        }
                    }
                    else
                    {
                        for (var c = 0; c < d.Length; c++)
                        {
                            d[c] = (gRow[c] / n) + (xRow[c] * xCoefficient);
                        }
                    }
                }
            });
        }
    }
}
