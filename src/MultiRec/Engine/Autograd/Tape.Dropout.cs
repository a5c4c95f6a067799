// Dropout ops: seeded (reproducible, thread-count independent) and with an explicit 0/1 mask (to replay PyTorch).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// Inverted dropout as torch.nn.functional.dropout(x, p, training=True): each entry is zeroed with
    /// probability p and survivors are scaled by 1/(1-p). The mask is a function of (seed, entry index):
    /// draw a fresh seed per call (e.g. from the training RNG) to get a fresh mask.
    /// </summary>
    public Variable Dropout(Variable x, double p, ulong seed)
    {
        DropoutMask.CheckProbability(p);
        var threshold = DropoutMask.DropThreshold(p);
        var scale = DropoutMask.KeepScale(p);
        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "dropout", record);
        if (record)
        {
            var noise = SeededNoise(x.Rows, x.Cols, null, seed, threshold, scale);
            Elementwise.WriteProduct(y.Value, x.Value, noise, accumulate: false);
            Record(new DropoutNode(y, x, noise));
            return y;
        }

        ParallelRanges.For(x.Rows, x.Cols, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                DropoutMask.ApplyRow(x.Value.Row(r), y.Value.Row(r), r, seed, threshold, scale);
            }
        });

        return y;
    }

    /// <summary>Dropout with a fresh mask: the seed is the next 64 bits of <paramref name="rng"/>.</summary>
    public Variable Dropout(Variable x, double p, Rng rng) => Dropout(x, p, rng.NextUInt64());

    /// <summary>GatherRowsOfDropout with a fresh mask: the seed is the next 64 bits of <paramref name="rng"/>.</summary>
    public Variable GatherRowsOfDropout(Variable x, int[] rows, double p, Rng rng) => GatherRowsOfDropout(x, rows, p, rng.NextUInt64());

    /// <summary>
    /// GatherRows(Dropout(x, p, seed), rows) without applying dropout to the rows that are not gathered:
    /// entries get the same mask as in the full <see cref="Dropout(Variable, double, ulong)"/> (a repeated row gets the same mask).
    /// </summary>
    public Variable GatherRowsOfDropout(Variable x, int[] rows, double p, ulong seed)
    {
        DropoutMask.CheckProbability(p);
        CheckRowIndices(rows, x.Rows, "GatherRowsOfDropout");
        var threshold = DropoutMask.DropThreshold(p);
        var scale = DropoutMask.KeepScale(p);
        var record = ShouldRecord(x);
        var y = NewOutput(rows.Length, x.Cols, "gather_rows_of_dropout", record);
        if (record)
        {
            var noise = SeededNoise(rows.Length, x.Cols, rows, seed, threshold, scale);
            GatherScatterKernels.Gather(x.Value, rows, y.Value);
            Elementwise.WriteProduct(y.Value, y.Value, noise, accumulate: false);
            Record(new GatherDropoutNode(y, x, rows, noise));
            return y;
        }

        ParallelRanges.For(rows.Length, x.Cols, (s, e) =>
        {
            for (var k = s; k < e; k++)
            {
                DropoutMask.ApplyRow(x.Value.Row(rows[k]), y.Value.Row(k), rows[k], seed, threshold, scale);
            }
        });

        return y;
    }

    /// <summary>x * mask / (1 - p) for an explicit 0/1 mask of x's shape (replays a mask exported from PyTorch).</summary>
    public Variable DropoutWithMask(Variable x, Tensor mask, double p)
    {
        DropoutMask.CheckProbability(p);
        if (!mask.SameShape(x.Value))
        {
            throw new ArgumentException($"DropoutWithMask: mask {mask} does not match {x}", nameof(mask));
        }

        var scale = DropoutMask.KeepScale(p);
        var noise = RentValue(x.Rows, x.Cols);
        var m = mask.Data;
        var n = noise.Data;
        ParallelRanges.For(x.Value.Length, 1, (s, e) =>
        {
            for (var i = s; i < e; i++)
            {
                n[i] = m[i] != 0f ? scale : 0f;
            }
        });

        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "dropout", record);
        Elementwise.WriteProduct(y.Value, x.Value, noise, accumulate: false);
        if (record)
        {
            Record(new DropoutNode(y, x, noise));
        }

        return y;
    }

    /// <summary>The scaled keep mask (0 or 1/(1-p)) for rows (or rows[k] when given), saved for backward.</summary>
    private Tensor SeededNoise(int rowCount, int cols, int[]? rows, ulong seed, ulong threshold, float scale)
    {
        var noise = RentValue(rowCount, cols);
        ParallelRanges.For(rowCount, cols, (s, e) =>
        {
            for (var k = s; k < e; k++)
            {
                var source = rows is null ? k : rows[k];
                var dst = noise.Row(k);
                var baseIndex = (long)source * cols;
                for (var c = 0; c < cols; c++)
                {
                    dst[c] = DropoutMask.Keep(seed, baseIndex + c, threshold) ? scale : 0f;
                }
            }
        });

        return noise;
    }

    private sealed class DropoutNode(Variable output, Variable x, Tensor noise) : TapeNode(output)
    {
        public override void Backward(Tape tape)
            => Elementwise.WriteProduct(tape.GradForWrite(x, out var accumulate), Output.Grad!, noise, accumulate);
    }

    private sealed class GatherDropoutNode(Variable output, Variable x, int[] rows, Tensor noise) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var masked = tape.RentScratch(rows.Length, x.Cols);
            Elementwise.WriteProduct(masked, Output.Grad!, noise, accumulate: false);
            GatherScatterKernels.ScatterAdd(masked, rows, tape.GradForAccumulate(x));
            tape.ReturnScratch(masked);
        }
    }
}
