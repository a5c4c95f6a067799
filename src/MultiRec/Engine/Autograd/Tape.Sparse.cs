// Graph propagation op: Y = Â X with a constant sparse Â (LightGCN layer).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// Y (Â.Rows x d) = Â X (X: Â.Cols x d) for a constant CSR matrix Â. Backward: dX += Âᵀ dY, using Â itself
    /// when <paramref name="isSymmetric"/> (the normalised bipartite adjacency D^-1/2 A D^-1/2 is), otherwise
    /// a transpose built on first use and cached for the matrix's lifetime (Â must not change afterwards).
    /// </summary>
    public Variable SparseMultiply(CsrMatrix a, Variable x, bool isSymmetric = false)
    {
        if (x.Rows != a.Cols)
        {
            throw new ArgumentException($"SparseMultiply: matrix is {a.Rows}x{a.Cols} but {x} has {x.Rows} rows");
        }

        if (isSymmetric && a.Rows != a.Cols)
        {
            throw new ArgumentException($"SparseMultiply: a {a.Rows}x{a.Cols} matrix cannot be symmetric", nameof(isSymmetric));
        }

        var record = ShouldRecord(x);
        var y = NewOutput(a.Rows, x.Cols, "sparse_multiply", record);
        SparseKernels.Multiply(a, x.Value, y.Value);
        if (record)
        {
            Record(new SparseMultiplyNode(y, a, isSymmetric, x));
        }

        return y;
    }

    private sealed class SparseMultiplyNode(Variable output, CsrMatrix a, bool isSymmetric, Variable x) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var gx = tape.GradForWrite(x, out var accumulate);
            var beta = accumulate ? 1f : 0f;
            if (isSymmetric)
            {
                SparseKernels.Multiply(a, Output.Grad!, gx, beta);
            }
            else
            {
                SparseKernels.MultiplyTransposed(a, Output.Grad!, gx, beta);
            }
        }
    }
}
