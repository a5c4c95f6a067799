// MMGCN against MMRec's own MMGCN model (fixtures/models/mmgcn*, PyG 2.3 for its mean aggregation): loss terms,
// gradients, parameters and Adam moments after each of 4 steps, the stale scoring cache after every step, the score
// matrix after each of 2 epochs, the untrained tensors unchanged, and reg_weight without effect on training.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Models.Mmgcn;

namespace MultiRec.Tests.Models;

public class MmgcnReferenceFixtureTests
{
    private static readonly string[] FixedTensors = ["id_embedding", "v_gcn.preference", "t_gcn.preference", "result"];

    [Theory]
    [InlineData("mmgcn")]
    [InlineData("mmgcn_reg0")]
    [InlineData("mmgcn_text")]
    public void FourAdamSteps_MatchTheReference(string caseName)
    {
        var fixture = new ZooFixture(caseName);
        var model = Model(fixture);
        Assert.Equal(caseName == "mmgcn_text" ? ["text"] : ["image", "text"], model.ModalityNames);
        Load(fixture, model);
        var frozen = model.Parameters.Where(p => !p.Trainable && p.Name != "result").ToDictionary(p => p.Name, p => p.Value.AsSpan().ToArray());
        var tol = new ReplayTolerances();

        // Before step k's forward the cache still holds step k − 1's representation.
        fixture.Replay(new TrainableView(model), tol, beforeStep: step =>
            ZooFixture.AssertClose(fixture.Floats(step == 0 ? "inputs/result.npy" : $"step{step - 1}/result.npy"), model.Result.AsSpan().ToArray(), tol.Scores.Rel, tol.Scores.Abs, $"cache before step {step}"));
        ZooFixture.AssertClose(fixture.Floats($"step{ZooFixture.Steps - 1}/result.npy"), model.Result.AsSpan().ToArray(), tol.Scores.Rel, tol.Scores.Abs, "cache after the last step");
        foreach (var (name, before) in frozen)
        {
            Assert.Equal(before, model.Parameters.Single(p => p.Name == name).Value.AsSpan().ToArray());
        }
    }

    [Fact]
    public void RegWeight_ChangesTheLossOnly()
    {
        var batch = new ZooFixture("mmgcn").Batch(0);
        var runs = new[] { 0.1, 0.0 }.Select(lambda =>
        {
            var fixture = new ZooFixture("mmgcn");
            var model = new Mmgcn(ZooFixture.LoadData(), Options(fixture) with { RegWeight = lambda }, seed: 1);
            Load(fixture, model);
            var loss = model.ForwardBackward(batch);
            return (loss, grads: model.Parameters.Where(p => p.Trainable).Select(p => p.Grad!.AsSpan().ToArray()).ToList());
        }).ToList();
        Assert.Equal(runs[0].grads, runs[1].grads);
        Assert.Equal(runs[0].loss.Terms["reg"], runs[1].loss.Terms["reg"]);
        Assert.Equal(runs[1].loss.Terms["bpr"], runs[1].loss.Total, 6);
        Assert.True(runs[0].loss.Total > runs[1].loss.Total + (0.09 * runs[0].loss.Terms["reg"]));
    }

    [Fact]
    public void StaleScoring_False_ScoresTheCurrentWeights()
    {
        var fixture = new ZooFixture("mmgcn");
        var stale = Model(fixture);
        var fresh = new Mmgcn(ZooFixture.LoadData(), Options(fixture) with { StaleScoring = false }, seed: 1);
        Load(fixture, stale);
        Load(fixture, fresh);
        var (staleUsers, _) = stale.ScoringEmbeddings();
        Assert.Equal(fixture.Floats("inputs/result.npy")[..staleUsers.Length], staleUsers.AsSpan().ToArray()); // the random initial cache
        var (users, items) = fresh.ScoringEmbeddings();
        fresh.ForwardBackward(fixture.Batch(0));
        Assert.Equal(users.AsSpan().ToArray(), fresh.Result.AsSpan()[..users.Length].ToArray()); // = the forward of these weights
        Assert.Equal(items.AsSpan().ToArray(), fresh.Result.AsSpan()[users.Length..].ToArray());
    }

    [Fact]
    public void Checkpoint_HoldsTheUntrainedTensorsAndTheCache_Frozen()
    {
        var fixture = new ZooFixture("mmgcn");
        var model = Model(fixture);
        var frozen = model.Parameters.Where(p => !p.Trainable).Select(p => p.Name).ToList();
        Assert.Equal(["v_gcn.preference", "t_gcn.preference", "id_embedding", "result"], frozen);
        var keys = fixture.Config.GetProperty("state_dict_keys").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.Equal(keys, model.Parameters.Where(p => p.Trainable).Select(p => p.Name).ToList()); // the reference's order
    }

    [Fact]
    public void WithoutAModality_ItRefusesWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new Mmgcn(ZooFixture.LoadData(), new MmgcnOptions { Modalities = [] }, seed: 1));
        Assert.Contains("MMGCN needs at least one modality", e.Message, StringComparison.Ordinal);
    }

    private static MmgcnOptions Options(ZooFixture fixture) => new()
    {
        EmbeddingSize = fixture.Setting("embedding_size"),
        DimLatent = fixture.Config.GetProperty("dim_latent").GetInt32(),
        RegWeight = fixture.SettingDouble("reg_weight"),
        Modalities = fixture.Config.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()!).ToList(),
    };

    private static Mmgcn Model(ZooFixture fixture) => new(ZooFixture.LoadData(), Options(fixture), seed: 1);

    /// <summary>init/ (the reference's state_dict) into the trainable parameters, inputs/ (its untrained tensors and
    /// the initial cache) into the frozen ones; the two sets must be exactly the model's parameters.</summary>
    private static void Load(ZooFixture fixture, Mmgcn model)
    {
        var keys = fixture.Config.GetProperty("state_dict_keys").EnumerateArray().Select(k => k.GetString()!).ToHashSet();
        var inputs = Directory.GetFiles(Path.Combine(fixture.Dir, "inputs"), "*.npy").Select(f => Path.GetFileNameWithoutExtension(f)!).ToHashSet();
        Assert.Subset(FixedTensors.ToHashSet(), inputs);
        Assert.Equal(keys.Concat(inputs).Order().ToList(), model.Parameters.Select(p => p.Name).Order().ToList());
        foreach (var p in model.Parameters)
        {
            Assert.Equal(keys.Contains(p.Name), p.Trainable);
            var array = NpyFile.Read(Path.Combine(fixture.Dir, p.Trainable ? "init" : "inputs", p.Name + ".npy"));
            Assert.Equal(p.Shape, array.Shape);
            array.ToFloat32().CopyTo(p.Value.AsSpan());
        }
    }

    /// <summary>The model as the reference's state_dict sees it: only the trainable parameters (the replay compares
    /// every parameter it lists with the reference's dumps).</summary>
    private sealed class TrainableView(Mmgcn model) : IRecommenderModel
    {
        public string Name => model.Name;

        public IReadOnlyList<ModelParameter> Parameters { get; } = model.Parameters.Where(p => p.Trainable).ToList();

        public BatchKind Batches => model.Batches;

        public StepProfile? Profile { get => model.Profile; set => model.Profile = value; }

        public LossTerms ForwardBackward(TrainingBatch batch) => model.ForwardBackward(batch);

        public (Tensor Users, Tensor Items) ScoringEmbeddings() => model.ScoringEmbeddings();

        public void ReleaseStepBuffers() => model.ReleaseStepBuffers();
    }
}
