// Ops for BPR-style baselines: numerically stable log-sigmoid and row-wise dot products of (gathered) rows.
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>log σ(x) elementwise, computed as min(x, 0) - log1p(exp(-|x|)) (no overflow for any x).</summary>
    public Variable LogSigmoid(Variable x)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "log_sigmoid", record);
        var src = x.Value.Data;
        var dst = y.Value.Data;
        ParallelRanges.For(x.Value.Length, 4, (s, e) =>
        {
            for (var i = s; i < e; i++)
            {
                var v = src[i];
                dst[i] = (float)(Math.Min(v, 0.0) - LogOnePlus(Math.Exp(-Math.Abs(v))));
            }
        });

        if (record)
        {
            Record(new LogSigmoidNode(y, x));
        }

        return y;
    }

    /// <summary>y[k] (n x 1) = a[r]·b[r] for same-shape a and b.</summary>
    public Variable RowDot(Variable a, Variable b)
    {
        RequireSameShape(a, b, "RowDot");
        return RowDotCore(a, null, b, null, a.Rows);
    }

    /// <summary>y[k] (n x 1) = a[aRows[k]]·b[bRows[k]] without materialising the gathered rows; backward scatter-adds (repeats sum).</summary>
    public Variable RowDot(Variable a, int[] aRows, Variable b, int[] bRows)
    {
        if (a.Cols != b.Cols || aRows.Length != bRows.Length)
        {
            throw new ArgumentException($"RowDot: {a} with {aRows.Length} rows vs {b} with {bRows.Length} rows");
        }

        CheckRowIndices(aRows, a.Rows, "RowDot (a)");
        CheckRowIndices(bRows, b.Rows, "RowDot (b)");
        return RowDotCore(a, aRows, b, bRows, aRows.Length);
    }

    private Variable RowDotCore(Variable a, int[]? aRows, Variable b, int[]? bRows, int count)
    {
        var record = ShouldRecord(a, b);
        var y = NewOutput(count, 1, "row_dot", record);
        ParallelRanges.For(count, a.Cols * 2, (s, e) =>
        {
            for (var k = s; k < e; k++)
            {
                y.Value.Data[k] = TensorPrimitives.Dot(a.Value.Row(aRows?[k] ?? k), b.Value.Row(bRows?[k] ?? k));
            }
        });

        if (record)
        {
            Record(new RowDotNode(y, a, aRows, b, bRows));
        }

        return y;
    }

    /// <summary>log(1 + z) accurate for tiny z (Goldberg's correction: log(u) · z / (u - 1) with u = 1 + z).</summary>
    private static double LogOnePlus(double z)
    {
        var u = 1.0 + z;
        return u == 1.0 ? z : Math.Log(u) * z / (u - 1.0);
    }

    private sealed class LogSigmoidNode(Variable output, Variable x) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            // d/dx log σ(x) = σ(-x) = 1 / (1 + exp(x)), evaluated without overflow on either side.
            var gx = tape.GradForWrite(x, out var accumulate);
            var src = x.Value.Data;
            var g = Output.Grad!.Data;
            var dst = gx.Data;
            ParallelRanges.For(x.Value.Length, 4, (s, e) =>
            {
                for (var i = s; i < e; i++)
                {
                    var v = src[i];
                    var z = Math.Exp(-Math.Abs(v));
                    var sigmoidOfMinus = v >= 0 ? z / (1.0 + z) : 1.0 / (1.0 + z);
                    var d = (float)(g[i] * sigmoidOfMinus);
                    dst[i] = accumulate ? dst[i] + d : d;
                }
            });
        }
    }

    private sealed class RowDotNode(Variable output, Variable a, int[]? aRows, Variable b, int[]? bRows) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            if (a.RequiresGrad)
            {
                AddScaledRows(tape, a, aRows, b.Value, bRows);
            }

            if (b.RequiresGrad)
            {
                AddScaledRows(tape, b, bRows, a.Value, aRows);
            }
        }

        /// <summary>grad(target)[targetRows[k]] += g[k] · other[otherRows[k]] (sequential: rows may repeat).</summary>
        private void AddScaledRows(Tape tape, Variable target, int[]? targetRows, Tensor other, int[]? otherRows)
        {
            var g = Output.Grad!.Data;
            var dst = tape.GradForAccumulate(target);
            for (var k = 0; k < Output.Rows; k++)
            {
                var d = dst.Row(targetRows?[k] ?? k);
                TensorPrimitives.MultiplyAdd(other.Row(otherRows?[k] ?? k), g[k], d, d);
            }
        }
    }
}
