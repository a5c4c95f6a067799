// Dense matrix product C = alpha * op(A) * op(B) + beta * C (reference implementation; to be tuned).
namespace MultiRec.Engine;

/// <summary>General matrix multiply on row-major tensors.</summary>
public static class Gemm
{
    /// <summary>C (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C, where op is an optional transpose.</summary>
    public static void Multiply(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, float alpha = 1f, float beta = 0f)
    {
        var m = transposeA ? a.Cols : a.Rows;
        var k = transposeA ? a.Rows : a.Cols;
        var kb = transposeB ? b.Cols : b.Rows;
        var n = transposeB ? b.Rows : b.Cols;
        if (k != kb || c.Rows != m || c.Cols != n)
        {
            throw new ArgumentException($"GEMM shapes do not agree: op(A) {m}x{k}, op(B) {kb}x{n}, C {c.Rows}x{c.Cols}");
        }

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                {
                    var av = transposeA ? a[p, i] : a[i, p];
                    var bv = transposeB ? b[j, p] : b[p, j];
                    sum += av * bv;
                }

                c[i, j] = (float)((alpha * sum) + (beta == 0f ? 0f : beta * c[i, j]));
            }
        }
    }
}
