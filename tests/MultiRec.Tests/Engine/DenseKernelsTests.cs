// Elementwise, row-wise and reduction kernels against straightforward double-precision loops.
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

[Collection(ComputeSettingsCollection.Name)]
public sealed class DenseKernelsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 7, 13)]
    [InlineData(2, 65, 129)]
    [InlineData(2, 700, 300)]
    public void Elementwise_ops_match_scalar_loops(int threads, int rows, int cols)
    {
        var a = EngineTestUtil.RandomTensor(rows, cols, 1);
        var b = EngineTestUtil.RandomTensor(rows, cols, 2);
        var bias = EngineTestUtil.RandomTensor(1, cols, 3);
        EngineTestUtil.WithThreads(threads, () =>
        {
            Check(a, b, (x, y, d) => ElementwiseKernels.Add(x, y, d), (x, y) => x + y);
            Check(a, b, (x, y, d) => ElementwiseKernels.Subtract(x, y, d), (x, y) => x - y);
            Check(a, b, (x, y, d) => ElementwiseKernels.Multiply(x, y, d), (x, y) => x * y);
            Check(a, b, (x, _, d) => ElementwiseKernels.Scale(x, -2.5f, d), (x, _) => -2.5f * x);
            Check(a, b, (x, _, d) => ElementwiseKernels.Copy(x, d), (x, _) => x);
            Check(a, b, (x, y, d) =>
            {
                ElementwiseKernels.Copy(y, d);
                ElementwiseKernels.Axpy(0.75f, x, d);
            }, (x, y) => MathF.FusedMultiplyAdd(0.75f, x, y));

            var withBias = new Tensor(rows, cols);
            ElementwiseKernels.AddRowVector(a, bias, withBias);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < cols; c++)
                {
                    Assert.Equal(a[r, c] + bias[0, c], withBias[r, c]);
                }
            }
        });
    }

    [Fact]
    public void Elementwise_ops_work_in_place_and_check_shapes()
    {
        var a = EngineTestUtil.RandomTensor(3, 4, 1);
        var expected = a.Data.Take(a.Length).Select(v => v + v).ToArray();
        ElementwiseKernels.Add(a, a, a);
        Assert.Equal(expected, a.Data.Take(a.Length));
        Assert.Throws<ArgumentException>(() => ElementwiseKernels.Add(a, new Tensor(4, 3), a));
        ElementwiseKernels.Fill(a, 2f);
        Assert.All(a.Data, v => Assert.Equal(2f, v));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2048, 64)]
    [InlineData(2, 33, 129)]
    public void Row_dot_norm_and_cosine_match_double_reference(int threads, int rows, int cols)
    {
        var a = EngineTestUtil.RandomTensor(rows, cols, 4);
        var b = EngineTestUtil.RandomTensor(rows, cols, 5);
        var dot = new Tensor(rows, 1);
        var norm = new Tensor(rows, 1);
        var cos = new Tensor(rows, 1);
        EngineTestUtil.WithThreads(threads, () =>
        {
            RowKernels.Dot(a, b, dot);
            RowKernels.L2Norm(a, norm);
            RowKernels.Cosine(a, b, cos);
        });
        for (var r = 0; r < rows; r++)
        {
            double d = 0, na = 0, nb = 0, abs = 0;
            for (var c = 0; c < cols; c++)
            {
                d += (double)a[r, c] * b[r, c];
                abs += Math.Abs((double)a[r, c] * b[r, c]);
                na += (double)a[r, c] * a[r, c];
                nb += (double)b[r, c] * b[r, c];
            }

            Assert.True(Math.Abs(dot.Data[r] - d) <= 1e-6 * abs, $"dot row {r}");
            Assert.True(Math.Abs(norm.Data[r] - Math.Sqrt(na)) <= 1e-6 * Math.Sqrt(na), $"norm row {r}");
            var expectedCos = d / (Math.Sqrt(na) * Math.Sqrt(nb));
            Assert.True(Math.Abs(cos.Data[r] - expectedCos) <= 1e-6 * (abs / (Math.Sqrt(na) * Math.Sqrt(nb))), $"cosine row {r}");
        }
    }

    [Fact]
    public void Cosine_clamps_each_norm_separately_like_pytorch()
    {
        // torch.nn.functional.cosine_similarity([[1e-5, 0]], [[1e-5, 0]]) == 1 and ([[1e-9, 0]], [[1, 0]]) == 0.1 (torch 1.13).
        var dst = new Tensor(2, 1);
        RowKernels.Cosine(Tensor.FromArray(2, 2, [1e-5f, 0f, 1e-9f, 0f]), Tensor.FromArray(2, 2, [1e-5f, 0f, 1f, 0f]), dst);
        Assert.Equal(1f, dst.Data[0], 6);
        Assert.Equal(0.1f, dst.Data[1], 6);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1000, 300)]
    [InlineData(2, 7050, 64)]
    public void Reductions_match_double_sums_and_are_thread_independent(int threads, int rows, int cols)
    {
        var x = EngineTestUtil.RandomTensor(rows, cols, 6);
        double sum = 0, squares = 0;
        var columns = new double[cols];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                sum += x[r, c];
                squares += (double)x[r, c] * x[r, c];
                columns[c] += x[r, c];
            }
        }

        var colSums = EngineTestUtil.RandomTensor(1, cols, 7);
        var previous = colSums.Clone();
        double gotSum = 0, gotSquares = 0, gotSumOneThread = 0;
        EngineTestUtil.WithThreads(threads, () =>
        {
            gotSum = ReductionKernels.Sum(x);
            gotSquares = ReductionKernels.SumOfSquares(x);
            ReductionKernels.SumRows(x, colSums, beta: 2f);
        });
        EngineTestUtil.WithThreads(1, () => gotSumOneThread = ReductionKernels.Sum(x));
        Assert.Equal(gotSumOneThread, gotSum);
        Assert.True(Math.Abs(gotSum - sum) <= 1e-9 * rows * cols, $"sum {gotSum} vs {sum}");
        Assert.True(Math.Abs(gotSquares - squares) <= 1e-12 * squares, $"sum of squares {gotSquares} vs {squares}");
        Assert.Equal(Math.Sqrt(gotSquares), ReductionKernels.FrobeniusNorm(x));
        for (var c = 0; c < cols; c++)
        {
            Assert.Equal((float)(columns[c] + (2.0 * previous.Data[c])), colSums.Data[c], 5);
        }
    }

    private static void Check(Tensor a, Tensor b, Action<Tensor, Tensor, Tensor> op, Func<float, float, float> scalar)
    {
        var dst = new Tensor(a.Rows, a.Cols);
        op(a, b, dst);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(scalar(a.Data[i], b.Data[i]), dst.Data[i]);
        }
    }
}
