// Re-evaluates a finished run folder from its exported scoring embeddings and its dataset.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;

namespace MultiRec.Training;

/// <summary>Evaluation of a run folder on valid or test, with the run's protocol settings.</summary>
internal static class RunEvaluation
{
    /// <summary>Loads user_emb.npy / item_emb.npy and the dataset named in run.json (config.yaml for older runs),
    /// and evaluates one split with the run's top-K and masks.</summary>
    public static MetricSet Evaluate(string runDir, string split)
    {
        var manifest = RunManifestFile.Open(new RunFolder(runDir));
        using var threads = ComputeSettings.Use(manifest.Threads);
        var data = Dataset.Load(manifest.DataPath, manifest.LoadOptions(loadFeatures: false));
        var run = new RunFolder(runDir);
        var users = LoadEmbeddings(run.File(manifest.UserEmbeddings), data.Users);
        var items = LoadEmbeddings(run.File(manifest.ItemEmbeddings), data.Items);
        var (target, extra) = split switch
        {
            "valid" => (data.Valid, (UserItemCsr?)null),
            "test" => (data.Test, manifest.Evaluation.MaskValidAtTest ? data.Valid : null),
            _ => throw new ArgumentException($"--split must be valid or test, not '{split}'"),
        };
        return FullRankingEvaluator.Evaluate(users, items, data.Train, target, new EvaluationOptions { Ks = manifest.Evaluation.Topk, ExtraMask = extra });
    }

    /// <summary>Reads an exported embedding matrix and checks its row count and that it has columns; messages name
    /// the rows users for user_emb.npy and items otherwise.</summary>
    public static Tensor LoadEmbeddings(string path, int expectedRows)
    {
        var rowName = Path.GetFileName(path).StartsWith("user", StringComparison.Ordinal) ? "user" : "item";
        var m = NpyFile.ReadFeatureMatrix(path, expectedRows, rowName);
        if (m.Cols == 0)
        {
            throw new DataFormatException(path, $"embeddings have 0 columns ({m.Rows} x 0): nothing to score with");
        }

        return new Tensor(m.Rows, m.Cols, m.Values);
    }
}
