// Dense matrix product y = x W with W stored (in × out), as torch.matmul(x, W) (PyG-style layer weights).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>y (n × out) = x (n × in) · W (in × out), no transpose (unlike <see cref="Linear"/>, whose weight is
    /// out × in). Backward: dx (+)= g Wᵀ, dW (+)= xᵀ g.</summary>
    public Variable MatMul(Variable x, Variable w)
    {
        if (x.Cols != w.Rows)
        {
            throw new ArgumentException($"MatMul: {x} has {x.Cols} columns but {w} has {w.Rows} rows");
        }

        var record = ShouldRecord(x, w);
        var y = NewOutput(x.Rows, w.Cols, "matmul", record);
        Gemm.Multiply(x.Value, false, w.Value, false, y.Value);
        if (record)
        {
            Record(new MatMulNode(y, x, w));
        }

        return y;
    }

    private sealed class MatMulNode(Variable output, Variable x, Variable w) : TapeNode(output)
    {
        public override void Backward(Tape tape) => MatMulBackward(tape, Output.Grad!, x, w);
    }

    /// <summary>dx (+)= g Wᵀ and dW (+)= xᵀ g for y = x W, given y's gradient g (MatMul, GraphConvLeakyRelu).</summary>
    internal static void MatMulBackward(Tape tape, Tensor g, Variable x, Variable w)
    {
        if (x.RequiresGrad)
        {
            var gx = tape.GradForWrite(x, out var accumulate);
            Gemm.Multiply(g, false, w.Value, true, gx, 1f, accumulate ? 1f : 0f);
        }

        if (w.RequiresGrad)
        {
            var gw = tape.GradForWrite(w, out var accumulate);
            Gemm.Multiply(x.Value, true, g, false, gw, 1f, accumulate ? 1f : 0f);
        }
    }
}
