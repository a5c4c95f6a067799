// log(ε + σ(x)): the BPR loss of the MMRec baselines (BPRLoss puts its epsilon inside the log), in float32 steps.
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>y = log(ε + σ(x)) elementwise, each step rounded to float32 as PyTorch's chain sigmoid → add → log;
    /// unlike <see cref="LogSigmoid"/> it is bounded below by log ε.</summary>
    public Variable LogOfEpsilonPlusSigmoid(Variable x, float epsilon)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(x.Rows, x.Cols, "log_eps_sigmoid", record);
        var src = x.Value.Data;
        var dst = y.Value.Data;
        for (var i = 0; i < x.Value.Length; i++)
        {
            dst[i] = (float)Math.Log(epsilon + Sigmoid(src[i]));
        }

        if (record)
        {
            Record(new LogOfEpsilonPlusSigmoidNode(y, x, epsilon));
        }

        return y;
    }

    /// <summary>σ(x) rounded to float32, without overflow for any x.</summary>
    private static float Sigmoid(float x) => (float)(x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x)));

    private sealed class LogOfEpsilonPlusSigmoidNode(Variable output, Variable x, float epsilon) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            // dy/dx = σ(x)(1 − σ(x)) / (ε + σ(x)): log's backward (g / z) then sigmoid's (· s (1 − s)).
            var gx = tape.GradForWrite(x, out var accumulate);
            var src = x.Value.Data;
            var g = Output.Grad!.Data;
            var dst = gx.Data;
            for (var i = 0; i < x.Value.Length; i++)
            {
                var s = Sigmoid(src[i]);
                var z = epsilon + s;
                var d = g[i] / z * ((1f - s) * s);
                dst[i] = accumulate ? dst[i] + d : d;
            }
        }
    }
}
