// SLMRec against MMRec's own SLMRec model (fixtures/models/slmrec): the G2 graph entry by entry, then the three loss
// terms, gradients (g_a_iva: none), parameters and Adam moments with weight decay 1e-4 after each of 4 steps, and after
// each of 2 epochs the reference's σ scores of its stale cache; the cache itself after the last epoch.
using MultiRec.Config;
using MultiRec.Models.Graph;
using MultiRec.Models.SlmRec;
using MultiRec.Training;

namespace MultiRec.Tests.Models;

public class SlmRecReferenceFixtureTests
{
    private static readonly string[] Cache = ["all_users", "all_items"];

    [Fact]
    public void PreNormalizedAdjacency_EqualsTheDumpedG2GraphBitForBit()
    {
        var fixture = new ZooFixture("slmrec");
        var a = PreNormalizedAdjacency.Build(ZooFixture.LoadData().Train);
        var rows = fixture.Ints("adjacency_g2_rows.npy");
        var cols = fixture.Ints("adjacency_g2_cols.npy");
        var values = fixture.Floats("adjacency_g2_values.npy");
        Assert.Equal(rows.Length, a.NonZeros);
        var k = 0;
        for (var r = 0; r < a.Rows; r++)
        {
            for (var p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++, k++)
            {
                Assert.Equal(rows[k], r);
                Assert.Equal(cols[k], a.ColIdx[p]);
                Assert.Equal(values[k], a.Values[p]);
            }
        }

        Assert.Equal(a.RowPtr[7 + 11], a.RowPtr[7 + 12]); // item 11 (no training row) is an empty row
    }

    [Fact]
    public void FourAdamStepsWithWeightDecay_AndTheStaleScores_MatchTheReference()
    {
        var fixture = new ZooFixture("slmrec");
        var model = Model(fixture);
        fixture.LoadInit(model, Cache);
        fixture.Replay(model, Tolerances);

        // After the last epoch: the cache is the reference's all_users / all_items (the forward of step 3, before
        // its Adam step), not the vectors of the current weights.
        var (users, items) = model.ScoringEmbeddings();
        ZooFixture.AssertClose(fixture.Floats("epoch1/all_users.npy"), users.AsSpan().ToArray(), 1e-5, 1e-6, "all_users");
        ZooFixture.AssertClose(fixture.Floats("epoch1/all_items.npy"), items.AsSpan().ToArray(), 1e-5, 1e-6, "all_items");
        var fresh = new SlmRec(ZooFixture.LoadData(), Options(fixture) with { StaleScores = false }, seed: 1);
        foreach (var (from, to) in model.Parameters.Zip(fresh.Parameters))
        {
            from.Value.AsSpan().CopyTo(to.Value.AsSpan());
        }

        var (freshUsers, _) = fresh.ScoringEmbeddings();
        var moved = users.AsSpan().ToArray().Zip(freshUsers.AsSpan().ToArray()).Max(x => Math.Abs(x.First - x.Second));
        Assert.True(moved > 1e-5, $"the recomputed vectors should differ from the stale cache by one Adam step (max |diff| {moved})");
    }

    [Fact]
    public void TextOnlyAndIdOnly_Train_WithTheUnusedHeadsFrozen()
    {
        // The reference needs image features (its compute() reads v_dense_emb unconditionally); with fewer views the
        // fusion is narrower and the FAC terms of the absent views are left out.
        var fixture = new ZooFixture("slmrec");
        var text = new SlmRec(ZooFixture.LoadData(), Options(fixture) with { Modalities = ["text"] }, seed: 1);
        Assert.DoesNotContain(text.Parameters, p => p.Name.StartsWith("v_dense", StringComparison.Ordinal));
        Assert.Equal([fixture.Setting("recdim"), 2 * fixture.Setting("recdim")], text.Parameters.Single(p => p.Name == "embedding_user_after_GCN.weight").Shape);
        Assert.Equal(["g_v_iv.weight", "g_v_iv.bias", "g_a_iva.weight", "g_a_iva.bias", "all_users", "all_items"], text.Parameters.Where(p => !p.Trainable).Select(p => p.Name));
        var loss = text.ForwardBackward(fixture.Batch(0));
        Assert.Equal(["main", "ssl_t"], loss.Terms.Keys);
        Assert.Equal(loss.Terms["main"] + (fixture.SettingDouble("ssl_alpha") * loss.Terms["ssl_t"]), loss.Total, 1e-5);

        var idOnly = new SlmRec(ZooFixture.LoadData(), Options(fixture) with { Modalities = [] }, seed: 1);
        Assert.All(idOnly.Parameters.Where(p => p.Name.StartsWith("g_", StringComparison.Ordinal)), p => Assert.False(p.Trainable));
        var id = idOnly.ForwardBackward(fixture.Batch(0));
        Assert.Equal(["main"], id.Terms.Keys);
        Assert.True(double.IsFinite(id.Total) && id.Total > 0);
    }

    [Fact]
    public void DefaultConfiguration_TrainsWithTheReferencesWeightDecay()
    {
        // SLMRec.yaml of the reference sets weight_decay 1e-4; every other model keeps overall.yaml's 0.
        var slmrec = ConfigBuilder.Build(TrainingSession.SchemaFor("SLMRec"), "SLMRec", "baby", null, []);
        Assert.Equal(1e-4, slmrec.Bind<TrainingOptions>().WeightDecay);
        Assert.Contains("configs/model/SLMRec.yaml", slmrec.Sources);
        var lightGcn = ConfigBuilder.Build(TrainingSession.SchemaFor("LightGCN"), "LightGCN", "baby", null, []);
        Assert.Equal(0.0, lightGcn.Bind<TrainingOptions>().WeightDecay);
        var overridden = ConfigBuilder.Build(TrainingSession.SchemaFor("SLMRec"), "SLMRec", "baby", null, ["weight_decay=0"]);
        Assert.Equal(0.0, overridden.Bind<TrainingOptions>().WeightDecay);
    }

    private static ReplayTolerances Tolerances => new()
    {
        WeightDecay = 1e-4,
        SigmoidScores = true,
        OursOnly = Cache,
        // The bias of the right-hand factor adds a·bias to a whole row of logits, which the softmax cancels: its
        // gradient is float32 noise (|g| ≤ 3e-8); Adam's steps on it are driven by the weight decay 1e-4·p. The
        // biases of the fusion layers shift every user (item) vector alike; while those vectors nearly share one
        // direction, the normalised InfoNCE almost cancels their gradient too (~1e-3 out of terms ~0.2, float32
        // noise ~1e-7 in either implementation), so they get an absolute tolerance and no moment comparison.
        Noisy = new Dictionary<string, (double, double, bool)>
        {
            ["g_v_iv.bias"] = (1e-7, 1e-6, true),
            ["g_t_ivat.bias"] = (1e-7, 1e-6, true),
            ["embedding_user_after_GCN.bias"] = (1e-6, 1e-6, false),
            ["embedding_item_after_GCN.bias"] = (1e-6, 1e-6, false),
        },
    };

    private static SlmRecOptions Options(ZooFixture fixture) => new()
    {
        EmbeddingSize = fixture.Setting("recdim"),
        NLayers = fixture.Setting("layer_num"),
        Temp = fixture.SettingDouble("temp"),
        SslTemp = fixture.SettingDouble("ssl_temp"),
        SslAlpha = fixture.SettingDouble("ssl_alpha"),
    };

    private static SlmRec Model(ZooFixture fixture) => new(ZooFixture.LoadData(), Options(fixture), seed: 1);
}
