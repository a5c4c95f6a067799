// Softmax over the stored entries of each row of a sparse pattern: attention over a node's incoming edges (PyG's
// softmax(src, index) with the edges grouped by target; GRCN's graph attention).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y (nnz x 1), y[p] = exp(v[p] − m_r) / (Σ_{q in row r} exp(v[q] − m_r) + 1e-16) for the entries p of each row r of
    /// <paramref name="pattern"/> (its values are ignored), m_r = the row's largest value: PyG 2.x's
    /// <c>softmax(src, index)</c> when the entries of a row are the edges into one target node. An empty row has no
    /// entries. Backward (the max a constant, as PyG detaches it): dv[p] = y[p] (g[p] − Σ_{q in row} g[q] y[q]).
    /// </summary>
    public Variable PatternRowSoftmax(CsrMatrix pattern, Variable values)
    {
        if (values.Rows != pattern.NonZeros || values.Cols != 1)
        {
            throw new ArgumentException($"PatternRowSoftmax: {values} for a pattern with {pattern.NonZeros} entries");
        }

        var record = ShouldRecord(values);
        var y = NewOutput(values.Rows, 1, "pattern_row_softmax", record);
        var v = values.Value.Data;
        var o = y.Value.Data;
        ParallelRanges.For(pattern.Rows, Math.Max(1, pattern.NonZeros / Math.Max(1, pattern.Rows)) * 4, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                int start = pattern.RowPtr[r], end = pattern.RowPtr[r + 1];
                var max = float.NegativeInfinity;
                for (var p = start; p < end; p++)
                {
                    max = Math.Max(max, v[p]);
                }

                var sum = 0f;
                for (var p = start; p < end; p++)
                {
                    o[p] = MathF.Exp(v[p] - max);
                    sum += o[p];
                }

                sum += 1e-16f;
                for (var p = start; p < end; p++)
                {
                    o[p] /= sum;
                }
            }
        });

        if (record)
        {
            Record(new PatternRowSoftmaxNode(y, pattern, values));
        }

        return y;
    }

    private sealed class PatternRowSoftmaxNode(Variable output, CsrMatrix pattern, Variable values) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!.Data;
            var y = Output.Value.Data;
            var dv = tape.GradForWrite(values, out var accumulate).Data;
            ParallelRanges.For(pattern.Rows, Math.Max(1, pattern.NonZeros / Math.Max(1, pattern.Rows)) * 3, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    int start = pattern.RowPtr[r], end = pattern.RowPtr[r + 1];
                    var dot = 0f;
                    for (var p = start; p < end; p++)
                    {
                        dot += g[p] * y[p];
                    }

                    for (var p = start; p < end; p++)
                    {
                        var d = y[p] * (g[p] - dot);
                        dv[p] = accumulate ? dv[p] + d : d;
                    }
                }
            });
        }
    }
}
