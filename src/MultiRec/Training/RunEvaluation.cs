// Re-evaluates a finished run folder from its exported scoring embeddings and its dataset.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;
using MultiRec.Training.Config;

namespace MultiRec.Training;

/// <summary>Evaluation of a run folder on valid or test, with the run's protocol settings.</summary>
public static class RunEvaluation
{
    /// <summary>Loads user_emb.npy / item_emb.npy and the dataset named in config.yaml, and evaluates one split.</summary>
    public static MetricSet Evaluate(string runDir, string split)
    {
        var run = new RunFolder(runDir);
        if (!File.Exists(run.ConfigFile))
        {
            throw new DataFormatException(run.ConfigFile, "not a run folder (config.yaml is missing)");
        }

        var model = RunConfig.ReadModel(run.ConfigFile);
        var config = ResolvedConfig.Resolve(TrainingSession.SchemaFor(model), [YamlConfigReader.ReadFile(run.ConfigFile)]);
        var training = config.Bind<TrainingOptions>();
        using var threads = ComputeSettings.Use(training.Threads);
        var identity = config.Bind<RunOptions>();
        var data = Dataset.Load(RunConfig.DataPath(config, run.ConfigFile), identity.LoadOptions(loadFeatures: false));
        var users = LoadEmbeddings(run.UserEmbeddings, data.Users);
        var items = LoadEmbeddings(run.ItemEmbeddings, data.Items);
        var (target, extra) = split switch
        {
            "valid" => (data.Valid, (UserItemCsr?)null),
            "test" => (data.Test, training.MaskValidAtTest ? data.Valid : null),
            _ => throw new ArgumentException($"--split must be valid or test, not '{split}'"),
        };
        return FullRankingEvaluator.Evaluate(users, items, data.Train, target, new EvaluationOptions { Ks = training.Topk, ExtraMask = extra });
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
