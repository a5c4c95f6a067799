// Row-wise cosine similarity with PyTorch 1.13 semantics (each norm clamped to eps separately).
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// y[r] (n x 1) = a[r]·b[r] / (max(‖a[r]‖, eps) · max(‖b[r]‖, eps)), which is what
    /// torch.nn.functional.cosine_similarity(a, b, dim=-1, eps) computes in PyTorch 1.13 (checked by
    /// experiment: with ‖a‖ = ‖b‖ = 1e-5 and eps = 1e-8 it returns the true cosine, so the product of the
    /// norms is not clamped). A clamped norm is a constant for the backward pass, as in PyTorch.
    /// </summary>
    public Variable CosineSimilarityRows(Variable a, Variable b, float eps = 1e-8f)
    {
        RequireSameShape(a, b, "CosineSimilarityRows");
        var record = ShouldRecord(a, b);
        var y = NewOutput(a.Rows, 1, "cosine_similarity", record);

        // Per row: clamped norms n1, n2 (negative when clamped, so backward knows) saved for backward.
        var norms = record ? RentValue(a.Rows, 2) : null;
        RowParallel.For(a.Rows, a.Cols * 2, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var x1 = a.Value.Row(r);
                var x2 = b.Value.Row(r);
                var norm1 = MathF.Sqrt(TensorPrimitives.SumOfSquares(x1));
                var norm2 = MathF.Sqrt(TensorPrimitives.SumOfSquares(x2));
                var n1 = Math.Max(norm1, eps);
                var n2 = Math.Max(norm2, eps);
                y.Value.Data[r] = TensorPrimitives.Dot(x1, x2) / (n1 * n2);
                if (norms is not null)
                {
                    norms[r, 0] = norm1 >= eps ? n1 : -n1;
                    norms[r, 1] = norm2 >= eps ? n2 : -n2;
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
            // d cos / d a = b / (n1 n2) - [a not clamped] cos · a / n1²  (and symmetrically for b).
            var g = Output.Grad!.Data;
            var cos = Output.Value.Data;
            if (a.RequiresGrad)
            {
                var ga = tape.GradForWrite(a, out var accumulate);
                RowParallel.For(a.Rows, a.Cols * 3, (s, e) => WriteRows(s, e, ga, a.Value, b.Value, 0, accumulate));
            }

            if (b.RequiresGrad)
            {
                var gb = tape.GradForWrite(b, out var accumulate);
                RowParallel.For(a.Rows, a.Cols * 3, (s, e) => WriteRows(s, e, gb, b.Value, a.Value, 1, accumulate));
            }

            void WriteRows(int start, int end, Tensor dst, Tensor self, Tensor other, int selfColumn, bool accumulate)
            {
                for (var r = start; r < end; r++)
                {
                    var nSelf = norms[r, selfColumn];
                    var nOther = norms[r, 1 - selfColumn];
                    var selfClamped = nSelf < 0;
                    nSelf = Math.Abs(nSelf);
                    nOther = Math.Abs(nOther);
                    var otherCoefficient = g[r] / (nSelf * nOther);
                    var selfCoefficient = selfClamped ? 0f : -g[r] * cos[r] / (nSelf * nSelf);
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
