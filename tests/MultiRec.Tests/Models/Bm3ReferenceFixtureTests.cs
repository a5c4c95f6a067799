// BM3 against the PyTorch reference fixtures (tools/reference/make_bm3_fixtures.py): graph, forward outputs,
// the scoring embeddings, every loss term, every parameter gradient, and parameters after three Adam steps; without
// and with dropout masks.
using System.Text.Json;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Models.Graph;
using MultiRec.Training;

namespace MultiRec.Tests.Models;

public class Bm3ReferenceFixtureTests
{
    private static readonly string Root = Path.Combine(TestPaths.Fixtures, "bm3");

    private static readonly Dictionary<string, string> LossKeys = new()
    {
        ["rec_u"] = "loss_rec_u",
        ["rec_i"] = "loss_rec_i",
        ["reg"] = "reg",
        ["align_image"] = "loss_align_image",
        ["align_text"] = "loss_align_text",
        ["mask_image"] = "loss_mask_image",
        ["mask_text"] = "loss_mask_text",
    };

    [Fact]
    public void NormalizedAdjacency_MatchesReferenceCoo()
    {
        var data = Dataset.Load(Path.Combine(Root, "tiny"));
        var a = NormalizedAdjacency.Build(data.Train);
        var rows = NpyFile.Read(Path.Combine(Root, "adjacency_rows.npy")).ToInt32();
        var cols = NpyFile.Read(Path.Combine(Root, "adjacency_cols.npy")).ToInt32();
        var values = NpyFile.Read(Path.Combine(Root, "adjacency_values.npy")).ToFloat32();
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
    }

    [Theory]
    [InlineData("nodrop")]
    [InlineData("masks")]
    public void LossesGradientsAndAdamSteps_MatchPyTorch(string caseName)
    {
        var caseDir = Path.Combine(Root, caseName);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseDir, "config.json")));
        var dropout = config.RootElement.GetProperty("dropout").GetDouble();
        var data = Dataset.Load(Path.Combine(Root, "tiny"));
        var model = new Bm3(data, new Bm3Options { EmbeddingSize = 16, NLayers = 2, Dropout = dropout, RegWeight = 0.1, ClWeight = 2.0 }, seed: 1);
        Assert.Equal(["image", "text"], model.ModalityNames);
        foreach (var p in model.Parameters)
        {
            var init = NpyFile.Read(Path.Combine(Root, "init", p.Name + ".npy"));
            Assert.Equal(p.Shape, init.Shape);
            init.ToFloat32().CopyTo(p.Value.AsSpan());
        }

        var step = 0;
        if (caseName == "masks")
        {
            var letters = new Dictionary<string, string> { ["u"] = "u", ["i"] = "i", ["image"] = "v", ["text"] = "t" };
            model.TargetMaskHook = which =>
            {
                var m = NpyFile.Read(Path.Combine(caseDir, $"step{step}_{letters[which]}.npy"));
                return Tensor.FromArray(m.Shape[0], m.Shape[1], m.ToFloat32());
            };
        }

        // Forward outputs before any update.
        var tape = new MultiRec.Engine.Autograd.Tape();
        var (hu, hi) = model.Propagate(tape);
        AssertClose(Load(caseDir, "H_u.npy"), hu.Value.AsSpan().ToArray(), 1e-5, 1e-6, "H_u");
        AssertClose(Load(caseDir, "H_i.npy"), hi.Value.AsSpan().ToArray(), 1e-5, 1e-6, "H_i");

        // The scoring embeddings (what evaluation, export and serving read) are the predictor outputs P_u, P_i.
        var (scoreUsers, scoreItems) = model.ScoringEmbeddings();
        AssertClose(Load(caseDir, "P_u.npy"), scoreUsers.AsSpan().ToArray(), 1e-5, 1e-6, "P_u");
        AssertClose(Load(caseDir, "P_i.npy"), scoreItems.AsSpan().ToArray(), 1e-5, 1e-6, "P_i");

        using var losses = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseDir, "losses.json")));
        var adam = new AdamOptimizer(model.Parameters, 1e-3);
        for (step = 0; step < 3; step++)
        {
            adam.ZeroGrad();
            var users = NpyFile.Read(Path.Combine(caseDir, $"step{step}_users.npy")).ToInt32();
            var items = NpyFile.Read(Path.Combine(caseDir, $"step{step}_items.npy")).ToInt32();
            var result = model.ForwardBackward(TrainingBatch.Of(users, items));
            var expected = losses.RootElement.GetProperty("steps")[step];
            foreach (var (ours, theirs) in LossKeys)
            {
                AssertRelative(expected.GetProperty(theirs).GetDouble(), result.Terms[ours], 1e-5, $"step {step} {theirs}");
            }

            AssertRelative(expected.GetProperty("total").GetDouble(), result.Total, 1e-5, $"step {step} total");
            if (step == 0)
            {
                foreach (var p in model.Parameters)
                {
                    AssertClose(Load(caseDir, $"grads/{p.Name}.npy"), p.Grad!.AsSpan().ToArray(), 1e-4, 1e-6, "grad " + p.Name);
                }
            }

            adam.Step();
        }

        foreach (var p in model.Parameters)
        {
            AssertClose(Load(caseDir, $"after3/{p.Name}.npy"), p.Value.AsSpan().ToArray(), 0, 1e-5, "after3 " + p.Name);
        }
    }

    private static float[] Load(string dir, string relative) => NpyFile.Read(Path.Combine(dir, relative)).ToFloat32();

    private static void AssertRelative(double expected, double actual, double rel, string what) =>
        Assert.True(Math.Abs(expected - actual) <= rel * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    private static void AssertClose(float[] expected, float[] actual, double rel, double abs, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tol = abs + (rel * Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
