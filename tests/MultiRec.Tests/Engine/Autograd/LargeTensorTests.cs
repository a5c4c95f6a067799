// The multi-threaded paths (row blocks, banded scatter-add, block reductions) against plain loops on larger tensors.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public sealed class LargeTensorTests : IDisposable
{
    // More threads than this machine may have cores: the row-block partitions are what is tested, not the speed.
    private readonly IDisposable _threads = ComputeSettings.Use(4);

    public void Dispose() => _threads.Dispose();

    private const int Rows = 3000;
    private const int Cols = 64; // 192,000 floats: above the parallel threshold

    [Fact]
    public void GatherRowsBackward_ScatterAddsRepeatsLikeASequentialLoop()
    {
        var x = Variable.Parameter(TestTensors.Uniform(Rows, Cols, 1), "x");
        var random = new Random(2);
        var rows = Enumerable.Range(0, 5000).Select(_ => random.Next(Rows / 3)).ToArray(); // many repeats
        var upstream = TestTensors.Uniform(rows.Length, Cols, 3);
        var tape = new Tape { PoisonRecycledBuffers = true };
        var y = tape.GatherRows(x, rows);
        for (var k = 0; k < rows.Length; k++)
        {
            Assert.Equal(x.Value.Row(rows[k]).ToArray(), y.Value.Row(k).ToArray());
        }

        tape.Backward(y, upstream);
        var expected = new Tensor(Rows, Cols);
        for (var k = 0; k < rows.Length; k++)
        {
            for (var c = 0; c < Cols; c++)
            {
                expected[rows[k], c] += upstream[k, c];
            }
        }

        TestTensors.AssertClose(expected, x.Grad, 1e-6, "scatter-add");
    }

    [Fact]
    public void ElementwiseOpsAndReductions_MatchPlainLoops()
    {
        var a = Variable.Parameter(TestTensors.Uniform(Rows, Cols, 4), "a");
        var b = Variable.Parameter(TestTensors.Uniform(Rows, Cols, 5), "b");
        var tape = new Tape { PoisonRecycledBuffers = true };
        var mean = tape.MeanOf([a, b, a]);
        var sum = tape.SumAll(mean);
        var norm = tape.FrobeniusNorm(tape.Sub(a, b));
        double expectedSum = 0, expectedSquares = 0;
        for (var i = 0; i < a.Value.Length; i++)
        {
            var m = (a.Value.Data[i] + b.Value.Data[i] + a.Value.Data[i]) / 3f;
            Assert.Equal(m, mean.Value.Data[i], 1e-6f);
            expectedSum += m;
            var d = (double)a.Value.Data[i] - b.Value.Data[i];
            expectedSquares += d * d;
        }

        Assert.Equal(expectedSum, sum.Scalar, Math.Abs(expectedSum) * 1e-5);
        Assert.Equal(Math.Sqrt(expectedSquares), norm.Scalar, Math.Sqrt(expectedSquares) * 1e-6);

        tape.Backward(tape.Add(sum, norm));
        for (var i = 0; i < a.Value.Length; i += 997)
        {
            var d = (a.Value.Data[i] - b.Value.Data[i]) / norm.Scalar;
            Assert.Equal((2f / 3f) + d, a.Grad!.Data[i], 1e-5f);
            Assert.Equal((1f / 3f) - d, b.Grad!.Data[i], 1e-5f);
        }
    }

    [Fact]
    public void LinearRowsOnUniqueRows_MatchesFullLinearThenGather()
    {
        var table = Variable.Parameter(TestTensors.Uniform(800, 96, 6), "table");
        var w = Variable.Parameter(TestTensors.Uniform(64, 96, 7), "w");
        var bias = Variable.Parameter(TestTensors.Uniform(1, 64, 8), "b");
        var rows = Enumerable.Range(0, 400).Select(i => (i * 7) % 800).ToArray();
        var upstream = TestTensors.Uniform(rows.Length, 64, 9);

        var tape = new Tape { PoisonRecycledBuffers = true };
        var fused = tape.LinearRows(table, rows, w, bias);
        tape.Backward(fused, upstream);
        var fusedGrads = new[] { table.Grad!.Clone(), w.Grad!.Clone(), bias.Grad!.Clone() };
        foreach (var p in new[] { table, w, bias })
        {
            p.ZeroGrad();
        }

        var plain = tape.GatherRows(tape.Linear(table, w, bias), rows);
        TestTensors.AssertClose(plain.Value, fused.Value, 1e-6, "value");
        tape.Backward(plain, upstream);
        TestTensors.AssertClose(table.Grad!, fusedGrads[0], 1e-6, "table grad");
        TestTensors.AssertClose(w.Grad!, fusedGrads[1], 1e-6, "weight grad");
        TestTensors.AssertClose(bias.Grad!, fusedGrads[2], 1e-6, "bias grad");
    }

    [Fact]
    public void LinearRows_OverSeveralGatherChunks_IsBitIdenticalToGatherThenLinear()
    {
        // 4,100 columns: one chunk holds a single 256-row K slab, so 600 picked rows take three chunks.
        const int width = 4100;
        Assert.True(GatheredRowsGemm.ChunkRows(width) < 600 / 2);
        var table = Variable.Parameter(TestTensors.Uniform(700, width, 11), "table");
        var w = Variable.Parameter(TestTensors.Uniform(64, width, 12), "w");
        var bias = Variable.Parameter(TestTensors.Uniform(1, 64, 13), "b");
        var random = new Random(14);
        var rows = Enumerable.Range(0, 600).Select(_ => random.Next(700)).ToArray(); // unsorted, with repeats
        var upstream = TestTensors.Uniform(rows.Length, 64, 15);

        var tape = new Tape { PoisonRecycledBuffers = true };
        var fused = tape.LinearRows(table, rows, w, bias);
        var fusedValue = fused.Value.Clone();
        tape.Backward(fused, upstream);
        var fusedGrads = new[] { table.Grad!.Clone(), w.Grad!.Clone(), bias.Grad!.Clone() };
        foreach (var p in new[] { table, w, bias })
        {
            p.ZeroGrad();
        }

        tape.Reset();
        var plain = tape.Linear(tape.GatherRows(table, rows), w, bias);
        Assert.True(plain.Value.AsSpan().SequenceEqual(fusedValue.AsSpan()), "values differ");
        tape.Backward(plain, upstream);
        Assert.True(w.Grad!.AsSpan().SequenceEqual(fusedGrads[1].AsSpan()), "weight gradients differ");
        Assert.True(bias.Grad!.AsSpan().SequenceEqual(fusedGrads[2].AsSpan()), "bias gradients differ");
        Assert.True(table.Grad!.AsSpan().SequenceEqual(fusedGrads[0].AsSpan()), "table gradients differ");
    }
}
