// FREEDOM against MMRec's own FREEDOM model (fixtures/models/freedom, freedom_reg0): the edge order and pruning
// weights, the per-epoch pruned graph from the injected kept edges, the frozen item kNN graph, then loss terms,
// gradients, parameters and Adam moments after each of 4 steps and the score matrix (full Â) after each epoch.
using MultiRec.Engine;
using MultiRec.Models.Freedom;
using MultiRec.Models.Graph;

namespace MultiRec.Tests.Models;

public class FreedomReferenceFixtureTests
{
    // The two projection biases get a mathematically zero gradient; the reference's dump is float32 noise (README).
    private static readonly ReplayTolerances Tolerances = new()
    {
        Noisy = new Dictionary<string, (double, double, bool)>
        {
            ["image_trs.bias"] = (1e-7, 1e-5, false),
            ["text_trs.bias"] = (1e-7, 1e-5, false),
        },
    };

    private static Freedom Model(ZooFixture fixture)
    {
        Assert.Equal(fixture.Setting("embedding_size"), fixture.Setting("feat_embed_dim")); // the projections' width
        return new Freedom(
        ZooFixture.LoadData(),
        new FreedomOptions
        {
            EmbeddingSize = fixture.Setting("embedding_size"),
            KnnK = fixture.Setting("knn_k"),
            Dropout = fixture.SettingDouble("dropout"),
            RegWeight = fixture.SettingDouble("reg_weight"),
            MmImageWeight = fixture.SettingDouble("mm_image_weight"),
            NMmLayers = fixture.Setting("n_mm_layers"),
            NUiLayers = fixture.Setting("n_ui_layers"),
        },
        seed: 1);
    }

    [Theory]
    [InlineData("freedom")]
    [InlineData("freedom_reg0")]
    public void FourAdamSteps_MatchTheReference(string caseName)
    {
        var fixture = new ZooFixture(caseName);
        var model = Model(fixture);
        fixture.LoadInit(model);
        model.KeptEdgesHook = epoch => fixture.Ints($"epoch{epoch - 1}/kept_edges.npy");
        fixture.Replay(model, Tolerances, beforeStep: step =>
        {
            if (step % 2 == 0)
            {
                AssertGraph(fixture, $"epoch{step / 2}/masked_adj", model.TrainingGraph!, 1e-6);
            }
        });
    }

    [Fact]
    public void WithoutRegWeight_TheFeatureBranchGetsZeroGradients_AndStaysAtItsInitialValues()
    {
        var fixture = new ZooFixture("freedom_reg0");
        var model = Model(fixture);
        fixture.LoadInit(model);
        model.KeptEdgesHook = epoch => fixture.Ints($"epoch{epoch - 1}/kept_edges.npy");
        var initial = model.Parameters.ToDictionary(p => p.Name, p => p.Value.AsSpan().ToArray());
        var optimizer = new MultiRec.Training.AdamOptimizer(model.Parameters, 1e-3);
        model.BeginEpoch(1, 0);
        for (var step = 0; step < 2; step++)
        {
            optimizer.ZeroGrad();
            model.ForwardBackward(fixture.Batch(step));
            foreach (var p in model.Parameters.Where(p => p.Name.Contains("image") || p.Name.Contains("text")))
            {
                Assert.All(p.Grad!.AsSpan().ToArray(), g => Assert.Equal(0f, g));
            }

            optimizer.Step();
        }

        foreach (var p in model.Parameters)
        {
            var moved = !initial[p.Name].SequenceEqual(p.Value.AsSpan().ToArray());
            Assert.Equal(!(p.Name.Contains("image") || p.Name.Contains("text")), moved);
        }
    }

    [Fact]
    public void EdgeOrderAndPruningWeights_MatchTheReference()
    {
        var fixture = new ZooFixture("freedom");
        var pruning = new EdgePruning(ZooFixture.LoadData().Train);
        var edges = fixture.Ints("train_edges.npy");
        Assert.Equal(edges[..30], pruning.EdgeUsers);
        Assert.Equal(edges[30..], pruning.EdgeItems);
        Assert.Equal(fixture.Floats("edge_values.npy"), pruning.EdgeWeights); // bit for bit: the float32 recipe
        Assert.Equal(5, pruning.KeptCount(0.8)); // int(30 · 0.19999999999999996), not 6
        var degreeOne = Enumerable.Range(0, 30).Where(e => pruning.EdgeUsers.Count(u => u == pruning.EdgeUsers[e]) == 1 && pruning.EdgeItems.Count(i => i == pruning.EdgeItems[e]) == 1).ToList();
        Assert.All(degreeOne, e => Assert.Equal(1f, pruning.EdgeWeights[e])); // r(1 + 1e-7) rounds to exactly 1
    }

    [Fact]
    public void PrunedGraphs_OfBothEpochs_EqualTheDumpedOnes()
    {
        var fixture = new ZooFixture("freedom");
        var pruning = new EdgePruning(ZooFixture.LoadData().Train);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            AssertGraph(fixture, $"epoch{epoch}/masked_adj", pruning.MaskedAdjacency(fixture.Ints($"epoch{epoch}/kept_edges.npy")), 0);
        }
    }

    [Fact]
    public void ItemKnnGraph_EqualsTheDumpedOne_AndTilesDoNotChangeIt()
    {
        var fixture = new ZooFixture("freedom");
        var model = Model(fixture);
        AssertGraph(fixture, "mm_adj", model.ItemGraph, 1e-6);
        Assert.Contains(model.ItemGraph.Values, v => v == 0.33333331f);   // in both modalities' top 3
        Assert.Contains(model.ItemGraph.Values, v => v == 0.03333333f);   // image only
        Assert.Contains(model.ItemGraph.Values, v => v == 0.29999998f);   // text only

        var data = ZooFixture.LoadData();
        foreach (var name in new[] { "image", "text" })
        {
            var whole = ItemKnnGraph.Build(data.Features[name], 3);
            var tiled = ItemKnnGraph.Build(data.Features[name], 3, tileRows: 5);
            Assert.Equal(whole.RowPtr, tiled.RowPtr);
            Assert.Equal(whole.ColIdx, tiled.ColIdx);
            Assert.Equal(whole.Values, tiled.Values);
            Assert.All(Enumerable.Range(0, whole.Rows), r => Assert.Contains(r, whole.ColIdx[whole.RowPtr[r]..whole.RowPtr[r + 1]])); // self included
        }
    }

    [Fact]
    public void Scores_UseTheFullGraph_NotThePrunedOne()
    {
        var fixture = new ZooFixture("freedom");
        var model = Model(fixture);
        fixture.LoadInit(model);
        model.KeptEdgesHook = epoch => fixture.Ints($"epoch{epoch - 1}/kept_edges.npy");
        model.BeginEpoch(1, 0);
        var (users, items) = model.ScoringEmbeddings();
        var tape = new MultiRec.Engine.Autograd.Tape();
        var (fullU, fullI) = model.Forward(tape, NormalizedAdjacency.Build(ZooFixture.LoadData().Train));
        Assert.Equal(fullU.Value.AsSpan().ToArray(), users.AsSpan().ToArray());
        Assert.Equal(fullI.Value.AsSpan().ToArray(), items.AsSpan().ToArray());
        var (prunedU, _) = model.Forward(tape, model.TrainingGraph!);
        Assert.NotEqual(prunedU.Value.AsSpan().ToArray(), users.AsSpan().ToArray());
    }

    /// <summary>A CSR matrix against prefix_{rows,cols,values}.npy (coalesced, sorted by (row, col)).</summary>
    internal static void AssertGraph(ZooFixture fixture, string prefix, CsrMatrix a, double rel)
    {
        var rows = fixture.Ints(prefix + "_rows.npy");
        var cols = fixture.Ints(prefix + "_cols.npy");
        var values = fixture.Floats(prefix + "_values.npy");
        Assert.Equal(rows.Length, a.NonZeros);
        var k = 0;
        for (var r = 0; r < a.Rows; r++)
        {
            for (var p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++, k++)
            {
                Assert.Equal(rows[k], r);
                Assert.Equal(cols[k], a.ColIdx[p]);
                Assert.True(Math.Abs(values[k] - a.Values[p]) <= rel * Math.Abs(values[k]), $"{prefix} ({r}, {cols[k]}): expected {values[k]:R}, got {a.Values[p]:R}");
            }
        }
    }
}
