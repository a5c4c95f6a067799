// Options that name what is trained: the model and the dataset folder.
namespace MultiRec.Training;

/// <summary>Identity of a run; written into the resolved config so a run folder can be re-evaluated or served.</summary>
public sealed record RunOptions
{
    /// <summary>Model name (BM3).</summary>
    public string Model { get; init; } = Models.ModelCatalog.Default;

    /// <summary>Dataset folder (absolute path recorded at train time).</summary>
    public string DataPath { get; init; } = "";

    /// <summary>The interaction file inside <see cref="DataPath"/> chosen with --inter; empty: the folder's own
    /// (see <see cref="Data.DatasetFiles.FindInterFile"/>).</summary>
    public string InterFile { get; init; } = "";

    /// <summary>How to load this run's dataset again (evaluation, serving, resume).</summary>
    public Data.DatasetLoadOptions LoadOptions(bool loadFeatures) =>
        new() { LoadFeatures = loadFeatures, InterFileName = InterFile.Length == 0 ? null : InterFile };
}
