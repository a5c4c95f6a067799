// A mean-aggregation graph convolution as one op, y = leaky_relu(A (x W)), that keeps only its output (MMGCN's conv).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y (A.Rows × out) = leaky_relu(A (x W)) for a constant sparse A (A.Cols = x.Rows) and W stored (in × out).
    /// It is MatMul → SparseMultiply → LeakyRelu, the same sums in the same order, bit for bit, but the product x W
    /// lives in a scratch buffer returned before the op returns and the activation is applied in place: backward
    /// needs only x, W, A and y, because with a positive slope y &gt; 0 exactly where the pre-activation is.
    /// Backward: g' = g ⊙ lrelu'(y), G = Aᵀ g', dx (+)= G Wᵀ, dW (+)= xᵀ G (Aᵀ is a transpose cached for A's lifetime).
    /// </summary>
    public Variable GraphConvLeakyRelu(CsrMatrix a, Variable x, Variable w, float negativeSlope = 0.01f)
    {
        if (x.Cols != w.Rows)
        {
            throw new ArgumentException($"GraphConvLeakyRelu: {x} has {x.Cols} columns but {w} has {w.Rows} rows");
        }

        if (a.Cols != x.Rows)
        {
            throw new ArgumentException($"GraphConvLeakyRelu: matrix is {a.Rows}x{a.Cols} but {x} has {x.Rows} rows");
        }

        CheckFusedLeakyReluSlope(negativeSlope, "GraphConvLeakyRelu");

        var record = ShouldRecord(x, w);
        var y = NewOutput(a.Rows, w.Cols, "graph_conv_leaky_relu", record);
        var product = RentScratch(x.Rows, w.Cols);                       // x W: n × out
        Gemm.Multiply(x.Value, false, w.Value, false, product);
        SparseKernels.Multiply(a, product, y.Value);                     // A (x W)
        ReturnScratch(product);
        LeakyReluInPlace(y.Value, negativeSlope);

        if (record)
        {
            Record(new GraphConvLeakyReluNode(y, a, x, w, negativeSlope));
        }

        return y;
    }

    private sealed class GraphConvLeakyReluNode(Variable output, CsrMatrix a, Variable x, Variable w, float negativeSlope) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            var activated = tape.RentScratch(g.Rows, g.Cols);            // g ⊙ lrelu'(y)
            LeakyReluBackwardFromOutput(g, Output.Value, negativeSlope, activated);

            var product = tape.RentScratch(x.Rows, w.Cols);              // G = Aᵀ g'
            SparseKernels.MultiplyTransposed(a, activated, product, 0f);
            tape.ReturnScratch(activated);
            MatMulBackward(tape, product, x, w);
            tape.ReturnScratch(product);
        }
    }
}
