// Sampled Gram product: entries of X Xᵀ at the stored positions of a sparse pattern (the kept values of a kNN graph
// over cosine similarities), without forming the dense items × items matrix.
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// v (nnz x 1), one value per stored position p = (r, c) of <paramref name="pattern"/> (its values are ignored):
    /// v[p] = x[r]·x[c] at the slots <paramref name="slots"/> lists (every slot when null), 0 at the others.
    /// With unit rows x and the slots of a row's top-k columns this is torch's
    /// <c>zeros_like(S).scatter_(-1, topk(S, k).indices, topk(S, k).values)</c>, S = x xᵀ, read at the pattern:
    /// the kept values carry the gradient, the indices are constants.
    /// Backward: dx[r] += Σ_p g[p] x[c] and dx[c] += Σ_p g[p] x[r] over the listed slots (a slot on the diagonal
    /// contributes twice). O(nnz · d) time; no pattern-sized buffer besides the output.
    /// </summary>
    public Variable SampledGram(CsrMatrix pattern, Variable x, int[]? slots = null)
    {
        if (pattern.Rows != x.Rows || pattern.Cols != x.Rows)
        {
            throw new ArgumentException($"SampledGram: pattern is {pattern.Rows}x{pattern.Cols} but {x} has {x.Rows} rows");
        }

        var keep = KeptSlots(pattern, slots);
        var record = ShouldRecord(x);
        var v = NewOutput(pattern.NonZeros, 1, "sampled_gram", record);
        var values = v.Value.Data;
        ParallelRanges.For(pattern.Rows, (long)(pattern.NonZeros / Math.Max(1, pattern.Rows) + 1) * x.Cols, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                var xr = x.Value.Row(r);
                for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                {
                    values[p] = keep is null || keep[p] ? TensorPrimitives.Dot(xr, x.Value.Row(pattern.ColIdx[p])) : 0f;
                }
            }
        });

        if (record)
        {
            Record(new SampledGramNode(v, pattern, keep, x));
        }

        return v;
    }

    /// <summary>A per-slot flag of the listed slots (null = all), checked against the pattern.</summary>
    private static bool[]? KeptSlots(CsrMatrix pattern, int[]? slots)
    {
        if (slots is null)
        {
            return null;
        }

        var keep = new bool[pattern.NonZeros];
        foreach (var p in slots)
        {
            if ((uint)p >= (uint)keep.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(slots), $"SampledGram: slot {p} is outside the pattern's {keep.Length} entries");
            }

            keep[p] = true;
        }

        return keep;
    }

    private sealed class SampledGramNode(Variable output, CsrMatrix pattern, bool[]? keep, Variable x) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!.Data;
            var gx = tape.GradForAccumulate(x);
            var cost = (long)(pattern.NonZeros / Math.Max(1, pattern.Rows) + 1) * x.Cols;
            // Row part: dx[r] += Σ_p g[p] x[c].
            ParallelRanges.For(pattern.Rows, cost, (s, e) =>
            {
                for (var r = s; r < e; r++)
                {
                    var d = gx.Row(r);
                    for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
                    {
                        if (keep is null || keep[p])
                        {
                            TensorPrimitives.MultiplyAdd(x.Value.Row(pattern.ColIdx[p]), g[p], d, d);
                        }
                    }
                }
            });

            // Column part: dx[c] += Σ_p g[p] x[r], by column so that no two threads write one row.
            var t = PatternTranspose.Of(pattern);
            ParallelRanges.For(pattern.Cols, cost, (s, e) =>
            {
                for (var c = s; c < e; c++)
                {
                    var d = gx.Row(c);
                    for (var q = t.ColPtr[c]; q < t.ColPtr[c + 1]; q++)
                    {
                        var p = t.Slots[q];
                        if (keep is null || keep[p])
                        {
                            TensorPrimitives.MultiplyAdd(x.Value.Row(t.RowOf[p]), g[p], d, d);
                        }
                    }
                }
            });
        }
    }
}
