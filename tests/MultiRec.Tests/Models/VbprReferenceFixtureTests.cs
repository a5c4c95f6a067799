// VBPR against MMRec's own VBPR model (fixtures/models/vbpr): feature order (text columns first), then loss terms,
// gradients, parameters and Adam moments after each of 4 steps and the score matrix after each of 2 epochs.
using MultiRec.Models.Vbpr;

namespace MultiRec.Tests.Models;

public class VbprReferenceFixtureTests
{
    private static Vbpr Model(ZooFixture fixture) => new(
        ZooFixture.LoadData(),
        new VbprOptions { EmbeddingSize = fixture.Setting("embedding_size"), RegWeight = fixture.SettingDouble("reg_weight") },
        seed: 1);

    [Fact]
    public void FourAdamSteps_MatchTheReference()
    {
        var fixture = new ZooFixture("vbpr");
        var model = Model(fixture);
        Assert.Equal(["text", "image"], model.ModalityNames);
        fixture.LoadInit(model);
        fixture.Replay(model, new ReplayTolerances());
    }

    [Fact]
    public void WeightColumns_ZeroToFiveActOnText_TheRestOnImage()
    {
        // §5.8: zeroing the text columns of W changes only what the text features contribute. With text features set
        // to zero, the text block of W gets no gradient while the image block does.
        var data = ZooFixture.LoadData();
        Array.Clear(data.Features["text"].Values);
        var fixture = new ZooFixture("vbpr");
        var model = new Vbpr(data, new VbprOptions { EmbeddingSize = 16, RegWeight = 0.1 }, seed: 1);
        fixture.LoadInit(model);
        model.ForwardBackward(fixture.Batch(0));
        var w = model.Parameters.Single(p => p.Name == "item_linear.weight").Grad!;
        Assert.Equal(6 + 12, w.Cols);
        for (var r = 0; r < w.Rows; r++)
        {
            Assert.All(w.Row(r)[..6].ToArray(), g => Assert.Equal(0f, g));
            Assert.Contains(w.Row(r)[6..].ToArray(), g => g != 0);
        }
    }
}
