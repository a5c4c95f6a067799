// BPR against MMRec's own BPR model (fixtures/models/bpr): loss terms, gradients, parameters and Adam moments after
// each of 4 steps, and the score matrix after each of 2 epochs, with the README's tolerances.
using MultiRec.Models.BprMf;

namespace MultiRec.Tests.Models;

public class BprReferenceFixtureTests
{
    [Fact]
    public void FourAdamSteps_MatchTheReference()
    {
        var fixture = new ZooFixture("bpr");
        var model = new Bpr(ZooFixture.LoadData(), new BprOptions { EmbeddingSize = fixture.Setting("embedding_size"), RegWeight = fixture.SettingDouble("reg_weight") }, seed: 1);
        fixture.LoadInit(model);
        fixture.Replay(model, new ReplayTolerances());
    }

    [Fact]
    public void RowsOutsideTheBatch_HaveZeroGradient_YetAdamMovesThemByMomentum()
    {
        // §3.8 and the torch 1.x zero_grad rule: the gradient is non-zero exactly on the batch's rows; a row the second
        // batch does not touch keeps a zero gradient and still moves in the second step (Adam's momentum).
        var fixture = new ZooFixture("bpr");
        var model = new Bpr(ZooFixture.LoadData(), new BprOptions { EmbeddingSize = 16, RegWeight = 1e-3 }, seed: 1);
        fixture.LoadInit(model);
        var optimizer = new MultiRec.Training.AdamOptimizer(model.Parameters, 1e-3);
        var touched = new List<HashSet<(string, int)>>();
        var momentumOnly = new List<(string Name, int Row, float[] Before)>();
        for (var step = 0; step < 2; step++)
        {
            optimizer.ZeroGrad();
            // The fixtures' batches touch every row; the second step here is the first row of the first batch alone.
            var first = fixture.Batch(0);
            var batch = step == 0 ? first : MultiRec.Models.TrainingBatch.Of([first.Users[0]], [first.Items[0]], [first.Negatives[0]]);
            model.ForwardBackward(batch);
            var rows = new HashSet<(string, int)>(batch.Users.ToArray().Select(u => ("user_embedding.weight", u))
                .Concat(batch.Items.ToArray().Concat(batch.Negatives.ToArray()).Select(i => ("item_embedding.weight", i))));
            foreach (var p in model.Parameters)
            {
                for (var r = 0; r < p.Value.Rows; r++)
                {
                    Assert.Equal(rows.Contains((p.Name, r)), p.Grad!.Row(r).ToArray().Any(g => g != 0));
                    if (step == 1 && touched[0].Contains((p.Name, r)) && !rows.Contains((p.Name, r)))
                    {
                        momentumOnly.Add((p.Name, r, p.Value.Row(r).ToArray()));
                    }
                }
            }

            touched.Add(rows);
            optimizer.Step();
        }

        Assert.NotEmpty(momentumOnly);
        foreach (var (name, row, before) in momentumOnly)
        {
            var p = model.Parameters.Single(p => p.Name == name);
            Assert.True(before.Zip(p.Value.Row(row).ToArray()).All(x => x.First != x.Second), $"{name} row {row} did not move");
        }
    }
}
