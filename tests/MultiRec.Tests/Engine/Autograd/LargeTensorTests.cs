// The multi-threaded paths (row blocks, banded scatter-add, block reductions) against plain loops on larger tensors.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public class LargeTensorTests
{
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
}
