// Finite-difference checks of each model's whole training loss on a tiny configuration: every entry of every
// trainable parameter, central differences of the float32 loss against the gradient the model's backward leaves.
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Models.BprMf;
using MultiRec.Models.Buir;
using MultiRec.Models.DualGnn;
using MultiRec.Models.Freedom;
using MultiRec.Models.Grcn;
using MultiRec.Models.Lattice;
using MultiRec.Models.LightGcn;
using MultiRec.Models.Mmgcn;
using MultiRec.Models.SlmRec;
using MultiRec.Models.Vbpr;
using MultiRec.Tests.Engine.Autograd;
using MultiRec.Training;

namespace MultiRec.Tests.Models;

public class ModelGradientTests
{
    // Rows of the fixtures' step-0 batch, with repeats of users and items (embedding size 4 keeps the check small).
    private static TrainingBatch Batch => new ZooFixture("bpr").Batch(0);

    [Fact]
    public void Bpr_WholeLoss() =>
        Check(new Bpr(ZooFixture.LoadData(), new BprOptions { EmbeddingSize = 4, RegWeight = 0.5 }, seed: 3), Batch);

    [Fact]
    public void LightGcn_WholeLoss() =>
        Check(new MultiRec.Models.LightGcn.LightGcn(ZooFixture.LoadData(), new LightGcnOptions { EmbeddingSize = 4, NLayers = 2, RegWeight = 0.5 }, seed: 3), Batch);

    [Fact]
    public void Vbpr_WholeLoss() =>
        Check(new Vbpr(ZooFixture.LoadData(), new VbprOptions { EmbeddingSize = 4, RegWeight = 0.5 }, seed: 3), Batch, scale: 1f); // raw features are O(1) already

    [Fact]
    public void Freedom_WholeLoss()
    {
        var model = new Freedom(ZooFixture.LoadData(), new FreedomOptions { EmbeddingSize = 4, KnnK = 3, Dropout = 0.5, RegWeight = 0.5 }, seed: 3);
        model.BeginEpoch(1, 17);
        Check(model, Batch, scale: 1f, zeroGradient: ["image_trs.bias", "text_trs.bias"]); // the bias cancels in T[p] − T[n]
    }

    [Fact]
    public void Lattice_WholeLoss()
    {
        // knn_k = every item keeps the top-k selection fixed under the perturbations (the kept-values path with
        // k < items is checked op by op); the item graph is rebuilt at every evaluation, so the feature branch
        // (raw tables, projections, modal weights) is inside the checked loss; lambda 0.5 gives the learned graph
        // as much weight as the frozen one.
        var data = ZooFixture.LoadData();
        foreach (ref var x in data.Features["text"].Values.AsSpan())
        {
            x += 1f; // non-negative text features: every row sum of the frozen all-items graph stays positive
        }

        var model = new Lattice(data, new LatticeOptions { EmbeddingSize = 4, FeatEmbedDim = 3, KnnK = 12, LambdaCoeff = 0.5, RegWeight = 0.01 }, seed: 3)
        {
            RebuildEveryBatch = true,
        };
        foreach (var bias in model.Parameters.Where(p => p.Name.EndsWith("_trs.bias", StringComparison.Ordinal)))
        {
            // A shared positive offset keeps every cosine, hence every row sum of the kNN graphs, positive.
            var b = bias.Value.AsSpan();
            for (var j = 0; j < b.Length; j++)
            {
                b[j] = 1.5f + (0.25f * j);
            }
        }

        foreach (var table in model.Parameters.Where(p => p.Name is "user_embedding.weight" or "item_id_embedding.weight"))
        {
            foreach (ref var x in table.Value.AsSpan())
            {
                x *= 5f; // scores of O(1): the loss's slope, not its float32 round-off, dominates the differences
            }
        }

        // The raw tables' gradients are ~1e-5..1e-4 while float32 differences of the loss resolve ~1e-6 at these steps, so
        // the bound is 5e-2 here (a wrong backward is off by O(1)); the reference replay checks them at 1e-5.
        Check(model, new ZooFixture("lattice").ConfiguredBatch(1), scale: 1f, tolerance: 5e-2);
    }

    [Fact]
    public void Buir_WholeLoss()
    {
        // Edges dropped at fixed rates with fixed uniforms, so every evaluation sees the same graphs; momentum 1 keeps
        // the target where it is while the check evaluates the loss again and again.
        var model = new Buir(ZooFixture.LoadData(), new BuirOptions { EmbeddingSize = 4, NLayers = 2, Momentum = 1.0 }, seed: 3);
        var uniforms = Enumerable.Range(0, 60).Select(e => ((e * 37) % 60) / 60f).ToArray();
        model.EdgeDropHook = encoder => (encoder == "online" ? 0.3 : 0.6, uniforms);
        foreach (var p in model.Parameters.Where(p => p.Name.StartsWith("target", StringComparison.Ordinal)))
        {
            p.Value.AsSpan().Reverse(); // a target unlike the online encoder
        }

        Check(model, Batch, scale: 1f);
    }

    [Fact]
    public void DualGnn_WholeLoss()
    {
        // Both modalities, so the per-user fusion weights enter the scores; the epoch's user graph is a fixed sample.
        // Non-negative features and projection weights keep every leaky-ReLU input positive, away from the kink that
        // central differences would straddle (the negative side is the op's own test; the replay covers the rest).
        var data = ZooFixture.LoadData();
        foreach (var f in data.Features.Values)
        {
            foreach (ref var x in f.Values.AsSpan())
            {
                x = Math.Abs(x);
            }
        }

        var model = new DualGnn(data, new DualGnnOptions { EmbeddingSize = 4, RegWeight = 0.5, UserNeighbours = 3 }, seed: 3);
        foreach (var p in model.Parameters.Where(p => p.Name.Contains(".MLP.", StringComparison.Ordinal)))
        {
            foreach (ref var x in p.Value.AsSpan())
            {
                x = Math.Abs(x);
            }
        }

        model.BeginEpoch(1, 17);
        Check(model, Batch, scale: 1f);
    }

    [Fact]
    public void SlmRec_WholeLoss() =>
        Check(new SlmRec(ZooFixture.LoadData(), new SlmRecOptions { EmbeddingSize = 4, NLayers = 1, Temp = 0.5, SslTemp = 0.5, SslAlpha = 1 }, seed: 3), Batch, scale: 2f, zeroGradient: SlmRecCancellingBiases);

    [Fact]
    public void SlmRec_TextOnly_WholeLoss() =>
        Check(new SlmRec(ZooFixture.LoadData(), new SlmRecOptions { EmbeddingSize = 4, NLayers = 1, Temp = 0.5, SslTemp = 0.5, SslAlpha = 1, Modalities = ["text"] }, seed: 3), Batch, scale: 2f, zeroGradient: ["g_t_ivat.bias"]);

    // One layer and doubled weights keep the float32 noise of the loss within the central differences' error budget
    // (the replay against the reference covers 3 layers). The bias of a right-hand InfoNCE factor shifts a whole
    // row of logits, which the softmax cancels.
    private static string[] SlmRecCancellingBiases => ["g_v_iv.bias", "g_t_ivat.bias"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mmgcn_WholeLoss_WithEveryActivationOnItsPositiveSide(bool textOnly)
    {
        // Three stacked leaky ReLUs put some pre-activation within a step of its kink for most entries of a random
        // point; with non-negative features, weights and fixed tensors every pre-activation is positive, so the loss is
        // smooth around the point and the central differences are exact to round-off. (The negative side of the
        // activation is checked by the op's own tests, and every branch of the model by the PyTorch replay.) The loss
        // is O(10) here and its float32 round-off through three layers is about 1e-6 relative, which the central
        // difference turns into up to ~1.2e-2 of the largest gradient: the tolerance is 2e-2 (a wrong backward is O(1) off).
        var data = ZooFixture.LoadData();
        foreach (var f in data.Features.Values)
        {
            foreach (ref var x in f.Values.AsSpan())
            {
                x = Math.Abs(x);
            }
        }

        var model = new Mmgcn(data, new MmgcnOptions { EmbeddingSize = 4, DimLatent = 5, RegWeight = 0.5, Modalities = textOnly ? ["text"] : null }, seed: 3);
        foreach (var p in model.Parameters)
        {
            foreach (ref var x in p.Value.AsSpan())
            {
                x = Math.Abs(x);
            }
        }

        Check(model, Batch, scale: 1f, tolerance: 2e-2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Grcn_WholeLoss_WithEveryKinkOnItsPositiveSide(bool textOnly)
    {
        // Non-negative features, projections and confidences put every leaky-ReLU input and every α·conf product (so
        // the pruning relu's input) on the positive side, away from the kinks central differences would straddle. With
        // non-negative unit rows every attention logit is in [0, 1], so α^image / α^text is within [e⁻², e²]; one
        // confidence column 10 times the other (image on even rows, text on odd ones) keeps the max over the
        // modalities on one side of its kink for every edge. Round-off through the normalisations as in the MMGCN
        // check: tolerance 2e-2 (a wrong backward is O(1) off).
        var data = ZooFixture.LoadData();
        foreach (var f in data.Features.Values)
        {
            foreach (ref var x in f.Values.AsSpan())
            {
                x = Math.Abs(x);
            }
        }

        var model = new Grcn(data, new GrcnOptions { EmbeddingSize = 4, LatentEmbedding = 3, RegWeight = 0.5, Modalities = textOnly ? ["text"] : null }, seed: 3);
        foreach (var p in model.Parameters)
        {
            foreach (ref var x in p.Value.AsSpan())
            {
                x = Math.Abs(x);
            }
        }

        var confidence = model.Parameters.Single(p => p.Name == "model_specific_conf").Value;
        for (var r = 0; r < confidence.Rows && !textOnly; r++)
        {
            var (big, small) = r % 2 == 0 ? (0, 1) : (1, 0);
            confidence[r, big] = 10 * confidence[r, small];
        }

        Check(model, Batch, scale: 1f, tolerance: 2e-2);
    }

    /// <summary>Central differences with step 1e-2·max(1, |x|) (GradientChecker's error budget); a larger weight
    /// on the regulariser than the reference's keeps both terms visible in the gradient.</summary>
    internal static void Check(IRecommenderModel model, TrainingBatch batch, float scale = 20f, string[]? zeroGradient = null, double tolerance = GradientChecker.DefaultTolerance)
    {
        foreach (var p in model.Parameters)
        {
            // Scale small initial values up so the loss is not flat around them.
            foreach (ref var x in p.Value.AsSpan())
            {
                x *= scale;
            }
        }

        ZeroGrads(model);
        model.ForwardBackward(batch);
        var gradients = model.Parameters.Where(p => p.Trainable).ToDictionary(p => p.Name, p => p.Grad!.Clone());
        foreach (var name in zeroGradient ?? [])
        {
            Assert.All(gradients[name].AsSpan().ToArray(), g => Assert.True(Math.Abs(g) <= 1e-6, $"{model.Name} {name}: gradient {g}, expected 0"));
        }

        foreach (var p in model.Parameters.Where(p => p.Trainable && !(zeroGradient ?? []).Contains(p.Name)))
        {
            var analytic = gradients[p.Name];
            var numeric = new Tensor(p.Value.Rows, p.Value.Cols);
            var values = p.Value.Data;
            for (var j = 0; j < p.Value.Length; j++)
            {
                var original = values[j];
                var h = (float)(1e-2 * Math.Max(1.0, Math.Abs(original)));
                values[j] = original + h;
                var plus = model.ForwardBackward(batch).Total;
                values[j] = original - h;
                var minus = model.ForwardBackward(batch).Total;
                values[j] = original;
                numeric.Data[j] = (float)((plus - minus) / (((double)original + h) - ((double)original - h)));
            }

            var error = TestTensors.RelativeError(analytic, numeric);
            Assert.True(error <= tolerance, $"{model.Name} {p.Name}: relative gradient error {error:E3}\n analytic {TestTensors.Show(analytic)}\n numeric  {TestTensors.Show(numeric)}");
            Assert.True(analytic.AsSpan().ToArray().Any(g => g != 0), $"{model.Name} {p.Name}: gradient is all zero");
        }
    }

    private static void ZeroGrads(IRecommenderModel model)
    {
        foreach (var p in model.Parameters.Where(p => p.Trainable))
        {
            p.Variable.AllocateGrad(); // the raw feature tables leave their gradient buffer to the optimizer
            p.Grad!.AsSpan().Clear();
        }
    }
}
