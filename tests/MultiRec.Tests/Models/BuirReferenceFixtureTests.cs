// BUIR against SelfCF's own BUIR model with its LightGCN encoder (fixtures/models/buir, buir_nodrop): the injected
// drop rates and uniforms give exactly the reference's edge masks; loss terms, online gradients, every parameter
// (the target after each step's moving average) and the Adam moments after each of 4 steps; the scores after each epoch.
using MultiRec.Models.Buir;
using MultiRec.Models.Graph;

namespace MultiRec.Tests.Models;

public class BuirReferenceFixtureTests
{
    private static Buir Model(ZooFixture fixture)
    {
        Assert.Equal(3, fixture.Config.GetProperty("notes").GetProperty("n_layers_used").GetInt32());
        return new Buir(
            ZooFixture.LoadData(),
            new BuirOptions { EmbeddingSize = fixture.Setting("embedding_size"), Momentum = fixture.SettingDouble("momentum"), NLayers = 3 },
            seed: 1);
    }

    [Theory]
    [InlineData("buir")]
    [InlineData("buir_nodrop")]
    public void FourAdamSteps_MatchTheReference(string caseName)
    {
        var fixture = new ZooFixture(caseName);
        var model = Model(fixture);
        fixture.LoadInit(model);
        var step = 0;
        model.EdgeDropHook = encoder =>
        {
            var k = encoder == "online" ? 1 : 2;
            return (NpyRate(fixture, $"step{step}/r{k}.npy"), fixture.Floats($"step{step}/rand{k}.npy"));
        };
        fixture.Replay(model, new ReplayTolerances(), beforeStep: s =>
        {
            if (s > 0)
            {
                AssertMasks(fixture, model, s - 1); // the masks the previous step used
            }

            step = s;
        });
        AssertMasks(fixture, model, ZooFixture.Steps - 1);
    }

    [Fact]
    public void EdgeDrop_AtRateZero_KeepsTheGraph_AndScalesNothing()
    {
        var graph = NormalizedAdjacency.Build(ZooFixture.LoadData().Train);
        var uniforms = Enumerable.Range(0, graph.NonZeros).Select(e => e / (float)graph.NonZeros).ToArray();
        var dropped = EdgeDrop.Apply(graph, EdgeDrop.Mask(0.0, uniforms), 0.0);
        Assert.Equal(graph.RowPtr, dropped.RowPtr);
        Assert.Equal(graph.ColIdx, dropped.ColIdx);
        Assert.Equal(graph.Values, dropped.Values);
    }

    [Fact]
    public void EdgeDrop_KeepsEntriesWhoseUniformReachesTheRate_ScaledByOneOverOneMinusRate()
    {
        var graph = NormalizedAdjacency.Build(ZooFixture.LoadData().Train);
        var uniforms = Enumerable.Range(0, graph.NonZeros).Select(e => (e % 10) / 10f).ToArray();
        var mask = EdgeDrop.Mask(0.45, uniforms);
        Assert.Equal(uniforms.Select(x => x >= 0.45f).ToArray(), mask);
        var dropped = EdgeDrop.Apply(graph, mask, 0.45);
        Assert.Equal(mask.Count(m => m), dropped.NonZeros);
        var kept = graph.Values.Where((_, e) => mask[e]).Select(v => v * (float)(1.0 / 0.55)).ToArray();
        Assert.Equal(kept, dropped.Values);
    }

    private static double NpyRate(ZooFixture fixture, string relative) =>
        MultiRec.Data.NpyFile.Read(Path.Combine(fixture.Dir, relative)).ToFloat64().Single();

    private static void AssertMasks(ZooFixture fixture, Buir model, int step)
    {
        Assert.Equal(fixture.Ints($"step{step}/mask1.npy").Select(x => x != 0), model.LastMasks["online"]);
        Assert.Equal(fixture.Ints($"step{step}/mask2.npy").Select(x => x != 0), model.LastMasks["target"]);
    }
}
