// Graph propagation op: Y = Â X with a constant sparse Â (LightGCN layer).
namespace MultiRec.Engine.Autograd;

public sealed partial class Tape
{
    /// <summary>Y (Â.Rows x d) = Â X (X: Â.Cols x d). Backward: dX += Âᵀ dY.</summary>
    public Variable SparseMultiply(SparseOperator a, Variable x)
    {
        if (x.Rows != a.Cols)
        {
            throw new ArgumentException($"SparseMultiply: matrix is {a.Rows}x{a.Cols} but {x} has {x.Rows} rows");
        }

        var record = ShouldRecord(x);
        var y = NewOutput(a.Rows, x.Cols, "sparse_multiply", record);
        SparseKernels.Multiply(a.Matrix, x.Value, y.Value);
        if (record)
        {
            Record(new SparseMultiplyNode(y, a, x));
        }

        return y;
    }

    private sealed class SparseMultiplyNode(Variable output, SparseOperator a, Variable x) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var gx = tape.GradForWrite(x, out var accumulate);
            SparseKernels.Multiply(a.Transposed, Output.Grad!, gx, accumulate ? 1f : 0f);
        }
    }
}
