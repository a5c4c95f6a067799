// LATTICE against MMRec's own LATTICE model (fixtures/models/lattice): the G3 user-item graph, the frozen item graphs
// L_m, the item graph A rebuilt on each epoch's first batch, then loss terms, gradients, parameters and Adam moments
// after each of 4 steps (learning rate scheduled per epoch, lr · 0.96^(e/50)) and the score matrix after each epoch.
using System.Text.Json;
using MultiRec.Config;
using MultiRec.Engine;
using MultiRec.Models.Lattice;
using MultiRec.Training;

namespace MultiRec.Tests.Models;

public class LatticeReferenceFixtureTests
{
    private static readonly string[] FeatureBranch =
        ["image_embedding.weight", "image_trs.weight", "image_trs.bias", "text_embedding.weight", "text_trs.weight", "text_trs.bias", "modal_weight"];

    private static Lattice Model(ZooFixture fixture) => new(
        ZooFixture.LoadData(),
        new LatticeOptions
        {
            EmbeddingSize = fixture.Setting("embedding_size"),
            FeatEmbedDim = fixture.Setting("feat_embed_dim"),
            WeightSize = [.. fixture.Config.GetProperty("settings").GetProperty("weight_size").EnumerateArray().Select(x => x.GetInt32())],
            KnnK = fixture.Setting("knn_k"),
            LambdaCoeff = fixture.SettingDouble("lambda_coeff"),
            NLayers = fixture.Setting("n_layers"),
            RegWeight = fixture.SettingDouble("reg_weight"),
        },
        seed: 1);

    /// <summary>The reference's per-epoch rate (LATTICE.yaml's learning_rate_scheduler [0.96, 50]) through our option.</summary>
    private static double LearningRate(ZooFixture fixture, int epoch) =>
        new TrainingOptions { LearningRate = fixture.Config.GetProperty("lr").GetDouble(), LearningRateScheduler = [0.96, 50] }.LearningRateAt(epoch + 1);

    [Fact]
    public void FourAdamSteps_MatchTheReference()
    {
        var fixture = new ZooFixture("lattice");
        var model = Model(fixture);
        fixture.LoadInit(model);
        fixture.Replay(
            model,
            new ReplayTolerances(),
            beforeStep: step =>
            {
                // Before an epoch's second batch, A is the one its first batch rebuilt (and used, as batch 2 does).
                if (step % 2 == 1)
                {
                    AssertItemGraph(fixture, $"step{step - 1}/item_adj.npy", model);
                    AssertItemGraph(fixture, $"step{step}/item_adj.npy", model);
                }
            },
            epochLearningRate: e => LearningRate(fixture, e),
            configuredBatches: true);
    }

    [Fact]
    public void LearningRateOfEpochOne_IsTheReferenceSchedule()
    {
        var fixture = new ZooFixture("lattice");
        var rates = fixture.Config.GetProperty("notes").GetProperty("lr_per_epoch").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(rates[0], LearningRate(fixture, 0));
        Assert.Equal(rates[1], LearningRate(fixture, 1), 1e-18);
        Assert.Equal(1e-3 * Math.Pow(0.96, 1 / 50.0), rates[1], 1e-18);
    }

    [Fact]
    public void ModelYaml_SchedulesTheLearningRate_OtherModelsKeepItConstant()
    {
        var lattice = ConfigBuilder.Build(TrainingSession.SchemaFor("LATTICE"), "LATTICE", "baby", null, []).Bind<TrainingOptions>();
        var bm3 = ConfigBuilder.Build(TrainingSession.SchemaFor("BM3"), "BM3", "baby", null, []).Bind<TrainingOptions>();
        Assert.Equal([0.96, 50.0], lattice.LearningRateScheduler);
        Assert.Equal([1.0, 50.0], bm3.LearningRateScheduler);
        Assert.Equal(lattice.LearningRate * Math.Pow(0.96, 2 / 50.0), lattice.LearningRateAt(3));
        Assert.Equal(bm3.LearningRate, bm3.LearningRateAt(300));
    }

    [Fact]
    public void UserItemGraph_IsTheRowStochasticG3()
    {
        var fixture = new ZooFixture("lattice");
        FreedomReferenceFixtureTests.AssertGraph(fixture, "norm_adj", Model(fixture).Adjacency, 0);
    }

    [Fact]
    public void FrozenItemGraphs_EqualTheDumpedOnes()
    {
        var fixture = new ZooFixture("lattice");
        var model = Model(fixture);
        foreach (var name in new[] { "image", "text" })
        {
            var (neighbours, values) = model.FrozenItemGraph(name);
            var k = fixture.Setting("knn_k");
            var items = neighbours.Length / k;
            var dense = new float[items * items];
            for (var j = 0; j < neighbours.Length; j++)
            {
                dense[((j / k) * items) + neighbours[j]] = values[j];
            }

            ZooFixture.AssertClose(fixture.Floats($"{name}_original_adj.npy"), dense, 1e-5, 1e-7, $"{name} L_m");
            Assert.All(Enumerable.Range(0, items), a => Assert.Contains(a, neighbours[(a * k)..((a + 1) * k)])); // self included
        }
    }

    [Fact]
    public void FeatureBranch_GetsExactlyZeroGradientsOnAnEpochsSecondBatch_YetMoves()
    {
        var fixture = new ZooFixture("lattice");
        var model = Model(fixture);
        fixture.LoadInit(model);
        var optimizer = new AdamOptimizer(model.Parameters, 1e-3);
        model.BeginEpoch(1, 0);
        var before = new Dictionary<string, float[]>();
        for (var step = 0; step < 2; step++)
        {
            before = model.Parameters.ToDictionary(p => p.Name, p => p.Value.AsSpan().ToArray());
            optimizer.ZeroGrad();
            model.ForwardBackward(fixture.ConfiguredBatch(step));
            foreach (var p in model.Parameters.Where(p => FeatureBranch.Contains(p.Name)))
            {
                Assert.Equal(step == 1, p.Grad!.AsSpan().ToArray().All(g => g == 0f));
            }

            optimizer.Step();
        }

        Assert.All(model.Parameters, p => Assert.False(before[p.Name].SequenceEqual(p.Value.AsSpan().ToArray()), $"{p.Name} did not move at step 2"));
    }

    [Fact]
    public void DeferredRowAdam_OnTheRawTables_IsBitIdenticalToDenseAdam()
    {
        // The trainer's optimizer keeps the raw tables' gradients row-sparse and defers their momentum-only updates on
        // the batches that reuse the graph; the result must equal updating every entry every step.
        var fixture = new ZooFixture("lattice");
        var (deferred, dense) = (Model(fixture), Model(fixture));
        fixture.LoadInit(deferred);
        fixture.LoadInit(dense);
        var a = new AdamOptimizer(deferred, 1e-3, 0, deferRows: true);
        var b = new AdamOptimizer(dense.Parameters, 1e-3);
        for (var step = 0; step < 4; step++)
        {
            foreach (var (model, optimizer) in new[] { (deferred, a), (dense, b) })
            {
                optimizer.LearningRate = (float)LearningRate(fixture, step / 2);
                model.BeginEpoch((step / 2) + 1, 0);
                optimizer.ZeroGrad();
                model.ForwardBackward(fixture.ConfiguredBatch(step));
                optimizer.Step();
            }
        }

        a.Flush();
        for (var p = 0; p < dense.Parameters.Count; p++)
        {
            Assert.Equal(dense.Parameters[p].Value.AsSpan().ToArray(), deferred.Parameters[p].Value.AsSpan().ToArray());
        }
    }

    [Fact]
    public void TextOnly_Trains_AndLeavesTheUnusedModalWeightWhereItIs()
    {
        // One modality (Scientific has no images): the graphs are the text ones, unweighted; modal_weight never gets
        // a gradient, so the reference's Adam skips it (grad None) and ours, with zero moments, leaves it unchanged.
        var fixture = new ZooFixture("lattice");
        var model = new Lattice(ZooFixture.LoadData(), new LatticeOptions { EmbeddingSize = 8, FeatEmbedDim = 4, KnnK = 3, Modalities = ["text"] }, seed: 5);
        Assert.DoesNotContain(model.Parameters, p => p.Name.StartsWith("image", StringComparison.Ordinal));
        var before = model.Parameters.ToDictionary(p => p.Name, p => p.Value.AsSpan().ToArray());
        var optimizer = new AdamOptimizer(model.Parameters, 1e-2);
        for (var step = 0; step < 4; step++)
        {
            model.BeginEpoch((step / 2) + 1, 0);
            optimizer.ZeroGrad();
            Assert.True(double.IsFinite(model.ForwardBackward(fixture.ConfiguredBatch(step)).Total));
            optimizer.Step();
        }

        foreach (var p in model.Parameters)
        {
            Assert.Equal(p.Name == "modal_weight", before[p.Name].SequenceEqual(p.Value.AsSpan().ToArray()));
        }

        var (users, items) = model.ScoringEmbeddings();
        Assert.All(ZooFixture.Scores(users, items), s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void Regulariser_DividesByTheConfiguredBatchSize_OnTheShortLastBatch()
    {
        var fixture = new ZooFixture("lattice");
        var model = Model(fixture);
        fixture.LoadInit(model);
        model.BeginEpoch(1, 0);
        model.ForwardBackward(fixture.ConfiguredBatch(0));
        var shortBatch = fixture.ConfiguredBatch(1);
        Assert.True(shortBatch.Length < shortBatch.Capacity);
        var configured = model.ForwardBackward(shortBatch).Terms["reg"];
        var byRows = model.ForwardBackward(fixture.Batch(1)).Terms["reg"];
        Assert.Equal(configured * shortBatch.Capacity / shortBatch.Length, byRows, 1e-9);
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Dir, "step1", "loss.json"))).RootElement;
        Assert.NotEqual(0, expected.GetProperty("terms").GetProperty("reg").GetDouble());
    }

    /// <summary>Our sparse A, spread into a dense items × items matrix, against the reference's dense item_adj.</summary>
    private static void AssertItemGraph(ZooFixture fixture, string file, Lattice model)
    {
        var (pattern, values) = model.ItemGraph!.Value;
        var dense = new float[pattern.Rows * pattern.Cols];
        for (var r = 0; r < pattern.Rows; r++)
        {
            for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
            {
                dense[(r * pattern.Cols) + pattern.ColIdx[p]] = values.Data[p];
            }
        }

        ZooFixture.AssertClose(fixture.Floats(file), dense, 1e-5, 1e-7, file);
    }
}
