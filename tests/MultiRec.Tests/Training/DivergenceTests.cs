// A non-finite loss or parameter stops training with a named error (epoch, step) and keeps the last good checkpoint (D7).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Training;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Tests.Training;

public class DivergenceTests
{
    private static readonly string Tiny = Path.Combine(TestPaths.Fixtures, "bm3", "tiny");

    [Fact]
    public void NaNLoss_StopsWithEpochAndStep_AndKeepsTheLastGoodCheckpoint()
    {
        using var dir = TestPaths.NewTempDir();
        var data = Dataset.Load(Tiny);
        var options = new TrainingOptions { Epochs = 5, TrainBatchSize = 8, Threads = 1 };
        var run = new RunFolder(dir.File("run")).Create();
        var batches = TrainingBatch.Count(data.TrainUsers.Length, options.TrainBatchSize);
        // Diverges at step 2 of epoch 2: epoch 1 finished and wrote last.safetensors.
        var model = new NaNAfter(new Bm3(data, new Bm3Options { EmbeddingSize = 8 }, 1), batches + 2);
        var trainer = new Trainer(model, data, options, run);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.StartsWith("loss became NaN at epoch 2 step 2", e.Message);
        Assert.Contains("last.safetensors (end of epoch 1), is kept", e.Message);
        var kept = SafeTensorsFile.Read(run.LastCheckpoint);
        Assert.Contains("\"epoch\":1", kept.Metadata["trainer"]);
    }

    [Fact]
    public void InfiniteParameter_StopsTrainingInEpochOne_BeforeAnythingIsWritten()
    {
        using var dir = TestPaths.NewTempDir();
        var data = Dataset.Load(Tiny);
        var run = new RunFolder(dir.File("run")).Create();
        var bm3 = new Bm3(data, new Bm3Options { EmbeddingSize = 8, Modalities = [] }, 1);
        bm3.Parameters[0].Value.AsSpan()[3] = float.PositiveInfinity;
        var trainer = new Trainer(bm3, data, new TrainingOptions { Epochs = 2, TrainBatchSize = 64, Threads = 1, LearningRate = 0 }, run);
        var e = Assert.ThrowsAny<Exception>(() => trainer.Run());
        Assert.IsType<TrainingDivergedException>(e);
        Assert.Contains("epoch 1", e.Message);
        Assert.False(File.Exists(run.LastCheckpoint));
        Assert.False(File.Exists(run.MetricsFile));
    }

    [Fact]
    public void Cli_ReportsDivergenceAsExitOne()
    {
        using var stderr = new StringWriter();
        Assert.Equal(1, MultiRec.Cli.CliApp.Report(new TrainingDivergedException("loss became NaN at epoch 3 step 1: ..."), stderr));
        Assert.StartsWith("error: loss became NaN at epoch 3 step 1", stderr.ToString());
    }

    /// <summary>A model whose loss is NaN from the given (1-based) step on.</summary>
    private sealed class NaNAfter(IRecommenderModel inner, int step) : IRecommenderModel
    {
        private int _calls;

        public string Name => inner.Name;

        public IReadOnlyList<ModelParameter> Parameters => inner.Parameters;

        public BatchKind Batches => inner.Batches;

        public StepProfile? Profile
        {
            get => inner.Profile;
            set => inner.Profile = value;
        }

        public LossTerms ForwardBackward(TrainingBatch batch)
        {
            var loss = inner.ForwardBackward(batch);
            return ++_calls >= step ? new LossTerms(loss.Terms, double.NaN) : loss;
        }

        public void BeginEpoch(int epoch, ulong seed) => inner.BeginEpoch(epoch, seed);

        public void AfterStep() => inner.AfterStep();

        public (Tensor Users, Tensor Items) ScoringEmbeddings() => inner.ScoringEmbeddings();

        public void ReleaseStepBuffers() => inner.ReleaseStepBuffers();
    }
}
