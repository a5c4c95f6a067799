// The fused LightGCN propagation op: finite-difference gradients, bit-equality with the unfused op chain,
// multi-output backward (either output alone), and its refusal of row-sparse gradients.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Tests.Engine;

namespace MultiRec.Tests.Engine.Autograd;

[Collection(ComputeSettingsCollection.Name)]
public class LightGcnPropagateTests
{
    /// <summary>Which outputs the loss reads: H_u only, H_i only, or both (each also with the input added back,
    /// as BM3's item residual, so the inputs' gradients accumulate over two ops).</summary>
    public enum Reads
    {
        Users,
        Items,
        Both,
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (var layers in new[] { 0, 1, 2, 3 })
        {
            foreach (var symmetric in new[] { true, false })
            {
                foreach (var reads in Enum.GetValues<Reads>())
                {
                    yield return [layers, symmetric, reads];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferences(int layers, bool symmetric, Reads reads)
    {
        var a = Matrix(3, 4, symmetric, seed: 5);
        GradientChecker.Check((t, v) => Fused(t, a, v[0], v[1], layers, symmetric, reads), [TestTensors.Uniform(3, 5, 1), TestTensors.Uniform(4, 5, 2)]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsTheUnfusedOpsBitForBit(int layers, bool symmetric, Reads reads)
    {
        // 75 columns exercise the 32-, 8- and 1-wide column paths; 4 threads the row-parallel path.
        const int users = 200, items = 120, d = 75;
        var a = Matrix(users, items, symmetric, seed: 11);
        foreach (var threads in new[] { 1, 4 })
        {
            EngineTestUtil.WithThreads(threads, () =>
            {
                var fused = Run(a, users, items, d, (t, u, i) => Fused(t, a, u, i, layers, symmetric, reads));
                var unfused = Run(a, users, items, d, (t, u, i) => Unfused(t, a, u, i, layers, symmetric, reads));
                Assert.Equal(unfused.Value, fused.Value);
                Assert.Equal(unfused.UserGrad, fused.UserGrad);
                Assert.Equal(unfused.ItemGrad, fused.ItemGrad);
            });
        }
    }

    [Fact]
    public void RecordsOneNodeAndReleasesBothOutputGradients()
    {
        var a = Matrix(3, 4, symmetric: true, seed: 5);
        var users = Variable.Parameter(TestTensors.Uniform(3, 2, 1), "users");
        var items = Variable.Parameter(TestTensors.Uniform(4, 2, 2), "items");
        var tape = new Tape { PoisonRecycledBuffers = true };
        var (hu, hi) = tape.LightGcnPropagate(a, users, items, layers: 2, isSymmetric: true);
        Assert.Equal(1, tape.RecordedOps);
        var loss = tape.ConcatRows(hu, hi);
        tape.Backward(loss, TestTensors.Uniform(7, 2, 3));
        Assert.Null(hu.Grad);
        Assert.Null(hi.Grad);
        Assert.NotNull(users.Grad);
        Assert.NotNull(items.Grad);
    }

    [Fact]
    public void UnderNoGradRecordsNothing()
    {
        var a = Matrix(3, 4, symmetric: true, seed: 5);
        var tape = new Tape();
        using (tape.NoGrad())
        {
            var (hu, hi) = tape.LightGcnPropagate(a, Variable.Parameter(TestTensors.Uniform(3, 2, 1), "u"), Variable.Parameter(TestTensors.Uniform(4, 2, 2), "i"), 1, isSymmetric: true);
            Assert.False(hu.RequiresGrad);
            Assert.False(hi.RequiresGrad);
        }

        Assert.Equal(0, tape.RecordedOps);
    }

    [Fact]
    public void OnlyOneInputNeedingAGradientGetsOne()
    {
        var a = Matrix(3, 4, symmetric: false, seed: 5);
        var users = Variable.Constant(TestTensors.Uniform(3, 2, 1), "users");
        var items = Variable.Parameter(TestTensors.Uniform(4, 2, 2), "items");
        var tape = new Tape { PoisonRecycledBuffers = true };
        var (hu, _) = tape.LightGcnPropagate(a, users, items, layers: 3);
        tape.Backward(hu, TestTensors.Uniform(3, 2, 3));
        Assert.Null(users.Grad);
        Assert.All(items.Grad!.AsSpan().ToArray(), g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void RefusesARowSparseGradient()
    {
        var a = Matrix(3, 4, symmetric: true, seed: 5);
        var users = Variable.Parameter(TestTensors.Uniform(3, 2, 1), "user_embedding.weight");
        var items = Variable.Parameter(TestTensors.Uniform(4, 2, 2), "items");
        users.UseRowSparseGrad();
        var tape = new Tape();
        var (hu, _) = tape.LightGcnPropagate(a, users, items, layers: 1, isSymmetric: true);
        var error = Assert.Throws<InvalidOperationException>(() => tape.Backward(hu, TestTensors.Uniform(3, 2, 3)));
        Assert.Contains("user_embedding.weight", error.Message);
        Assert.Contains("row-sparse", error.Message);
    }

    [Fact]
    public void RejectsMismatchedShapes()
    {
        var a = Matrix(3, 4, symmetric: true, seed: 5);
        var tape = new Tape();
        var users = Variable.Parameter(TestTensors.Uniform(3, 2, 1), "u");
        Assert.Throws<ArgumentException>(() => tape.LightGcnPropagate(a, users, Variable.Parameter(TestTensors.Uniform(5, 2, 2), "i"), 1));
        Assert.Throws<ArgumentException>(() => tape.LightGcnPropagate(a, users, Variable.Parameter(TestTensors.Uniform(4, 3, 2), "i"), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.LightGcnPropagate(a, users, Variable.Parameter(TestTensors.Uniform(4, 2, 2), "i"), -1));
    }

    /// <summary>BM3's normalised bipartite adjacency (symmetric) or a random square matrix with about the same fill.</summary>
    private static CsrMatrix Matrix(int users, int items, bool symmetric, int seed)
    {
        var n = users + items;
        if (!symmetric)
        {
            return TestGraphs.RandomCsr(n, n, density: Math.Min(0.4, 8.0 / n), seed);
        }

        var random = new Random(seed);
        var edges = new List<(int, int)>();
        for (var u = 0; u < users; u++)
        {
            for (var i = 0; i < items; i++)
            {
                if (random.NextDouble() < Math.Min(0.5, 6.0 / items))
                {
                    edges.Add((u, i));
                }
            }
        }

        return TestGraphs.NormalisedBipartite(users, items, [.. edges]);
    }

    private static Variable Fused(Tape t, CsrMatrix a, Variable users, Variable items, int layers, bool symmetric, Reads reads)
    {
        var (hu, hi) = t.LightGcnPropagate(a, users, items, layers, symmetric);
        return Read(t, hu, hi, users, items, reads);
    }

    /// <summary>The op chain BM3 recorded before the fused op.</summary>
    private static Variable Unfused(Tape t, CsrMatrix a, Variable users, Variable items, int layers, bool symmetric, Reads reads)
    {
        var e0 = t.ConcatRows(users, items);
        var terms = new List<Variable> { e0 };
        for (var l = 0; l < layers; l++)
        {
            terms.Add(t.SparseMultiply(a, terms[^1], symmetric));
        }

        var h = layers == 0 ? e0 : t.MeanOf(terms);
        return Read(t, t.SliceRows(h, 0, users.Rows), t.SliceRows(h, users.Rows, items.Rows), users, items, reads);
    }

    private static Variable Read(Tape t, Variable hu, Variable hi, Variable users, Variable items, Reads reads) => reads switch
    {
        Reads.Users => hu,
        Reads.Items => hi,
        _ => t.ConcatRows(t.Add(hu, users), t.Add(hi, items)),
    };

    private static (float[] Value, float[] UserGrad, float[] ItemGrad) Run(CsrMatrix a, int users, int items, int d, Func<Tape, Variable, Variable, Variable> build)
    {
        var u = Variable.Parameter(TestTensors.Uniform(users, d, 21), "users");
        var i = Variable.Parameter(TestTensors.Uniform(items, d, 22), "items");
        var tape = new Tape { PoisonRecycledBuffers = true };
        var y = build(tape, u, i);
        var value = y.Value.AsSpan().ToArray();
        tape.Backward(y, TestTensors.Uniform(y.Rows, y.Cols, 23));
        return (value, u.Grad?.AsSpan().ToArray() ?? [], i.Grad?.AsSpan().ToArray() ?? []);
    }
}
