// Trainer smoke, determinism, max_steps and exact resume, on the tiny reference dataset.
using System.Text.Json;
using MultiRec.Data;
using MultiRec.Training;

namespace MultiRec.Tests.Training;

public class TrainerTests
{
    private static readonly string Tiny = Path.Combine(TestPaths.Fixtures, "bm3", "tiny");

    private static TrainRequest Request(string outDir, params string[] set) => new()
    {
        Model = "BM3",
        DataDir = Tiny,
        OutDir = outDir,
        Set = ["embedding_size=8", "train_batch_size=8", "threads=1", .. set],
    };

    [Fact]
    public void Smoke_OneEpoch_WritesTheRunFolder()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(Request(dir.File("run"), "epochs=1"));
        var run = outcome.Run;
        Assert.Equal(1, outcome.Result.EpochsRun);
        Assert.Equal(1, outcome.Result.BestEpoch);
        Assert.Equal(5, outcome.Result.Steps); // 40 training rows / batch 8
        foreach (var f in new[] { run.ConfigFile, run.MetricsFile, run.ResultsFile, run.BestCheckpoint, run.LastCheckpoint, run.UserEmbeddings, run.ItemEmbeddings, run.CurvesPng, run.Report })
        {
            Assert.True(File.Exists(f), f + " missing");
        }

        var users = NpyFile.Read(run.UserEmbeddings);
        Assert.Equal([12, 8], users.Shape);
        Assert.Equal([10, 8], NpyFile.Read(run.ItemEmbeddings).Shape);
        var log = MetricsLog.Read(run.MetricsFile);
        Assert.Single(log);
        Assert.True(log[0].Loss["loss"] > 0);
        Assert.Contains("recall@20", log[0].Valid!.Keys);
        Assert.Equal(0, Directory.GetFiles(run.Path, "*.tmp").Length + Directory.GetFiles(run.Path, ".*").Length);
    }

    [Fact]
    public void IdOnly_TrainsWithoutFeatures()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(Request(dir.File("run"), "epochs=1", "modalities=[]"));
        Assert.DoesNotContain(outcome.Model.Parameters, p => p.Name.Contains("trs", StringComparison.Ordinal));
        Assert.Equal(4, outcome.Model.Parameters.Count);
    }

    [Fact]
    public void SameSeedTwice_GivesIdenticalMetrics()
    {
        using var dir = TestPaths.NewTempDir();
        var a = TrainingSession.Train(Request(dir.File("a"), "epochs=3", "test_only_on_improvement=false"));
        var b = TrainingSession.Train(Request(dir.File("b"), "epochs=3", "test_only_on_improvement=false"));
        Assert.Equal(File.ReadAllText(a.Run.MetricsFile).Split('\n').Select(StripSeconds), File.ReadAllText(b.Run.MetricsFile).Split('\n').Select(StripSeconds));
        Assert.Equal(File.ReadAllBytes(a.Run.ItemEmbeddings), File.ReadAllBytes(b.Run.ItemEmbeddings));
    }

    [Fact]
    public void Resume_AfterMaxStepsMidEpoch_EndsLikeAnUninterruptedRun()
    {
        using var dir = TestPaths.NewTempDir();
        var full = TrainingSession.Train(Request(dir.File("full"), "epochs=3"));

        var first = TrainingSession.Train(Request(dir.File("split"), "epochs=3", "max_steps=7"));
        Assert.Equal("max_steps", first.Result.StoppedBy);
        Assert.Equal(7, first.Result.Steps);
        var resumed = TrainingSession.Train(new TrainRequest { ResumeRun = dir.File("split"), Set = ["max_steps=0"] });

        Assert.Equal(full.Result.Steps, resumed.Result.Steps);
        Assert.Equal(full.Result.BestEpoch, resumed.Result.BestEpoch);
        Assert.Equal(full.Result.Valid, resumed.Result.Valid);
        Assert.Equal(full.Result.Test, resumed.Result.Test);
        Assert.Equal(File.ReadAllBytes(full.Run.ItemEmbeddings), File.ReadAllBytes(resumed.Run.ItemEmbeddings));
    }

    [Fact]
    public void DeferredAdamRows_TrainExactlyLikeDenseAdam()
    {
        using var dir = TestPaths.NewTempDir();
        var dense = TrainingSession.Train(Request(dir.File("dense"), "epochs=3", "adam_deferred_rows=false", "test_only_on_improvement=false"));
        var deferred = TrainingSession.Train(Request(dir.File("deferred"), "epochs=3", "adam_deferred_rows=true", "test_only_on_improvement=false"));
        Assert.Equal(dense.Result.Valid, deferred.Result.Valid);
        Assert.Equal(dense.Result.Test, deferred.Result.Test);
        foreach (var (a, b) in dense.Model.Parameters.Zip(deferred.Model.Parameters))
        {
            Assert.Equal(a.Value.AsSpan().ToArray(), b.Value.AsSpan().ToArray());
        }

        // The deferred run never held a table-sized gradient for the raw feature tables.
        var tables = ((MultiRec.Models.IRowSparseModel)deferred.Model).RowSparseParameters;
        Assert.NotEmpty(tables);
        Assert.All(tables, p => Assert.Null(p.Grad));
        Assert.All(tables, p => Assert.NotNull(p.Variable.SparseGrad));

        var last = MultiRec.Training.Checkpoints.SafeTensorsFile.Read(deferred.Run.LastCheckpoint);
        var lastDense = MultiRec.Training.Checkpoints.SafeTensorsFile.Read(dense.Run.LastCheckpoint);
        foreach (var t in lastDense.Tensors)
        {
            Assert.Equal(t.Value.AsSpan().ToArray(), last.Find(t.Name)!.Value.AsSpan().ToArray());
        }
    }

    [Fact]
    public void EarlyStopping_StopsAfterPatienceWithoutImprovement()
    {
        var stop = new EarlyStopping(2);
        Assert.True(stop.Observe(0.1, 1));
        Assert.False(stop.Observe(0.1, 2)); // equal is not an improvement
        Assert.False(stop.Observe(0.05, 3));
        Assert.False(stop.ShouldStop);
        Assert.False(stop.Observe(0.09, 4));
        Assert.True(stop.ShouldStop);
        Assert.Equal(1, stop.BestEpoch);
    }

    private static string StripSeconds(string line)
    {
        if (line.Length == 0)
        {
            return line;
        }

        var node = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        node.Remove("train_seconds");
        node.Remove("eval_seconds");
        return node.ToJsonString();
    }
}
