// SpMM and transposed SpMM against dense double-precision products, for one and two threads.
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

[Collection(ComputeSettingsCollection.Name)]
public sealed class SparseKernelsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 5, 70)]
    [InlineData(2, 300, 64)]
    [InlineData(2, 2000, 64)]
    [InlineData(2, 500, 45)]
    public void Multiply_matches_dense_product(int threads, int rows, int d)
    {
        var a = RandomCsr(rows, rows + 7, density: 0.02, seed: rows);
        var x = EngineTestUtil.RandomTensor(a.Cols, d, 11);
        var y = EngineTestUtil.RandomTensor(a.Rows, d, 12);
        foreach (var beta in new[] { 0f, 0.5f })
        {
            var before = y.Clone();
            EngineTestUtil.WithThreads(threads, () => SparseKernels.Multiply(a, x, y, beta));
            var (expected, scale) = DenseReference(a, transposed: false, x, before, beta);
            EngineTestUtil.AssertClose(expected, y.AsSpan(), scale, 1e-5);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MultiplyTransposed_matches_dense_transposed_product(int threads)
    {
        var a = RandomCsr(900, 400, density: 0.03, seed: 5);
        var x = EngineTestUtil.RandomTensor(a.Rows, 64, 13);
        var y = EngineTestUtil.RandomTensor(a.Cols, 64, 14);
        var before = y.Clone();
        EngineTestUtil.WithThreads(threads, () => SparseKernels.MultiplyTransposed(a, x, y, 1f));
        var (expected, scale) = DenseReference(a, transposed: true, x, before, 1f);
        EngineTestUtil.AssertClose(expected, y.AsSpan(), scale, 1e-5);
    }

    [Fact]
    public void Result_does_not_depend_on_thread_count()
    {
        var a = RandomCsr(3000, 3000, density: 0.01, seed: 8);
        var x = EngineTestUtil.RandomTensor(3000, 64, 15);
        var one = new Tensor(3000, 64);
        var two = new Tensor(3000, 64);
        EngineTestUtil.WithThreads(1, () => SparseKernels.Multiply(a, x, one));
        EngineTestUtil.WithThreads(2, () => SparseKernels.Multiply(a, x, two));
        Assert.Equal(one.Data, two.Data);
    }

    [Fact]
    public void Rejects_mismatched_shapes()
    {
        var a = RandomCsr(4, 6, 0.5, 1);
        Assert.Throws<ArgumentException>(() => SparseKernels.Multiply(a, new Tensor(4, 3), new Tensor(4, 3)));
        Assert.Throws<ArgumentException>(() => SparseKernels.Multiply(a, new Tensor(6, 3), new Tensor(4, 2)));
    }

    /// <summary>A random CSR matrix with sorted columns and some empty rows.</summary>
    internal static CsrMatrix RandomCsr(int rows, int cols, double density, int seed)
    {
        var random = new Random(seed);
        var rowPtr = new int[rows + 1];
        var colIdx = new List<int>();
        var values = new List<float>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                if (random.NextDouble() < density || (r == 0 && c == 0))
                {
                    colIdx.Add(c);
                    values.Add((float)((random.NextDouble() * 2) - 1));
                }
            }

            rowPtr[r + 1] = colIdx.Count;
        }

        return new CsrMatrix(rows, cols, rowPtr, [.. colIdx], [.. values]);
    }

    private static (double[] Expected, double[] Scale) DenseReference(CsrMatrix a, bool transposed, Tensor x, Tensor yBefore, float beta)
    {
        var outRows = transposed ? a.Cols : a.Rows;
        var d = x.Cols;
        var expected = new double[outRows * d];
        var scale = new double[outRows * d];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = beta == 0f ? 0 : (double)beta * yBefore.Data[i];
            scale[i] = Math.Abs(expected[i]);
        }

        for (var r = 0; r < a.Rows; r++)
        {
            for (var p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
            {
                var (dstRow, srcRow) = transposed ? (a.ColIdx[p], r) : (r, a.ColIdx[p]);
                for (var j = 0; j < d; j++)
                {
                    var term = (double)a.Values[p] * x[srcRow, j];
                    expected[(dstRow * d) + j] += term;
                    scale[(dstRow * d) + j] += Math.Abs(term);
                }
            }
        }

        return (expected, scale);
    }
}
