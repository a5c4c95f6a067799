// Softmax cross-entropy with integer class labels, averaged over rows: torch.nn.CrossEntropyLoss (mean) on
// logits / τ. SLMRec's in-batch InfoNCE terms use it on B × B logits with labels 0..B−1.
namespace MultiRec.Engine.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// y (1 × 1) = (1/n) Σ_r [ logsumexp_j(z[r, j]) − z[r, labels[r]] ] with z = logits / τ (n × c, each entry
    /// divided by τ as PyTorch's <c>logits /= τ</c>): <c>F.cross_entropy(logits / τ, labels)</c>, reduction mean.
    /// Each row's log-sum-exp is taken after subtracting its maximum (no overflow for any finite input) and summed
    /// in double; the mean is rounded to float32 once.
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
        var cols = logits.Cols;
        // Per row: its log-sum-exp of z (kept for backward) and its loss.
        var lse = new double[rows];
        var loss = new double[rows];
        var x = logits.Value;
        ParallelRanges.For(rows, cols * 4L, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var row = x.Row(r);
                var max = float.NegativeInfinity;
                foreach (var v in row)
                {
                    max = Math.Max(max, v / temperature);
                }

                var sum = 0.0;
                foreach (var v in row)
                {
                    sum += Math.Exp((v / temperature) - max);
                }

                lse[r] = max + Math.Log(sum);
                loss[r] = lse[r] - (row[labels[r]] / temperature);
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
            Record(new SoftmaxCrossEntropyNode(y, logits, labels, temperature, lse));
        }

        return y;
    }

    private sealed class SoftmaxCrossEntropyNode(Variable output, Variable logits, int[] labels, float temperature, double[] lse) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var gx = tape.GradForWrite(logits, out var accumulate);
            var coefficient = Output.Grad!.Data[0] / ((double)logits.Rows * temperature);
            var x = logits.Value;
            ParallelRanges.For(logits.Rows, logits.Cols * 4L, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    var row = x.Row(r);
                    var dst = gx.Row(r);
                    for (var j = 0; j < row.Length; j++)
                    {
                        var p = Math.Exp((row[j] / temperature) - lse[r]);
                        var d = (float)(coefficient * (j == labels[r] ? p - 1.0 : p));
                        dst[j] = accumulate ? dst[j] + d : d;
                    }
                }
            });
        }
    }
}
