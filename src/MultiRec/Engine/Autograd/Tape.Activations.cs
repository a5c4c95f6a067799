// Pointwise activations with their backward (leaky ReLU; sigmoid, tanh and ReLU belong here too when a model needs
// them: one public method per activation over the shared Activate / ActivationNode pair below).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>y = x for x &gt; 0, slope · x otherwise (torch.nn.functional.leaky_relu; PyTorch's default slope is
    /// 0.01). Backward: g where x &gt; 0, slope · g elsewhere (x = 0 takes the slope, as PyTorch).</summary>
    public Variable LeakyRelu(Variable x, float negativeSlope = 0.01f) =>
        Activate(x, "leaky_relu", v => v > 0f ? v : v * negativeSlope, (v, _) => v > 0f ? 1f : negativeSlope);

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
