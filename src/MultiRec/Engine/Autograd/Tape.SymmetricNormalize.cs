// Symmetric degree normalisation D^-½ A D^-½ of a sparse matrix with trainable values, both sides from the row sums.
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// The values (nnz x 1) of D^-½ A D^-½, where A is <paramref name="pattern"/> (square; its own values are ignored)
    /// holding <paramref name="values"/> (nnz x 1) and D = diag(row sums of A) on both sides:
    /// <code>
    /// s_r = Σ_p∈row r v[p],   d_r = 1 / √s_r  (0 where s_r = 0),   out[p] = (d_r · v[p]) · d_c   for p = (r, c)
    /// </code>
    /// This is MMRec's compute_normalized_laplacian (two matrix products with diagflat(d)), which for a matrix with
    /// nnz stored entries reduces to these O(nnz) products (its zero entries stay zero; the same float32 products,
    /// only the row sums may add in another order). The row sums need not be symmetric: column c is scaled by d_c,
    /// its ROW sum's factor.
    /// Backward (g = dout): dv[p] = g[p] d_r d_c + ds_r, with ds_r = −½ d_r³ · (Σ_p∈row r g[p] v[p] d_c
    /// + Σ_p∈col r g[p] d_(row p) v[p]); 0 where s_r = 0 (torch's inf→0 overwrite stops that gradient; its pow
    /// backward would give NaN there, a case the kNN graphs, whose rows hold the self-similarity 1, never reach).
    /// </summary>
    public Variable SymmetricNormalize(CsrMatrix pattern, Variable values)
    {
        if (pattern.Rows != pattern.Cols || values.Rows != pattern.NonZeros || values.Cols != 1)
        {
            throw new ArgumentException($"SymmetricNormalize: needs a square pattern and nnz x 1 values; pattern {pattern.Rows}x{pattern.Cols} with {pattern.NonZeros} entries, {values}");
        }

        var record = ShouldRecord(values);
        var y = NewOutput(pattern.NonZeros, 1, "symmetric_normalize", record);
        var d = new float[pattern.Rows];
        var v = values.Value.Data;
        ParallelRanges.For(pattern.Rows, 8, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var sum = 0f;
                for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                {
                    sum += v[p];
                }

                var inv = 1f / MathF.Sqrt(sum);
                d[r] = float.IsInfinity(inv) ? 0f : inv;
            }
        });

        var o = y.Value.Data;
        ParallelRanges.For(pattern.Rows, 8, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                {
                    o[p] = d[r] * v[p] * d[pattern.ColIdx[p]];
                }
            }
        });

        if (record)
        {
            Record(new SymmetricNormalizeNode(y, pattern, values, d));
        }

        return y;
    }

    private sealed class SymmetricNormalizeNode(Variable output, CsrMatrix pattern, Variable values, float[] d) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!.Data;
            var v = values.Value.Data;
            var gradD = new float[pattern.Rows];
            var t = PatternTranspose.Of(pattern);
            // d L / d d_r: d_r scales row r from the left and column r from the right.
            ParallelRanges.For(pattern.Rows, 16, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    var sum = 0f;
                    for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                    {
                        sum += g[p] * v[p] * d[pattern.ColIdx[p]];
                    }

                    for (var q = t.ColPtr[r]; q < t.ColPtr[r + 1]; q++)
                    {
                        var p = t.Slots[q];
                        sum += g[p] * d[t.RowOf[p]] * v[p];
                    }

                    // d d_r / d s_r = −½ s_r^(-3/2) = −½ d_r³ (0 where d_r was set to 0).
                    gradD[r] = -0.5f * d[r] * d[r] * d[r] * sum;
                }
            });

            var gv = tape.GradForWrite(values, out var accumulate);
            var dst = gv.Data;
            ParallelRanges.For(pattern.Rows, 8, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                    {
                        var grad = (g[p] * d[r] * d[pattern.ColIdx[p]]) + gradD[r];
                        dst[p] = accumulate ? dst[p] + grad : grad;
                    }
                }
            });
        }
    }
}
