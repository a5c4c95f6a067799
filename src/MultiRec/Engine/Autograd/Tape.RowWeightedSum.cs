// Per-row weighted sum of k same-shaped matrices, y[r] = Σ_c w[r, c] · x_c[r]: a learned per-row mixture of k
// representations (DualGNN fuses its modalities per user this way, as a [n, d, k] × [n, k, 1] batched matmul).
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y (n × d) with y[r] = Σ_c w[r, c] · parts[c][r], w: n × k, each part n × d, summed in part order.
    /// Backward: d parts[c][r] = w[r, c] · dy[r]; d w[r, c] = parts[c][r] · dy[r].
    /// </summary>
    public Variable RowWeightedSum(Variable weights, IReadOnlyList<Variable> parts)
    {
        if (parts.Count == 0 || parts.Count != weights.Cols)
        {
            throw new ArgumentException($"RowWeightedSum: {parts.Count} parts for the {weights.Cols} weight columns of {weights}", nameof(parts));
        }

        foreach (var p in parts)
        {
            if (p.Rows != weights.Rows || p.Cols != parts[0].Cols)
            {
                throw new ArgumentException($"RowWeightedSum: {p} is {p.Rows}x{p.Cols}, expected {weights.Rows}x{parts[0].Cols}", nameof(parts));
            }
        }

        var inputs = new List<Variable>(parts) { weights };
        var record = ShouldRecord(inputs);
        var y = NewOutput(weights.Rows, parts[0].Cols, "row_weighted_sum", record);
        ParallelRanges.For(y.Rows, y.Cols * parts.Count, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var dst = y.Value.Row(r);
                TensorPrimitives.Multiply(parts[0].Value.Row(r), weights.Value[r, 0], dst);
                for (var c = 1; c < parts.Count; c++)
                {
                    TensorPrimitives.MultiplyAdd(parts[c].Value.Row(r), weights.Value[r, c], dst, dst);
                }
            }
        });

        if (record)
        {
            Record(new RowWeightedSumNode(y, weights, [.. parts]));
        }

        return y;
    }

    private sealed class RowWeightedSumNode(Variable output, Variable weights, Variable[] parts) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            for (var c = 0; c < parts.Length; c++)
            {
                var part = parts[c];
                if (!part.RequiresGrad)
                {
                    continue;
                }

                var column = c;
                var dst = tape.GradForWrite(part, out var accumulate);
                ParallelRanges.For(g.Rows, g.Cols, (s, e) =>
                {
                    for (var r = s; r < e; r++)
                    {
                        var w = weights.Value[r, column];
                        if (accumulate)
                        {
                            TensorPrimitives.MultiplyAdd(g.Row(r), w, dst.Row(r), dst.Row(r));
                        }
                        else
                        {
                            TensorPrimitives.Multiply(g.Row(r), w, dst.Row(r));
                        }
                    }
                });
            }

            if (weights.RequiresGrad)
            {
                var dw = tape.GradForWrite(weights, out var accumulate);
                ParallelRanges.For(g.Rows, g.Cols * parts.Length, (s, e) =>
                {
                    for (var r = s; r < e; r++)
                    {
                        for (var c = 0; c < parts.Length; c++)
                        {
                            var value = TensorPrimitives.Dot(parts[c].Value.Row(r), g.Row(r));
                            dw[r, c] = accumulate ? dw[r, c] + value : value;
                        }
                    }
                });
            }
        }
    }
}
