// CSR sparse x dense products for graph propagation (reference implementation; to be tuned).
namespace MultiRec.Engine;

/// <summary>Sparse-dense products: Y = A X + beta Y.</summary>
public static class SparseKernels
{
    /// <summary>Y (A.Rows x d) = A X + beta * Y, with X of shape (A.Cols x d).</summary>
    public static void Multiply(CsrMatrix a, Tensor x, Tensor y, float beta = 0f)
    {
        if (x.Rows != a.Cols || y.Rows != a.Rows || y.Cols != x.Cols)
        {
            throw new ArgumentException($"SpMM shapes do not agree: A {a.Rows}x{a.Cols}, X {x.Rows}x{x.Cols}, Y {y.Rows}x{y.Cols}");
        }

        var d = x.Cols;
        for (var r = 0; r < a.Rows; r++)
        {
            var yr = y.Row(r);
            if (beta == 0f)
            {
                yr.Clear();
            }
            else
            {
                for (var j = 0; j < d; j++)
                {
                    yr[j] *= beta;
                }
            }

            for (var p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
            {
                var v = a.Values[p];
                var xr = x.Row(a.ColIdx[p]);
                for (var j = 0; j < d; j++)
                {
                    yr[j] += v * xr[j];
                }
            }
        }
    }
}
