// Opens a run folder for serving: config.yaml → dataset folder, user_emb.npy / item_emb.npy, id maps.
using MultiRec.Data;
using MultiRec.Training;
using MultiRec.Training.Config;

namespace MultiRec.Serving;

/// <summary>Loads a <see cref="ServingModel"/> from a run folder written by training.</summary>
public static class ServingModelLoader
{
    /// <summary>Reads the run's config.yaml for its dataset folder, loads that dataset's interactions (no features),
    /// the scoring embeddings (whose row counts must match the dataset) and the id maps when present.</summary>
    public static ServingModel Load(string runDir, ServingLoadOptions? options = null)
    {
        options ??= new ServingLoadOptions();
        var run = new RunFolder(runDir);
        if (!File.Exists(run.ConfigFile))
        {
            throw new DataFormatException(run.ConfigFile, "not a run folder (config.yaml is missing)");
        }

        var dataPath = options.DataPath;
        var loadOptions = new DatasetLoadOptions { LoadFeatures = false };
        if (dataPath is null)
        {
            var model = RunConfig.ReadModel(run.ConfigFile);
            var config = ResolvedConfig.Resolve(TrainingSession.SchemaFor(model), [YamlConfigReader.ReadFile(run.ConfigFile)]);
            var identity = config.Bind<RunOptions>();
            dataPath = identity.DataPath;
            loadOptions = identity.LoadOptions(loadFeatures: false);
            if (string.IsNullOrEmpty(dataPath))
            {
                throw new DataFormatException(run.ConfigFile, "no 'data_path' key: the run does not name its dataset folder");
            }
        }

        var data = Dataset.Load(dataPath, loadOptions);
        var users = RunEvaluation.LoadEmbeddings(run.UserEmbeddings, data.Users);
        var items = RunEvaluation.LoadEmbeddings(run.ItemEmbeddings, data.Items);
        if (users.Cols != items.Cols)
        {
            throw new DataFormatException(run.ItemEmbeddings, $"has {items.Cols} columns but user_emb.npy has {users.Cols}");
        }

        var userIds = ReadMap(options.UserMapFile, dataPath, IdMapFile.UserMapFileName, IdMapFile.UserIdColumn, data.Users);
        var itemIds = ReadMap(options.ItemMapFile, dataPath, IdMapFile.ItemMapFileName, IdMapFile.ItemIdColumn, data.Items);
        return new ServingModel(users, items, data.Train, data.Valid, data.Test, userIds, itemIds)
        {
            RunDirectory = run.Path,
            DatasetDirectory = Path.GetFullPath(dataPath),
        };
    }

    private static IdMap? ReadMap(string? explicitFile, string dataPath, string fileName, string column, int count)
    {
        if (explicitFile is not null)
        {
            return IdMapFile.Read(explicitFile, column, count);
        }

        var inDataset = Path.Combine(dataPath, fileName);
        return File.Exists(inDataset) ? IdMapFile.Read(inDataset, column, count) : null;
    }
}
