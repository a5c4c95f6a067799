// Tests of the public C# API: a dataset from memory or a folder, Fit with typed options, progress and cancellation,
// recommend / batch / similar / evaluate / export on the trained run, Load of the folder, and bad input.
using MultiRec.Data;
using MultiRec.Evaluation;
using MultiRec.Models.BprMf;
using MultiRec.Serving;
using MultiRec.Tests.Serving;
using MultiRec.Training;

namespace MultiRec.Tests.Api;

public class PublicApiTests
{
    /// <summary>A small catalog in memory: each user interacts with items of one of four groups.</summary>
    internal static (string[] Users, string[] Items) Interactions(int users = 80, int items = 40, int perUser = 8)
    {
        var random = new Random(5);
        var u = new List<string>();
        var i = new List<string>();
        for (var user = 0; user < users; user++)
        {
            var group = user % 4;
            for (var n = 0; n < perUser; n++)
            {
                u.Add($"user-{user}");
                i.Add($"item-{group + (4 * random.Next(items / 4))}");
            }
        }

        return (u.ToArray(), i.ToArray());
    }

    private static TrainSettings Fast(string folder) => new()
    {
        Model = "BPR",
        ModelOptions = new BprOptions { EmbeddingSize = 8, RegWeight = 1e-4 },
        Epochs = 3,
        LearningRate = 0.01,
        TrainBatchSize = 256,
        Threads = 1,
        TopK = [5, 10],
        Set = new Dictionary<string, string> { ["valid_metric"] = "recall@10" },
        OutputFolder = folder,
    };

    [Fact]
    public void FromInteractions_Fit_Recommend_Batch_Similar_Evaluate_Export_Load()
    {
        using var dir = TestPaths.NewTempDir();
        var (users, items) = Interactions();
        var data = InteractionDataset.FromInteractions(users, items, dir.File("data"));
        Assert.Equal(80, data.Users);
        Assert.True(File.Exists(Path.Combine(dir.File("data"), "u_id_mapping.csv")));

        var reports = new List<TrainingProgress>();
        var run = RecommenderTrainer.Fit(data, Fast(dir.File("run")), new SyncProgress<TrainingProgress>(reports.Add));
        Assert.Equal(3, reports.Count);
        Assert.Equal("recall@10", reports[0].ValidMetric);
        Assert.Equal("BPR", run.Info.Model);
        Assert.True(run.Info.OriginalIds);
        Assert.Equal(8, run.Info.Dimensions);

        var top = run.Recommend("user-3", k: 5);
        Assert.Equal("user-3", top.UserId);
        Assert.Equal(5, top.Items.Length);
        Assert.All(top.Items, s => Assert.StartsWith("item-", s.ItemId, StringComparison.Ordinal));
        var batch = run.RecommendBatch(["user-1", "user-3"], k: 5);
        Assert.Equal(["user-1", "user-3"], batch.Select(b => b.UserId));
        Assert.Equal(top, batch[1], new RecommendationsComparer());
        Assert.Equal(4, run.Similar("item-0", 4).Items.Length);
        Assert.DoesNotContain(run.Similar("item-0", 4).Items, s => s.ItemId == "item-0");

        var metrics = run.Evaluate("test");
        Assert.Contains("recall@10", metrics.Metrics.Keys);
        Assert.True(metrics.Users > 0);

        var summary = run.Export(dir.File("top.csv"), k: 3);
        Assert.Equal(80, summary.Users);
        Assert.Equal(1 + (80 * 3), File.ReadAllLines(dir.File("top.csv")).Length);

        var loaded = RecommenderRun.Load(dir.File("run"));
        Assert.Equal(top, loaded.Recommend("user-3", 5), new RecommendationsComparer());
        Assert.Equal(metrics.Metrics, loaded.Evaluate("test").Metrics);

        var saved = run.SaveTo(dir.File("saved/run"));
        Assert.Equal(Path.GetFullPath(dir.File("saved/run")), saved.Folder);
        Assert.True(File.Exists(dir.File("saved/run/run.json")));
        Assert.Equal(top, saved.Recommend("user-3", 5), new RecommendationsComparer());
        Assert.Throws<IOException>(() => run.SaveTo(dir.File("saved/run")));
    }

    [Fact]
    public void EvaluateFolder_MatchesTheLoadedRunAndTheEvaluator()
    {
        using var dir = TestPaths.NewTempDir();
        var (users, items) = Interactions();
        var data = InteractionDataset.FromInteractions(users, items, dir.File("data"));
        var run = RecommenderTrainer.Fit(data, Fast(dir.File("run")));

        var fromFolder = RecommenderRun.EvaluateFolder(dir.File("run"), "valid");
        var fromRun = run.Evaluate("valid");
        Assert.Equal("valid", fromFolder.Split);
        Assert.Equal(fromRun.Users, fromFolder.Users);
        Assert.Equal(fromRun.Metrics, fromFolder.Metrics);
        Assert.Equal(fromFolder.Metrics["ndcg@5"], fromFolder.ToMetricSet().Get("ndcg", 5));
        var table = MetricTable.Format(RunEvaluation.Evaluate(dir.File("run"), "valid"), null);
        Assert.Equal(table, MetricTable.Format(fromFolder.ToMetricSet(), null));

        // A result built by hand has no evaluator set: ToMetricSet rebuilds it from the dictionary.
        var byHand = new EvaluationResult("valid", fromFolder.Users, fromFolder.Metrics);
        Assert.Equal(table, MetricTable.Format(byHand.ToMetricSet(), null));
        Assert.Throws<ArgumentException>(() => RecommenderRun.EvaluateFolder(dir.File("run"), "train"));
        Assert.Contains("not a run folder", Assert.Throws<DataFormatException>(() => RecommenderRun.EvaluateFolder(dir.File("no-such-run"))).Message);
    }

    [Fact]
    public void Queries_WithUnknownIdsOrBadK_ThrowClearErrors()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20);
        var model = RecommenderRun.Load(run);
        Assert.Contains("unknown user 'nobody'", Assert.Throws<KeyNotFoundException>(() => model.Recommend("nobody")).Message);
        Assert.Contains("'x', 'y'", Assert.Throws<KeyNotFoundException>(() => model.RecommendBatch([ServingTestData.UserId(1), "x", "y"])).Message);
        Assert.Contains("unknown item", Assert.Throws<KeyNotFoundException>(() => model.Similar("nothing")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Recommend(ServingTestData.UserId(1), 0));
        Assert.Throws<ArgumentException>(() => model.Evaluate("train"));
        Assert.True(model.ContainsUser(ServingTestData.UserId(1)));
        Assert.False(model.ContainsItem("nothing"));
    }

    [Fact]
    public void FromInteractions_RejectsMismatchedInputAndMissingFeatureRows()
    {
        using var dir = TestPaths.NewTempDir();
        Assert.Contains("itemIds has 1", Assert.Throws<ArgumentException>(() => InteractionDataset.FromInteractions(["a", "b"], ["x"], dir.File("d1"))).Message);
        Assert.Throws<ArgumentException>(() => InteractionDataset.FromInteractions([], [], dir.File("d2")));
        var features = new ItemFeatures { ItemIds = ["x"], Image = [1, 2], ImageDimensions = 2 };
        var e = Assert.Throws<ArgumentException>(() => InteractionDataset.FromInteractions(["a", "a"], ["x", "y"], dir.File("d3"), features));
        Assert.Contains("item 'y' has interactions but no image feature row", e.Message);
    }

    [Fact]
    public void FromInteractions_WritesFeaturesInItemOrder()
    {
        using var dir = TestPaths.NewTempDir();
        var features = new ItemFeatures { ItemIds = ["y", "x"], Text = [2, 2, 1, 1], TextDimensions = 2 };
        var data = InteractionDataset.FromInteractions(["a", "a", "b"], ["x", "y", "x"], dir.File("d"), features);
        Assert.Equal(["text"], data.Modalities);
        var text = NpyFile.Read(Path.Combine(dir.File("d"), "text_feat.npy")).ToFloat32();
        Assert.Equal([1f, 1f, 2f, 2f], text);
    }

    [Fact]
    public void Fit_WithWrongOptionsType_OrCancelled_Throws()
    {
        using var dir = TestPaths.NewTempDir();
        var (users, items) = Interactions();
        var data = InteractionDataset.FromInteractions(users, items, dir.File("data"));
        var wrong = Fast(dir.File("run1")) with { Model = "LightGCN" };
        Assert.Contains("takes LightGcnOptions", Assert.Throws<ArgumentException>(() => RecommenderTrainer.Fit(data, wrong)).Message);

        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress<TrainingProgress>(_ => cancel.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => RecommenderTrainer.Fit(data, Fast(dir.File("run2")) with { Epochs = 50 }, progress, cancel.Token));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class RecommendationsComparer : IEqualityComparer<UserRecommendations>
    {
        public bool Equals(UserRecommendations? x, UserRecommendations? y) =>
            x!.UserId == y!.UserId && x.Items.SequenceEqual(y.Items);

        public int GetHashCode(UserRecommendations obj) => obj.UserId.GetHashCode(StringComparison.Ordinal);
    }
}
