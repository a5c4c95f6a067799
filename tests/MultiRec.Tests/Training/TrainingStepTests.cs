// The trainer's side of the model contract: BeginEpoch before each epoch's first batch, AfterStep after every
// optimizer step, negatives only for models that ask for them (never a training item of the row's user), and the
// step seed derived from the run seed and the global step.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Models.BprMf;
using MultiRec.Models.Common;
using MultiRec.Tests.Models;
using MultiRec.Training;

namespace MultiRec.Tests.Training;

public class TrainingStepTests
{
    /// <summary>BPR with a record of the trainer's calls (everything else delegates).</summary>
    private sealed class Recording(IRecommenderModel inner, BatchKind batches) : IRecommenderModel
    {
        public List<string> Calls { get; } = [];

        public List<(int[] Users, int[] Negatives, ulong Seed)> Batches { get; } = [];

        public string Name => inner.Name;

        public IReadOnlyList<ModelParameter> Parameters => inner.Parameters;

        BatchKind IRecommenderModel.Batches => batches;

        public StepProfile? Profile { get; set; }

        public LossTerms ForwardBackward(TrainingBatch batch)
        {
            Calls.Add("step");
            Batches.Add((batch.Users.ToArray(), batch.Negatives.ToArray(), batch.StepSeed));
            var negatives = batch.HasNegatives ? batch.Negatives.ToArray() : batch.Items.ToArray(); // any items for BPR's math
            return inner.ForwardBackward(TrainingBatch.Of(batch.Users.ToArray(), batch.Items.ToArray(), negatives, batch.StepSeed));
        }

        public (Tensor Users, Tensor Items) ScoringEmbeddings() => inner.ScoringEmbeddings();

        public void ReleaseStepBuffers() => inner.ReleaseStepBuffers();

        public void BeginEpoch(int epoch, ulong seed) => Calls.Add($"begin {epoch} {seed}");

        public void AfterStep() => Calls.Add("after");
    }

    private static readonly TrainingOptions Options = new() { Epochs = 2, TrainBatchSize = 16, Threads = 1, Seed = 5, StoppingStep = 100 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Trainer_CallsTheHooks_AndFillsBatchesAsTheModelAsks(bool withNegatives)
    {
        var kind = withNegatives ? BatchKind.PairsWithNegatives : BatchKind.Pairs;
        var data = ZooFixture.LoadData(); // 30 training rows: 2 batches per epoch
        var model = new Recording(new Bpr(data, new BprOptions { EmbeddingSize = 4 }, seed: 1), kind);
        using var dir = TestPaths.NewTempDir();
        new Trainer(model, data, Options, new RunFolder(dir.File("run")).Create()).Run();

        Assert.Equal(
            [$"begin 1 {Seeds.ForEpoch(5, 1)}", "step", "after", "step", "after", $"begin 2 {Seeds.ForEpoch(5, 2)}", "step", "after", "step", "after"],
            model.Calls);
        Assert.Equal(Enumerable.Range(0, 4).Select(k => Seeds.ForStep(5, k)), model.Batches.Select(b => b.Seed));
        foreach (var (users, negatives, _) in model.Batches)
        {
            if (kind == BatchKind.Pairs)
            {
                Assert.Empty(negatives);
                continue;
            }

            Assert.Equal(users.Length, negatives.Length);
            for (var k = 0; k < users.Length; k++)
            {
                Assert.DoesNotContain(negatives[k], data.Train.ItemsOf(users[k]).ToArray());
                Assert.NotEqual(11, negatives[k]); // item 11 has no training row
            }
        }
    }

    [Fact]
    public void StepSeeds_DifferPerStepAndRun_EpochSeedsFromStepSeeds()
    {
        var steps = Enumerable.Range(0, 1000).Select(k => Seeds.ForStep(999, k)).ToHashSet();
        Assert.Equal(1000, steps.Count);
        Assert.NotEqual(Seeds.ForStep(999, 0), Seeds.ForStep(998, 0));
        Assert.DoesNotContain(Seeds.ForEpoch(999, 1), steps);
    }
}
