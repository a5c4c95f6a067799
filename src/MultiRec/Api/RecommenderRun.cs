// A trained run folder opened for use from C#: recommend, batch, similar items, evaluate, export.
using System.Globalization;
using MultiRec.Evaluation;
using MultiRec.Serving;
using MultiRec.Training;

namespace MultiRec;

/// <summary>A run folder written by training (<c>multirec train</c> or <see cref="RecommenderTrainer.Fit"/>),
/// loaded for queries. It reads the run's <c>run.json</c> (or <c>config.yaml</c> for older runs), the dataset's
/// interactions and the scoring embeddings; queries are thread-safe.</summary>
public sealed class RecommenderRun : IRecommender
{
    private RecommenderRun(ServingModel model, string modelName)
        : this(new Recommender(model), modelName)
    {
    }

    /// <summary>Wraps an engine already built (the HTTP server's tests and hosts pass one in).</summary>
    internal RecommenderRun(Recommender engine, string modelName)
    {
        Engine = engine;
        var model = engine.Model;
        Info = new RecommenderInfo(modelName, model.RunDirectory, model.Users, model.Items, model.Dims, !model.UserIds.IsIdentity || !model.ItemIds.IsIdentity);
    }

    /// <inheritdoc />
    public RecommenderInfo Info { get; }

    /// <summary>Absolute path of the run folder (empty for a model not loaded from one).</summary>
    public string Folder => Info.RunFolder ?? "";

    internal Recommender Engine { get; }

    internal ServingModel Model => Engine.Model;

    /// <summary>Opens a run folder. <paramref name="options"/> can point at a moved dataset folder or other id maps.</summary>
    /// <exception cref="MultiRec.Data.DataFormatException">A file of the run or its dataset is missing or malformed
    /// (the message names it).</exception>
    public static RecommenderRun Load(string runFolder, ServingLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolder);
        var model = ServingModelLoader.Load(runFolder, options);
        var manifest = RunManifestFile.Open(new RunFolder(runFolder));
        return new RecommenderRun(model, manifest.Model);
    }

    /// <summary>Builds the item-similarity panels now rather than on the first <see cref="Similar"/> call.</summary>
    public RecommenderRun WarmUp()
    {
        Engine.WarmUp();
        return this;
    }

    /// <inheritdoc />
    public bool ContainsUser(string userId) => Model.UserIds.TryGetInternalId(userId, out _);

    /// <inheritdoc />
    public bool ContainsItem(string itemId) => Model.ItemIds.TryGetInternalId(itemId, out _);

    /// <inheritdoc />
    public UserRecommendations Recommend(string userId, int k = 10, ExcludeMode exclude = ExcludeMode.Train)
    {
        CheckK(k);
        return RecommendationResults.ForUser(Engine, UserIndex(userId), k, exclude);
    }

    /// <inheritdoc />
    public IReadOnlyList<UserRecommendations> RecommendBatch(IReadOnlyList<string> userIds, int k = 10, ExcludeMode exclude = ExcludeMode.Train)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        CheckK(k);
        var users = new int[userIds.Count];
        var unknown = new List<string>();
        for (var i = 0; i < users.Length; i++)
        {
            if (userIds[i] is null || !Model.UserIds.TryGetInternalId(userIds[i], out users[i]))
            {
                unknown.Add(userIds[i] ?? "(null)");
            }
        }

        if (unknown.Count > 0)
        {
            throw new KeyNotFoundException($"unknown user(s): {string.Join(", ", unknown.Take(10).Select(u => $"'{u}'"))}{(unknown.Count > 10 ? $" and {unknown.Count - 10} more" : "")}");
        }

        return users.Select(u => RecommendationResults.ForUser(Engine, u, k, exclude)).ToArray();
    }

    /// <inheritdoc />
    public SimilarItems Similar(string itemId, int k = 10)
    {
        CheckK(k);
        ArgumentNullException.ThrowIfNull(itemId);
        return Model.ItemIds.TryGetInternalId(itemId, out var item)
            ? RecommendationResults.ForItem(Engine, item, k)
            : throw new KeyNotFoundException($"unknown item '{itemId}'");
    }

    /// <summary>Full-ranking metrics of the run on the <c>test</c> or <c>valid</c> split, with the run's top-K
    /// cut-offs and masks (training items; validation items too on test when the run says so).</summary>
    /// <returns>Metric name (e.g. <c>recall@20</c>) to value, and the number of users evaluated.</returns>
    public EvaluationResult Evaluate(string split = "test") => EvaluateFolder(Folder, split);

    /// <summary>Full-ranking metrics of the run folder <paramref name="runFolder"/> on the <c>test</c> or
    /// <c>valid</c> split, without loading it for queries: reads only its manifest, its scoring embeddings and the
    /// dataset's splits (what <see cref="Evaluate"/> does for a loaded run).</summary>
    /// <returns>Metric name (e.g. <c>recall@20</c>) to value, and the number of users evaluated.</returns>
    /// <exception cref="MultiRec.Data.DataFormatException">A file of the run or its dataset is missing or malformed
    /// (the message names it).</exception>
    public static EvaluationResult EvaluateFolder(string runFolder, string split = "test")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolder);
        if (split is not ("test" or "valid"))
        {
            throw new ArgumentException($"split must be 'test' or 'valid', not '{split}'", nameof(split));
        }

        var metrics = RunEvaluation.Evaluate(runFolder, split);
        return new EvaluationResult(split, metrics.UsersEvaluated, metrics.ToDictionary()) { Set = metrics };
    }

    /// <summary>Writes every user's top-<paramref name="k"/> to a .csv or .jsonl file (atomically); returns what was
    /// written.</summary>
    public ExportSummary Export(string path, int k = 50, ExcludeMode exclude = ExcludeMode.Train, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckK(k);
        return RecommendationExport.Write(Model, path, new ExportOptions { K = k, Exclude = exclude }, progress, cancellationToken);
    }

    /// <summary>Saves the run under another folder: copies every file of the run folder (run.json, config.yaml,
    /// embeddings, checkpoints, reports) into <paramref name="folder"/>, which must not exist yet, through a
    /// temporary sibling folder renamed at the end (a failed save leaves nothing behind); returns the copy loaded.
    /// The copy refers to the same dataset folder.</summary>
    /// <exception cref="IOException"><paramref name="folder"/> already exists.</exception>
    public RecommenderRun SaveTo(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (Folder.Length == 0)
        {
            throw new InvalidOperationException("this model was not loaded from a run folder: there is nothing to copy");
        }

        var target = Path.GetFullPath(folder);
        if (Directory.Exists(target) || File.Exists(target))
        {
            throw new IOException($"{target}: already exists; save into a new folder");
        }

        var parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            foreach (var file in Directory.EnumerateFiles(Folder))
            {
                var name = Path.GetFileName(file);
                if (!name.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    File.Copy(file, Path.Combine(temp, name));
                }
            }

            Directory.Move(temp, target);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }

        return Load(target);
    }

    private int UserIndex(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Model.UserIds.TryGetInternalId(userId, out var user) ? user : throw new KeyNotFoundException($"unknown user '{userId}'");
    }

    private static void CheckK(int k)
    {
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, string.Create(CultureInfo.InvariantCulture, $"k must be at least 1 (got {k})"));
        }
    }
}

/// <summary>Metrics of one split.</summary>
/// <param name="Split">test or valid.</param>
/// <param name="Users">Users evaluated (those with at least one item in the split).</param>
/// <param name="Metrics">Metric name (recall@K, ndcg@K, precision@K, map@K) to value.</param>
public sealed record EvaluationResult(string Split, int Users, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The evaluator's own set, cut-offs in the run's order (null when the record was built by hand).</summary>
    internal MetricSet? Set { get; init; }

    /// <summary>The metrics as a <see cref="MetricSet"/> (e.g. for <see cref="MetricTable.Format"/>), cut-offs in the
    /// run's order when the result came from an evaluation, in ascending order otherwise.</summary>
    public MetricSet ToMetricSet() => Set ?? MetricSet.FromDictionary(Metrics, Users);
}
