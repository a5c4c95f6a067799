// GEMM against a double-precision reference on odd shapes, every transpose combination, kernel and thread count.
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

[Collection(ComputeSettingsCollection.Name)]
public sealed class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 7, 5, 13 },
        { 65, 129, 33 },
        { 9, 70, 300 },
        { 200, 37, 520 },
        { 3, 600, 17 },
        { 10, 1500, 300 },
        { 250, 1100, 20 },
    };

    public static IEnumerable<object[]> KernelsAndThreads()
    {
        foreach (var kind in Enum.GetValues<GemmKernelKind>().Where(GemmMicroKernels.IsSupported))
        {
            foreach (var threads in new[] { 1, 2 })
            {
                yield return new object[] { kind.ToString(), threads };
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelsAndThreads))]
    public void Matches_double_reference_for_all_shapes_and_transposes(string kernel, int threads)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        var (alphas, betas) = (new[] { 1f, -0.5f }, new[] { 0f, 1f, 0.75f });
        var (seed, combo) = (1, 0);
        foreach (var shape in Shapes)
        {
            var (m, n, k) = ((int)shape[0], (int)shape[1], (int)shape[2]);
            foreach (var transA in new[] { false, true })
            {
                foreach (var transB in new[] { false, true })
                {
                    // Every (alpha, beta) pair occurs across the combinations of each shape.
                    var alpha = alphas[combo % 2];
                    var beta = betas[combo / 2 % 3];
                    combo++;
                    var a = transA ? EngineTestUtil.RandomTensor(k, m, seed++) : EngineTestUtil.RandomTensor(m, k, seed++);
                    var b = transB ? EngineTestUtil.RandomTensor(n, k, seed++) : EngineTestUtil.RandomTensor(k, n, seed++);
                    var c = EngineTestUtil.RandomTensor(m, n, seed++);
                    var (expected, scale) = Reference(a, transA, b, transB, c, alpha, beta);
                    RunWith(kind, threads, () => Gemm.Multiply(a, transA, b, transB, c, alpha, beta));
                    EngineTestUtil.AssertClose(expected, c.AsSpan(), scale, 1e-5);
                }
            }
        }
    }

    [Fact]
    public void Beta_zero_ignores_nan_in_output()
    {
        var a = EngineTestUtil.RandomTensor(20, 40, 3);
        var b = EngineTestUtil.RandomTensor(40, 50, 4);
        var c = new Tensor(20, 50);
        c.AsSpan().Fill(float.NaN);
        Gemm.Multiply(a, false, b, false, c);
        Assert.All(c.Data, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void Zero_depth_scales_output_by_beta()
    {
        var c = EngineTestUtil.RandomTensor(4, 3, 5);
        var before = c.Clone();
        Gemm.Multiply(new Tensor(4, 0), false, new Tensor(0, 3), false, c, 1f, 0.5f);
        for (var i = 0; i < c.Length; i++)
        {
            Assert.Equal(before.Data[i] * 0.5f, c.Data[i]);
        }
    }

    [Fact]
    public void Every_kernel_and_thread_count_gives_identical_bits()
    {
        var a = EngineTestUtil.RandomTensor(150, 700, 6);
        var b = EngineTestUtil.RandomTensor(90, 700, 7);
        Tensor? first = null;
        foreach (var row in KernelsAndThreads())
        {
            var c = new Tensor(150, 90);
            RunWith(Enum.Parse<GemmKernelKind>((string)row[0]), (int)row[1], () => Gemm.Multiply(a, false, b, true, c));
            first ??= c;
            Assert.Equal(first.Data, c.Data);
        }
    }

    [Fact]
    public void Rejects_mismatched_shapes_and_aliasing()
    {
        var a = new Tensor(3, 4);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, false, new Tensor(5, 2), false, new Tensor(3, 2)));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, false, new Tensor(4, 2), false, new Tensor(2, 3)));
        var square = new Tensor(3, 3);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(square, false, new Tensor(3, 3), false, square));
    }

    private static void RunWith(GemmKernelKind kind, int threads, Action body)
    {
        var saved = Gemm.Kernel;
        Gemm.Kernel = kind;
        try
        {
            EngineTestUtil.WithThreads(threads, body);
        }
        finally
        {
            Gemm.Kernel = saved;
        }
    }

    private static (double[] Expected, double[] Scale) Reference(Tensor a, bool transA, Tensor b, bool transB, Tensor c, float alpha, float beta)
    {
        var (m, n, k) = (c.Rows, c.Cols, transA ? a.Rows : a.Cols);
        var expected = new double[m * n];
        var scale = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (var p = 0; p < k; p++)
                {
                    double x = transA ? a[p, i] : a[i, p];
                    double y = transB ? b[j, p] : b[p, j];
                    sum += x * y;
                    abs += Math.Abs(x * y);
                }

                var old = beta == 0f ? 0 : (double)beta * c[i, j];
                expected[(i * n) + j] = (alpha * sum) + old;
                scale[(i * n) + j] = (Math.Abs(alpha) * abs) + Math.Abs(old);
            }
        }

        return (expected, scale);
    }
}
