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
    public Variable L2NormalizeRows(Variable x, float eps = 1e-12f) => NormalizeRowsOf([x], eps, "l2_normalize_rows");

    /// <summary>
    /// y = L2NormalizeRows(ConcatRows(a, b)) ((a.Rows + b.Rows) × d), bit for bit, without holding the stacked rows:
    /// each output row is normalised straight from its part (MMGCN's x⁰ = normalize(P ‖ F)). Backward hands each part
    /// its rows of the normalisation's gradient.
    /// </summary>
    public Variable L2NormalizeConcatRows(Variable a, Variable b, float eps = 1e-12f)
    {
        if (a.Cols != b.Cols)
        {
            throw new ArgumentException($"L2NormalizeConcatRows: {a} has {a.Cols} columns but {b} has {b.Cols}");
        }

        return NormalizeRowsOf([a, b], eps, "l2_normalize_concat_rows");
    }

    /// <summary>Row-normalises the rows of the parts stacked in order; norms are saved for backward.</summary>
    private Variable NormalizeRowsOf(Variable[] parts, float eps, string name)
    {
        if (!(eps > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), $"L2NormalizeRows: eps must be positive, got {eps}");
        }

        var record = ShouldRecord(parts);
        var cols = parts[0].Cols;
        var y = NewOutput(parts.Sum(p => p.Rows), cols, name, record);

        // Per row: the clamped norm max(‖x‖, eps), and whether it was clamped (saved for backward).
        var norms = record ? RentValue(y.Rows, 2) : null;
        var offset = 0;
        foreach (var part in parts)
        {
            var x = part.Value;
            var first = offset;
            ParallelRanges.For(x.Rows, cols * 2, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    var row = x.Row(r);
                    var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(row));
                    var clamped = !(norm >= eps);
                    var denominator = clamped ? eps : norm;
                    TensorPrimitives.Divide(row, denominator, y.Value.Row(first + r));
                    if (norms is not null)
                    {
                        norms[first + r, 0] = denominator;
                        norms[first + r, 1] = clamped ? 1f : 0f;
                    }
                }
            });
            offset += x.Rows;
        }

        if (record)
        {
            Record(new L2NormalizeRowsNode(y, parts, norms!));
        }

        return y;
    }

    private sealed class L2NormalizeRowsNode(Variable output, Variable[] parts, Tensor norms) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            var y = Output.Value;
            var offset = 0;
            foreach (var part in parts)
            {
                var first = offset;
                offset += part.Rows;
                if (!part.RequiresGrad)
                {
                    continue;
                }

                var gx = tape.GradForWrite(part, out var accumulate);
                ParallelRanges.For(part.Rows, part.Cols * 3, (s, e) =>
                {
                    for (var r = s; r < e; r++)
                    {
                        var row = first + r;
                        var inverse = 1f / norms[row, 0];
                        var gRow = g.Row(row);
                        var dst = gx.Row(r);
                        if (!accumulate)
                        {
                            TensorPrimitives.Multiply(gRow, inverse, dst);
                        }
                        else
                        {
                            TensorPrimitives.MultiplyAdd(gRow, inverse, dst, dst);
                        }

                        if (norms[row, 1] == 0f)
                        {
                            // − y (y·g) / n
                            var yRow = y.Row(row);
                            TensorPrimitives.MultiplyAdd(yRow, -TensorPrimitives.Dot(yRow, gRow) * inverse, dst, dst);
                        }
                    }
                });
            }
        }
    }
}
