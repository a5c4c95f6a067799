// LightGCN against MMRec's own LightGCN model (fixtures/models/lightgcn): the G1 graph entry by entry, then loss terms,
// gradients, parameters and Adam moments after each of 4 steps and the score matrix after each of 2 epochs.
using MultiRec.Models.Graph;
using MultiRec.Models.LightGcn;

namespace MultiRec.Tests.Models;

public class LightGcnReferenceFixtureTests
{
    [Fact]
    public void NormalizedAdjacency_EqualsTheDumpedGraph()
    {
        var fixture = new ZooFixture("lightgcn");
        var a = NormalizedAdjacency.Build(ZooFixture.LoadData().Train);
        var rows = fixture.Ints("adjacency_rows.npy");
        var cols = fixture.Ints("adjacency_cols.npy");
        var values = fixture.Floats("adjacency_values.npy");
        Assert.Equal(rows.Length, a.NonZeros);
        var k = 0;
        for (var r = 0; r < a.Rows; r++)
        {
            for (var p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++, k++)
            {
                Assert.Equal(rows[k], r);
                Assert.Equal(cols[k], a.ColIdx[p]);
                Assert.Equal(values[k], a.Values[p]); // bit for bit (G1: float64, rounded once)
            }
        }

        Assert.Equal(a.RowPtr[7 + 11], a.RowPtr[7 + 12]); // item 11 (no training row) is an empty row
    }

    [Fact]
    public void FourAdamSteps_MatchTheReference()
    {
        var fixture = new ZooFixture("lightgcn");
        var options = new LightGcnOptions
        {
            EmbeddingSize = fixture.Setting("embedding_size"),
            NLayers = fixture.Setting("n_layers"),
            RegWeight = fixture.SettingDouble("reg_weight"),
        };
        var model = new MultiRec.Models.LightGcn.LightGcn(ZooFixture.LoadData(), options, seed: 1);
        fixture.LoadInit(model);
        fixture.Replay(model, new ReplayTolerances());
    }
}
