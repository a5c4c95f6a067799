// Trainer smoke and determinism on the tiny reference dataset; resume, early stopping and the reported best epoch
// on the discriminating catalog, where the metrics tell epochs apart.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Training;
using MultiRec.Training.Checkpoints;

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

    private static TrainRequest OnCatalog(string outDir, params string[] set) => new()
    {
        Model = "BM3",
        DataDir = TestCatalogs.Discriminating,
        OutDir = outDir,
        Set = [.. TestCatalogs.Fast, .. set],
    };

    [Fact]
    public void Smoke_OneEpoch_WritesTheRunFolder()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(Request(dir.File("run"), "epochs=1"));
        var run = outcome.Run;
        Assert.Equal(1, outcome.Result.EpochsRun);
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
    public void TextOnly_HasTheTextBranchAndItsLossTermsOnly()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(Request(dir.File("run"), "epochs=1", "modalities=[text]"));
        var names = outcome.Model.Parameters.Select(p => p.Name).ToList();
        Assert.Contains("text_trs.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("image_", StringComparison.Ordinal));
        var loss = MetricsLog.Read(outcome.Run.MetricsFile)[0].Loss;
        Assert.True(loss["align_text"] > 0);
        Assert.True(loss["mask_text"] > 0);
        Assert.DoesNotContain(loss.Keys, k => k.Contains("image", StringComparison.Ordinal));
    }

    [Fact]
    public void FrozenRawFeatures_StayAsLoaded_WhileTrainedOnesMove()
    {
        using var dir = TestPaths.NewTempDir();
        var frozen = TrainingSession.Train(Request(dir.File("frozen"), "epochs=2", "train_raw_features=false"));
        var trained = TrainingSession.Train(Request(dir.File("trained"), "epochs=2", "train_raw_features=true"));
        var loaded = NpyFile.Read(Path.Combine(Tiny, DatasetFiles.ImageFeatureFile)).ToFloat32();
        var frozenTable = frozen.Model.Parameters.Single(p => p.Name == "image_embedding.weight").Value.AsSpan();
        var trainedTable = trained.Model.Parameters.Single(p => p.Name == "image_embedding.weight").Value.AsSpan();
        Assert.True(frozenTable.SequenceEqual(loaded), "a frozen raw table must keep the loaded features");
        Assert.False(trainedTable.SequenceEqual(loaded), "a trainable raw table must move");
    }

    [Fact]
    public void SameSeedTwice_GivesIdenticalMetrics()
    {
        using var dir = TestPaths.NewTempDir();
        var a = TrainingSession.Train(Request(dir.File("a"), "epochs=3", "test_only_on_improvement=false"));
        var b = TrainingSession.Train(Request(dir.File("b"), "epochs=3", "test_only_on_improvement=false"));
        Assert.Equal(StrippedLog(a.Run), StrippedLog(b.Run));
        Assert.Equal(File.ReadAllBytes(a.Run.ItemEmbeddings), File.ReadAllBytes(b.Run.ItemEmbeddings));
    }

    [Fact]
    public void Resume_AfterMaxStepsMidEpoch_EndsLikeAnUninterruptedRun()
    {
        using var dir = TestPaths.NewTempDir();
        string[] settings = ["epochs=10", "stopping_step=100", "test_only_on_improvement=false"];
        var full = TrainingSession.Train(OnCatalog(dir.File("full"), settings));

        // Interrupt half-way through epoch 3; everything compared below is produced after that point.
        var perEpoch = TestCatalogs.StepsPerEpoch;
        var interruptAt = (2 * perEpoch) + (perEpoch / 2);
        var first = TrainingSession.Train(OnCatalog(dir.File("split"), [.. settings, $"max_steps={interruptAt}"]));
        Assert.Equal("max_steps", first.Result.StoppedBy);
        Assert.Equal(interruptAt, first.Result.Steps);
        Assert.True(full.Result.BestEpoch > 3, $"the best epoch ({full.Result.BestEpoch}) must come after the interruption (epoch 3)");

        var resumed = TrainingSession.Train(new TrainRequest { ResumeRun = dir.File("split"), Set = ["max_steps=0"] });
        Assert.Equal(full.Result.Steps, resumed.Result.Steps);
        Assert.Equal(full.Result.BestEpoch, resumed.Result.BestEpoch);
        Assert.Equal(full.Result.Valid, resumed.Result.Valid);
        Assert.Equal(full.Result.Test, resumed.Result.Test);
        Assert.Equal(StrippedLog(full.Run), StrippedLog(resumed.Run));
        Assert.Equal(File.ReadAllBytes(full.Run.ItemEmbeddings), File.ReadAllBytes(resumed.Run.ItemEmbeddings));
        AssertSameTensors(full.Run.LastCheckpoint, resumed.Run.LastCheckpoint);
    }

    [Theory]
    [InlineData("BM3")]
    [InlineData("FREEDOM")]
    public void DeferredAdamRows_TrainExactlyLikeDenseAdam(string model)
    {
        using var dir = TestPaths.NewTempDir();
        var dense = TrainingSession.Train(Request(dir.File("dense"), "epochs=3", "adam_deferred_rows=false", "test_only_on_improvement=false") with { Model = model });
        var deferred = TrainingSession.Train(Request(dir.File("deferred"), "epochs=3", "adam_deferred_rows=true", "test_only_on_improvement=false") with { Model = model });
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
        AssertSameTensors(dense.Run.LastCheckpoint, deferred.Run.LastCheckpoint);
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

    [Fact]
    public void EarlyStop_EndToEnd_ReportsTheBestValidEpochsMetrics()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(OnCatalog(dir.File("run"), "epochs=60", "stopping_step=3", "test_only_on_improvement=false"));
        var r = outcome.Result;
        var log = MetricsLog.Read(outcome.Run.MetricsFile);
        Assert.Equal("early_stop", r.StoppedBy);
        Assert.InRange(r.BestEpoch, 2, 59);
        Assert.Equal(r.BestEpoch + 3 + 1, r.EpochsRun); // stops once more than stopping_step epochs bring no improvement
        Assert.Equal(r.EpochsRun, log.Count);
        Assert.Equal(ExpectedBestEpoch(log, "recall@20", 4, 3), r.BestEpoch);

        var best = log[r.BestEpoch - 1];
        Assert.True(best.IsBest);
        Assert.NotEqual(log[^1].Test, best.Test); // the last epoch's numbers differ, so reporting them would be caught
        Assert.Equal(best.Valid, r.Valid);
        Assert.Equal(best.Test, r.Test);
    }

    [Fact]
    public void ValidMetricDecimals_DecideTies_AsDocumented()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(OnCatalog(dir.File("run"), "epochs=60", "stopping_step=3", "valid_metric_decimals=1"));
        var log = MetricsLog.Read(outcome.Run.MetricsFile);
        var rounded = ExpectedBestEpoch(log, "recall@20", 1, 3);
        var unrounded = ExpectedBestEpoch(log, "recall@20", -1, 3);
        Assert.NotEqual(unrounded, rounded); // rounding to 1 decimal turns later small gains into ties
        Assert.Equal(rounded, outcome.Result.BestEpoch);
        Assert.Equal(log[rounded - 1].Valid, outcome.Result.Valid);
    }

    [Fact]
    public void ValidMetric_OtherThanTheDefault_SelectsTheBestEpoch()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(OnCatalog(dir.File("run"), "epochs=60", "stopping_step=3", "valid_metric=ndcg@5"));
        var log = MetricsLog.Read(outcome.Run.MetricsFile);
        Assert.Equal(ExpectedBestEpoch(log, "ndcg@5", 4, 3), outcome.Result.BestEpoch);
        Assert.NotEqual(ExpectedBestEpoch(log, "recall@20", 4, 3), outcome.Result.BestEpoch);
    }

    [Fact]
    public void TestOnlyOnImprovement_ReportsTheSameNumbers()
    {
        using var dir = TestPaths.NewTempDir();
        var lazy = TrainingSession.Train(OnCatalog(dir.File("lazy"), "epochs=12", "stopping_step=3", "test_only_on_improvement=true"));
        var eager = TrainingSession.Train(OnCatalog(dir.File("eager"), "epochs=12", "stopping_step=3", "test_only_on_improvement=false"));
        Assert.Equal(eager.Result.BestEpoch, lazy.Result.BestEpoch);
        Assert.Equal(eager.Result.Valid, lazy.Result.Valid);
        Assert.Equal(eager.Result.Test, lazy.Result.Test);
        Assert.Contains(MetricsLog.Read(lazy.Run.MetricsFile), r => r.Test is null);
    }

    [Fact]
    public void MaskValidAtTest_RemovesValidItemsFromTheTestRanking()
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(OnCatalog(dir.File("run"), "epochs=3", "mask_valid_at_test=true"));
        var data = outcome.Data;
        var users = MultiRec.Training.RunEvaluation.LoadEmbeddings(outcome.Run.UserEmbeddings, data.Users);
        var items = MultiRec.Training.RunEvaluation.LoadEmbeddings(outcome.Run.ItemEmbeddings, data.Items);
        var topk = new[] { 5, 10, 20, 50 };
        var masked = MultiRec.Evaluation.FullRankingEvaluator.Evaluate(users, items, data.Train, data.Test, new MultiRec.Evaluation.EvaluationOptions { Ks = topk, ExtraMask = data.Valid });
        var plain = MultiRec.Evaluation.FullRankingEvaluator.Evaluate(users, items, data.Train, data.Test, new MultiRec.Evaluation.EvaluationOptions { Ks = topk });
        Assert.NotEqual(plain.ToDictionary(), masked.ToDictionary());
        Assert.Equal(masked.ToDictionary(), outcome.Result.Test);
        Assert.Equal(masked.ToDictionary(), MultiRec.Training.RunEvaluation.Evaluate(outcome.Run.Path, "test").ToDictionary());
    }

    [Fact]
    public void Training_LeavesTheProcessThreadSettingAsItFoundIt()
    {
        var before = ComputeSettings.Threads;
        try
        {
            ComputeSettings.Threads = 3;
            using var dir = TestPaths.NewTempDir();
            var outcome = TrainingSession.Train(Request(dir.File("run"), "epochs=1"));
            Assert.Equal(1, outcome.Result.Threads);
            Assert.Equal(3, ComputeSettings.Threads);
            MultiRec.Training.RunEvaluation.Evaluate(outcome.Run.Path, "valid");
            Assert.Equal(3, ComputeSettings.Threads);
        }
        finally
        {
            ComputeSettings.Threads = before;
        }
    }

    /// <summary>The best epoch by the documented rule, recomputed from metrics.jsonl: each valid value rounded to
    /// <paramref name="decimals"/> (none when negative), a new best only when strictly above the best so far,
    /// stop once more than <paramref name="patience"/> epochs in a row bring none.</summary>
    internal static int ExpectedBestEpoch(IReadOnlyList<EpochRecord> log, string metric, int decimals, int patience)
    {
        var stop = new EarlyStopping(patience);
        foreach (var record in log)
        {
            var value = record.Valid![metric];
            stop.Observe(decimals >= 0 ? Math.Round(value, decimals) : value, record.Epoch);
            if (stop.ShouldStop)
            {
                break;
            }
        }

        return stop.BestEpoch;
    }

    internal static void AssertSameTensors(string expectedFile, string actualFile)
    {
        var expected = SafeTensorsFile.Read(expectedFile);
        var actual = SafeTensorsFile.Read(actualFile);
        Assert.Equal(expected.Tensors.Select(t => t.Name), actual.Tensors.Select(t => t.Name));
        foreach (var t in expected.Tensors)
        {
            Assert.True(t.Value.AsSpan().SequenceEqual(actual.Find(t.Name)!.Value.AsSpan()), $"tensor {t.Name} differs");
        }
    }

    /// <summary>metrics.jsonl without the timing fields, one string per line.</summary>
    internal static List<string> StrippedLog(RunFolder run) =>
        File.ReadAllText(run.MetricsFile).Split('\n').Where(l => l.Length > 0).Select(StripSeconds).ToList();

    private static string StripSeconds(string line)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        node.Remove("train_seconds");
        node.Remove("eval_seconds");
        return node.ToJsonString();
    }
}
