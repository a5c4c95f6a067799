// Opens a run folder for serving: run.json (config.yaml for older runs) → dataset folder, user_emb.npy / item_emb.npy, id maps.
using MultiRec.Data;
using MultiRec.Training;

namespace MultiRec.Serving;

/// <summary>Loads a <see cref="ServingModel"/> from a run folder written by training.</summary>
public static class ServingModelLoader
{
    /// <summary>Reads the run's manifest (run.json; config.yaml for runs written before it) for its dataset folder, loads that dataset's interactions (no features),
    /// the scoring embeddings (whose row counts must match the dataset) and the id maps when present.</summary>
    public static ServingModel Load(string runDir, ServingLoadOptions? options = null)
    {
        options ??= new ServingLoadOptions();
        var run = new RunFolder(runDir);
        var manifest = RunManifestFile.Open(run);
        var dataPath = options.DataPath ?? manifest.DataPath;
        var loadOptions = options.DataPath is null ? manifest.LoadOptions(loadFeatures: false) : new DatasetLoadOptions { LoadFeatures = false };
        var data = Dataset.Load(dataPath, loadOptions);
        var users = RunEvaluation.LoadEmbeddings(run.File(manifest.UserEmbeddings), data.Users);
        var items = RunEvaluation.LoadEmbeddings(run.File(manifest.ItemEmbeddings), data.Items);
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
