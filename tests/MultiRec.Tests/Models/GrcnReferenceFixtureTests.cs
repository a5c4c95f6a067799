// GRCN against MMRec's own GRCN model (fixtures/models/grcn: image + text; grcn_text: text only, with the harness
// standing in for the reference's misspelt content variable; PyG 2.3 for its attention and weighted aggregation):
// loss terms, gradients, parameters and Adam moments after each of 4 steps, the stale scoring cache around every step,
// the score matrix after each epoch, and the step-0 attention weights and edge weights edge by edge.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Grcn;

namespace MultiRec.Tests.Models;

public class GrcnReferenceFixtureTests
{
    private static readonly string[] Cache = ["result"];

    [Theory]
    [InlineData("grcn")]
    [InlineData("grcn_text")]
    public void FourAdamSteps_MatchTheReference(string caseName)
    {
        var fixture = new ZooFixture(caseName);
        var model = Prepared(fixture);
        Assert.Equal(caseName == "grcn_text" ? ["text"] : ["image", "text"], model.ModalityNames);
        var tol = new ReplayTolerances { OursOnly = Cache };

        // Before step k's forward the cache still holds step k − 1's representation (step 0: the initial one).
        var initial = InitialCache(fixture, model);
        fixture.Replay(model, tol, beforeStep: step =>
            ZooFixture.AssertClose(step == 0 ? initial : fixture.Floats($"step{step - 1}/result.npy"), model.Result.AsSpan().ToArray(), tol.Scores.Rel, tol.Scores.Abs, $"cache before step {step}"));
        ZooFixture.AssertClose(fixture.Floats($"step{ZooFixture.Steps - 1}/result.npy"), model.Result.AsSpan().ToArray(), tol.Scores.Rel, tol.Scores.Abs, "cache after the last step");
    }

    [Theory]
    [InlineData("grcn")]
    [InlineData("grcn_text")]
    public void Step0_AttentionAndEdgeWeights_MatchTheReferenceEdgeByEdge(string caseName)
    {
        var fixture = new ZooFixture(caseName);
        var model = Prepared(fixture);
        var t = new Tape();
        var (_, attention, weights) = model.Forward(t);

        // The reference's E₂ (E₁ then its reverse; row 0 source, row 1 target) to our slots (row target, column source).
        var edges = fixture.Ints("step0/edges.npy");
        var count = edges.Length / 2;
        var g = model.Graph;
        Assert.Equal(count, g.NonZeros);
        var slots = new int[count];
        for (var e = 0; e < count; e++)
        {
            var (source, target) = (edges[e], edges[count + e]);
            var range = g.ColIdx.AsSpan(g.RowPtr[target], g.RowPtr[target + 1] - g.RowPtr[target]);
            slots[e] = g.RowPtr[target] + range.IndexOf(source);
            Assert.True(slots[e] >= g.RowPtr[target], $"edge {source} -> {target} not in the graph");
        }

        Assert.Equal(count, slots.Distinct().Count());
        for (var m = 0; m < model.ModalityNames.Count; m++)
        {
            var ours = slots.Select(s => attention[m].Value.Data[s]).ToArray();
            ZooFixture.AssertClose(fixture.Floats($"step0/alpha_{model.ModalityNames[m]}.npy"), ours, 1e-5, 1e-7, $"α {model.ModalityNames[m]}");
        }

        ZooFixture.AssertClose(fixture.Floats("step0/edge_weights.npy"), slots.Select(s => weights.Value.Data[s]).ToArray(), 1e-5, 1e-7, "edge weights");

        // Item 11 has no training row: no edge reaches it, so its α group is empty and its C rows are its X rows (the
        // harness asserts the latter on the reference's side; the replay compares the whole representation).
        var cold = ZooFixture.LoadData().Users + 11;
        Assert.Equal(g.RowPtr[cold], g.RowPtr[cold + 1]);
    }

    [Fact]
    public void StaleScores_False_ScoresTheCurrentWeights()
    {
        var fixture = new ZooFixture("grcn");
        var stale = Prepared(fixture);
        var fresh = Prepared(fixture, staleScores: false);
        var (staleUsers, staleItems) = stale.ScoringEmbeddings();
        Assert.Equal(ZooFixture.Scores(staleUsers, staleItems), ReferenceInitialScores(fixture, stale)); // the random initial cache
        var (users, items) = fresh.ScoringEmbeddings();
        fresh.ForwardBackward(fixture.Batch(0));
        Assert.Equal(users.AsSpan().ToArray(), fresh.Result.AsSpan()[..users.Length].ToArray()); // = the forward of these weights
        Assert.Equal(items.AsSpan().ToArray(), fresh.Result.AsSpan()[users.Length..].ToArray());
    }

    [Fact]
    public void Parameters_AreTheReferenceStateDict_ThenTheFrozenCache()
    {
        var fixture = new ZooFixture("grcn");
        var model = Prepared(fixture);
        var keys = fixture.Config.GetProperty("state_dict_keys").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.Equal([.. keys, "result"], model.Parameters.Select(p => p.Name).ToList());
        Assert.Equal(["result"], model.Parameters.Where(p => !p.Trainable).Select(p => p.Name).ToList());
    }

    [Fact]
    public void WithoutAModality_ItRefusesWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new Grcn(ZooFixture.LoadData(), new GrcnOptions { Modalities = [] }, seed: 1));
        Assert.Contains("GRCN needs at least one modality", e.Message, StringComparison.Ordinal);
    }

    private static Grcn Prepared(ZooFixture fixture, bool staleScores = true)
    {
        var model = new Grcn(
            ZooFixture.LoadData(),
            new GrcnOptions
            {
                EmbeddingSize = fixture.Setting("embedding_size"),
                LatentEmbedding = fixture.Setting("latent_embedding"),
                NLayers = fixture.Setting("n_layers"),
                RegWeight = fixture.SettingDouble("reg_weight"),
                StaleScores = staleScores,
                Modalities = fixture.Config.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()!).ToList(),
            },
            seed: 1);
        fixture.LoadInit(model, Cache);
        InitialCache(fixture, model).CopyTo(model.Result.AsSpan());
        return model;
    }

    /// <summary>The reference's initial N × d cache in the first d columns, zeros in the content columns.</summary>
    private static float[] InitialCache(ZooFixture fixture, Grcn model)
    {
        var reference = fixture.Floats("inputs/result.npy");
        var n = model.Result.Rows;
        var d = reference.Length / n;
        var cache = new float[model.Result.Length];
        for (var r = 0; r < n; r++)
        {
            reference.AsSpan(r * d, d).CopyTo(cache.AsSpan(r * model.Result.Cols));
        }

        return cache;
    }

    /// <summary>The reference's scores before any step: its N × d initial cache, users against items.</summary>
    private static float[] ReferenceInitialScores(ZooFixture fixture, Grcn model)
    {
        var reference = fixture.Floats("inputs/result.npy");
        var n = model.Result.Rows;
        var users = ZooFixture.LoadData().Users;
        var d = reference.Length / n;
        return ZooFixture.Scores(new Tensor(users, d, reference[..(users * d)]), new Tensor(n - users, d, reference[(users * d)..]));
    }
}
