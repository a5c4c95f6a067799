// Console sample: a synthetic shop's interactions in memory -> InteractionDataset -> Fit (BPR) -> recommendations.
// Usage: dotnet run -- [OUT_DIR]   (writes OUT_DIR/data and OUT_DIR/run; default a new temporary folder)
using MultiRec;
using MultiRec.Models.BprMf;

var root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "multirec-sample-" + Guid.NewGuid().ToString("N")[..8]);

// 300 customers, 120 products in 6 categories; each customer buys mostly in one category.
var random = new Random(7);
var users = new List<string>();
var items = new List<string>();
for (var c = 0; c < 300; c++)
{
    var category = c % 6;
    for (var n = 0; n < 12; n++)
    {
        var inCategory = random.NextDouble() < 0.85;
        var product = inCategory ? (category * 20) + random.Next(20) : random.Next(120);
        users.Add($"customer-{c:D3}");
        items.Add($"sku-{product:D3}");
    }
}

var data = InteractionDataset.FromInteractions(users, items, Path.Combine(root, "data"), name: "shop");
Console.WriteLine($"dataset {data.Name}: {data.Users} users, {data.Items} items, {data.Interactions} interactions");

var settings = new TrainSettings
{
    Model = "BPR",
    ModelOptions = new BprOptions { EmbeddingSize = 32, RegWeight = 1e-4 },
    Epochs = 30,
    LearningRate = 0.01,
    TrainBatchSize = 512,
    Seed = 42,
    Threads = 1,
    OutputFolder = Path.Combine(root, "run"),
    Force = true,
};
var progress = new SyncProgress(p =>
{
    if (p.Epoch % 10 == 0)
    {
        Console.WriteLine($"epoch {p.Epoch}: valid {p.ValidMetric} = {p.Valid[p.ValidMetric]:F4}");
    }
});
var run = RecommenderTrainer.Fit(data, settings, progress);

var test = run.Evaluate("test");
Console.WriteLine($"test recall@20 = {test.Metrics["recall@20"]:F4} over {test.Users} users");
foreach (var user in new[] { "customer-000", "customer-001", "customer-002" })
{
    var top = run.Recommend(user, k: 5);
    Console.WriteLine($"{user}: {string.Join(" ", top.Items.Select(i => i.ItemId))}");
}

var similar = run.Similar("sku-000", k: 5);
Console.WriteLine($"like sku-000: {string.Join(" ", similar.Items.Select(i => i.ItemId))}");
Console.WriteLine($"run folder: {run.Folder}");

/// <summary>Reports on the training thread (Progress&lt;T&gt; would post to the thread pool and print out of order).</summary>
internal sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
