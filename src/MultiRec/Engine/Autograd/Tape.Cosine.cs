// Row-wise cosine similarity with PyTorch 1.13 semantics (each norm clamped to eps separately).
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y[r] (n x 1) = a[r]·b[r] / (n1 · n2) with n1 = max(‖a[r]‖, eps), n2 = max(‖b[r]‖, eps): what
    /// torch.nn.functional.cosine_similarity(a, b, dim=-1, eps) computes in PyTorch 1.13 (checked by
    /// experiment: with ‖a‖ = ‖b‖ = 1e-5 and eps = 1e-8 it returns the true cosine, so each norm is clamped,
    /// not their product).
    /// <para>Backward, also as PyTorch 1.13 computes it: d y / d a = b / (n1 n2) - y · a / n1², even for a
    /// clamped norm. (Torch clamps the norm in place, so its backward sees the clamped value both in the clamp
    /// mask and in the norm's derivative a / ‖a‖; the result is this formula with n1 = eps, not the exact
    /// derivative of the forward, which would drop the second term. The two differ only for rows with a
    /// norm below eps.)</para>
    /// </summary>
    public Variable CosineSimilarityRows(Variable a, Variable b, float eps = 1e-8f)
    {
        RequireSameShape(a, b, "CosineSimilarityRows");
        var record = ShouldRecord(a, b);
        var y = NewOutput(a.Rows, 1, "cosine_similarity", record);

        // Per row: the clamped norms n1, n2, saved for backward.
        var norms = record ? RentValue(a.Rows, 2) : null;
        ParallelRanges.For(a.Rows, a.Cols * 2, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var x1 = a.Value.Row(r);
                var x2 = b.Value.Row(r);
                var n1 = Math.Max(MathF.Sqrt(TensorPrimitives.SumOfSquares(x1)), eps);
                var n2 = Math.Max(MathF.Sqrt(TensorPrimitives.SumOfSquares(x2)), eps);
                y.Value.Data[r] = TensorPrimitives.Dot(x1, x2) / (n1 * n2);
                if (norms is not null)
                {
                    norms[r, 0] = n1;
                    norms[r, 1] = n2;
                }
            }
        });

        if (record)
        {
            Record(new CosineNode(y, a, b, norms!));
        }

        return y;
    }

    private sealed class CosineNode(Variable output, Variable a, Variable b, Tensor norms) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            // d cos / d a = b / (n1 n2) - cos · a / n1²  (and symmetrically for b), n1 and n2 clamped.
            var g = Output.Grad!.Data;
            var cos = Output.Value.Data;
            if (a.RequiresGrad)
            {
                var ga = tape.GradForWrite(a, out var accumulate);
                ParallelRanges.For(a.Rows, a.Cols * 3, (s, e) => WriteRows(s, e, ga, a.Value, b.Value, 0, accumulate));
            }

            if (b.RequiresGrad)
            {
                var gb = tape.GradForWrite(b, out var accumulate);
                ParallelRanges.For(a.Rows, a.Cols * 3, (s, e) => WriteRows(s, e, gb, b.Value, a.Value, 1, accumulate));
            }

            void WriteRows(int start, int end, Tensor dst, Tensor self, Tensor other, int selfColumn, bool accumulate)
            {
                for (var r = start; r < end; r++)
                {
                    var nSelf = norms[r, selfColumn];
                    var nOther = norms[r, 1 - selfColumn];
                    var otherCoefficient = g[r] / (nSelf * nOther);
                    var selfCoefficient = -g[r] * cos[r] / (nSelf * nSelf);
                    var d = dst.Row(r);
                    if (!accumulate)
                    {
                        TensorPrimitives.Multiply(other.Row(r), otherCoefficient, d);
                    }
                    else
                    {
                        TensorPrimitives.MultiplyAdd(other.Row(r), otherCoefficient, d, d);
                    }

                    TensorPrimitives.MultiplyAdd(self.Row(r), selfCoefficient, d, d);
                }
            }
        }
    }
}
