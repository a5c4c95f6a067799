// Elementwise arithmetic ops on same-shape variables (scalars are 1x1): add, sub, mul, affine, mean of a list.
using System.Numerics.Tensors;

namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>a + b (same shape).</summary>
    public Variable Add(Variable a, Variable b) => AddScaled(a, b, 1f, "add");

    /// <summary>a - b (same shape).</summary>
    public Variable Sub(Variable a, Variable b) => AddScaled(a, b, -1f, "sub");

    /// <summary>a * b elementwise (same shape).</summary>
    public Variable Mul(Variable a, Variable b)
    {
        RequireSameShape(a, b, "Mul");
        var record = ShouldRecord(a, b);
        var y = NewOutput(a.Rows, a.Cols, "mul", record);
        Elementwise.WriteProduct(y.Value, a.Value, b.Value, accumulate: false);
        if (record)
        {
            Record(new MulNode(y, a, b));
        }

        return y;
    }

    /// <summary>scale * x + shift elementwise (constants).</summary>
    public Variable Affine(Variable x, float scale, float shift)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "affine", record);
        var src = x.Value.Data;
        var dst = y.Value.Data;
        ParallelRanges.For(x.Value.Length, 1, (s, e) =>
        {
            var ds = dst.AsSpan(s, e - s);
            TensorPrimitives.Multiply(src.AsSpan(s, e - s), scale, ds);
            TensorPrimitives.Add(ds, shift, ds);
        });

        if (record)
        {
            Record(new ScaleBackNode(y, x, scale));
        }

        return y;
    }

    /// <summary>c * x (constant c).</summary>
    public Variable Scale(Variable x, float c) => Affine(x, c, 0f);

    /// <summary>c - x (constant c), e.g. 1 - mean cos.</summary>
    public Variable ConstantMinus(float c, Variable x) => Affine(x, -1f, c);

    /// <summary>The elementwise mean of same-shape tensors (LightGCN's layer readout).</summary>
    public Variable MeanOf(IReadOnlyList<Variable> terms)
    {
        if (terms.Count == 0)
        {
            throw new ArgumentException("MeanOf needs at least one term", nameof(terms));
        }

        foreach (var t in terms)
        {
            RequireSameShape(terms[0], t, "MeanOf");
        }

        var record = ShouldRecord(terms);
        var y = NewOutput(terms[0].Rows, terms[0].Cols, "mean_of", record);
        float count = terms.Count;
        var dst = y.Value.Data;
        var sources = new float[terms.Count][];
        for (var k = 0; k < sources.Length; k++)
        {
            sources[k] = terms[k].Value.Data;
        }

        ParallelRanges.For(y.Value.Length, 1, (s, e) =>
        {
            var ds = dst.AsSpan(s, e - s);
            sources[0].AsSpan(s, e - s).CopyTo(ds);
            for (var k = 1; k < sources.Length; k++)
            {
                TensorPrimitives.Add(ds, sources[k].AsSpan(s, e - s), ds);
            }

            TensorPrimitives.Divide(ds, count, ds);
        });

        if (record)
        {
            Record(new MeanOfNode(y, [.. terms]));
        }

        return y;
    }

    private static void RequireSameShape(Variable a, Variable b, string op)
    {
        if (!a.Value.SameShape(b.Value))
        {
            throw new ArgumentException($"{op}: shapes differ, {a} vs {b}");
        }
    }

    private Variable AddScaled(Variable a, Variable b, float bScale, string name)
    {
        RequireSameShape(a, b, name);
        var record = ShouldRecord(a, b);
        var y = NewOutput(a.Rows, a.Cols, name, record);
        var x1 = a.Value.Data;
        var x2 = b.Value.Data;
        var dst = y.Value.Data;
        ParallelRanges.For(a.Value.Length, 1, (s, e) =>
            TensorPrimitives.MultiplyAdd(x2.AsSpan(s, e - s), bScale, x1.AsSpan(s, e - s), dst.AsSpan(s, e - s)));
        if (record)
        {
            Record(new AddScaledNode(y, a, b, bScale));
        }

        return y;
    }

    private sealed class AddScaledNode(Variable output, Variable a, Variable b, float bScale) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            if (a.RequiresGrad)
            {
                Elementwise.Write(tape.GradForWrite(a, out var accumulate), g, accumulate);
            }

            if (b.RequiresGrad)
            {
                Elementwise.WriteScaled(tape.GradForWrite(b, out var accumulate), g, bScale, accumulate);
            }
        }
    }

    private sealed class MulNode(Variable output, Variable a, Variable b) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            if (a.RequiresGrad)
            {
                Elementwise.WriteProduct(tape.GradForWrite(a, out var accumulate), g, b.Value, accumulate);
            }

            if (b.RequiresGrad)
            {
                Elementwise.WriteProduct(tape.GradForWrite(b, out var accumulate), g, a.Value, accumulate);
            }
        }
    }

    private sealed class ScaleBackNode(Variable output, Variable x, float scale) : TapeNode(output)
    {
        public override void Backward(Tape tape)
            => Elementwise.WriteScaled(tape.GradForWrite(x, out var accumulate), Output.Grad!, scale, accumulate);
    }

    private sealed class MeanOfNode(Variable output, Variable[] terms) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var inv = 1f / terms.Length;
            foreach (var t in terms)
            {
                if (t.RequiresGrad)
                {
                    Elementwise.WriteScaled(tape.GradForWrite(t, out var accumulate), Output.Grad!, inv, accumulate);
                }
            }
        }
    }
}
