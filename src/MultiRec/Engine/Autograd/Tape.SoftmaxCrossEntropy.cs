// Softmax cross-entropy with integer class labels, averaged over rows: torch.nn.CrossEntropyLoss (mean) on
// logits / τ. SLMRec's in-batch InfoNCE terms use it on B × B logits with labels 0..B−1.
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y (1 × 1) = (1/n) Σ_r [ logsumexp_j(z[r, j]) − z[r, labels[r]] ] with z = logits / τ (n × c, each entry
    /// divided by τ as PyTorch's <c>logits /= τ</c>): <c>F.cross_entropy(logits / τ, labels)</c>, reduction mean.
    /// Each row's log-sum-exp is taken after subtracting its maximum (no overflow for any finite input), its
    /// exponentials summed in double; the mean is rounded to float32 once. The softmax is kept for backward
    /// (n × c floats).
    /// <para>Backward: d y / d logits[r, j] = dy / (n τ) · (softmax(z[r])_j − [j = labels[r]]).</para>
    /// </summary>
    public Variable SoftmaxCrossEntropy(Variable logits, int[] labels, float temperature = 1f)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != logits.Rows || logits.Rows == 0)
        {
            throw new ArgumentException($"SoftmaxCrossEntropy: {labels.Length} labels for the {logits.Rows} rows of {logits} (at least one row)");
        }

        if (!(temperature > 0f) || !float.IsFinite(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "SoftmaxCrossEntropy: the temperature must be positive and finite");
        }

        CheckRowIndices(labels, logits.Cols, "SoftmaxCrossEntropy");
        var record = ShouldRecord(logits);
        var y = NewOutput(1, 1, "softmax_cross_entropy", record);
        var rows = logits.Rows;
        var x = logits.Value;
        // Per row: softmax(z[r]) into probabilities (kept for backward) and the row's loss.
        var probabilities = record ? RentValue(rows, logits.Cols) : RentScratch(rows, logits.Cols);
        var loss = new double[rows];
        ParallelRanges.For(rows, logits.Cols * 8L, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var z = probabilities.Row(r);
                TensorPrimitives.Divide(x.Row(r), temperature, z);                 // z = logits / τ in float32
                var max = TensorPrimitives.Max(z);
                var target = z[labels[r]];
                TensorPrimitives.Subtract(z, max, z);
                TensorPrimitives.Exp(z, z);
                var sum = 0.0;
                foreach (var v in z)
                {
                    sum += v;
                }

                loss[r] = max + Math.Log(sum) - target;
                TensorPrimitives.Multiply(z, (float)(1.0 / sum), z);
            }
        });

        var total = 0.0;
        foreach (var l in loss)
        {
            total += l;
        }

        y.Value.Data[0] = (float)(total / rows);
        if (record)
        {
            Record(new SoftmaxCrossEntropyNode(y, logits, labels, temperature, probabilities));
        }
        else
        {
            ReturnScratch(probabilities);
        }

        return y;
    }

    private sealed class SoftmaxCrossEntropyNode(Variable output, Variable logits, int[] labels, float temperature, Tensor probabilities) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var gx = tape.GradForWrite(logits, out var accumulate);
            var coefficient = (float)(Output.Grad!.Data[0] / ((double)logits.Rows * temperature));
            ParallelRanges.For(logits.Rows, logits.Cols * 2L, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    var dst = gx.Row(r);
                    if (accumulate)
                    {
                        TensorPrimitives.MultiplyAdd(probabilities.Row(r), coefficient, dst, dst);
                    }
                    else
                    {
                        TensorPrimitives.Multiply(probabilities.Row(r), coefficient, dst);
                    }

                    dst[labels[r]] -= coefficient;
                }
            });
        }
    }
}
