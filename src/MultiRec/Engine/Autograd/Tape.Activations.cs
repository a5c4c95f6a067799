// Pointwise activations with their backward (leaky ReLU; sigmoid, tanh and ReLU belong here too when a model needs
// them: one public method per activation over the shared Activate / ActivationNode pair below).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>y = x for x &gt; 0, slope · x otherwise (torch.nn.functional.leaky_relu; PyTorch's default slope is
    /// 0.01). Backward: g where x &gt; 0, slope · g elsewhere (x = 0 takes the slope, as PyTorch).</summary>
    public Variable LeakyRelu(Variable x, float negativeSlope = 0.01f) =>
        Activate(x, "leaky_relu", v => v > 0f ? v : v * negativeSlope, (v, _) => v > 0f ? 1f : negativeSlope);

    /// <summary>y = leaky_relu(y) in place: the epilogue of the fused layer ops, which keep only their activated
    /// output (with a positive slope, y &gt; 0 exactly where the pre-activation is, so backward reads y alone).</summary>
    internal static void LeakyReluInPlace(Tensor y, float negativeSlope)
    {
        var values = y.Data;
        ParallelRanges.For(y.Length, 2, (s, e) =>
        {
            for (var i = s; i < e; i++)
            {
                var v = values[i];
                values[i] = v > 0f ? v : v * negativeSlope;
            }
        });
    }

    /// <summary>dst = g ⊙ leaky_relu'(y) for an output y of <see cref="LeakyReluInPlace"/>, the same products as the
    /// <see cref="LeakyRelu"/> op's backward.</summary>
    internal static void LeakyReluBackwardFromOutput(Tensor g, Tensor y, float negativeSlope, Tensor dst)
    {
        var gd = g.Data;
        var yd = y.Data;
        var dd = dst.Data;
        ParallelRanges.For(g.Length, 2, (s, e) =>
        {
            for (var i = s; i < e; i++)
            {
                dd[i] = gd[i] * (yd[i] > 0f ? 1f : negativeSlope);
            }
        });
    }

    /// <summary>Throws unless the slope is positive, which reading the derivative from the output needs.</summary>
    internal static void CheckFusedLeakyReluSlope(float negativeSlope, string op)
    {
        if (!(negativeSlope > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), $"{op}: the leaky ReLU slope must be positive (its backward reads the sign from the output), got {negativeSlope}");
        }
    }

    /// <summary>y = f(x) elementwise; backward multiplies the output gradient by f'(x, y) (given the input and the
    /// output, whichever the derivative is cheaper from).</summary>
    private Variable Activate(Variable x, string name, Func<float, float> forward, Func<float, float, float> derivative)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, name, record);
        var src = x.Value.Data;
        var dst = y.Value.Data;
        ParallelRanges.For(x.Value.Length, 2, (s, e) =>
        {
            for (var i = s; i < e; i++)
            {
                dst[i] = forward(src[i]);
            }
        });

        if (record)
        {
            Record(new ActivationNode(y, x, derivative));
        }

        return y;
    }

    private sealed class ActivationNode(Variable output, Variable x, Func<float, float, float> derivative) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var gx = tape.GradForWrite(x, out var accumulate).Data;
            var g = Output.Grad!.Data;
            var src = x.Value.Data;
            var outValues = Output.Value.Data;
            ParallelRanges.For(src.Length, 2, (s, e) =>
            {
                for (var i = s; i < e; i++)
                {
                    var d = g[i] * derivative(src[i], outValues[i]);
                    gx[i] = accumulate ? gx[i] + d : d;
                }
            });
        }
    }
}
