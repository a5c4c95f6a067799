// Reductions to a 1x1 scalar: sum and mean of all entries, Frobenius norm (BM3's EmbLoss uses it unsquared).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>Σ x (1x1).</summary>
    public Variable SumAll(Variable x) => ScaledSum(x, 1.0, "sum");

    /// <summary>Σ x / count (1x1).</summary>
    public Variable MeanAll(Variable x)
    {
        if (x.Value.Length == 0)
        {
            throw new ArgumentException($"MeanAll of the empty {x}", nameof(x));
        }

        return ScaledSum(x, 1.0 / x.Value.Length, "mean");
    }

    /// <summary>‖x‖_F = sqrt(Σ x²) (1x1, unsquared). Its gradient x / ‖x‖ is taken as 0 when ‖x‖ = 0, as in PyTorch.</summary>
    public Variable FrobeniusNorm(Variable x)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(1, 1, "frobenius_norm", record);
        y.Value.Data[0] = (float)Math.Sqrt(ReductionKernels.SumOfSquares(x.Value));
        if (record)
        {
            Record(new FrobeniusNormNode(y, x));
        }

        return y;
    }

    private Variable ScaledSum(Variable x, double scale, string name)
    {
        var record = ShouldRecord(x);
        var y = NewOutput(1, 1, name, record);
        y.Value.Data[0] = (float)(ReductionKernels.Sum(x.Value) * scale);
        if (record)
        {
            Record(new BroadcastScalarNode(y, x, scale));
        }

        return y;
    }

    /// <summary>Backward of a scaled sum: every entry of x gets scale · dy.</summary>
    private sealed class BroadcastScalarNode(Variable output, Variable x, double scale) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var value = (float)(Output.Grad!.Data[0] * scale);
            Elementwise.WriteFill(tape.GradForWrite(x, out var accumulate), value, accumulate);
        }
    }

    private sealed class FrobeniusNormNode(Variable output, Variable x) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var norm = Output.Value.Data[0];
            var coefficient = norm > 0f ? Output.Grad!.Data[0] / norm : 0f;
            Elementwise.WriteScaled(tape.GradForWrite(x, out var accumulate), x.Value, coefficient, accumulate);
        }
    }
}
