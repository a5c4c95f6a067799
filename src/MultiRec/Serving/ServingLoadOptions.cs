// Options of loading a run folder for serving: where the dataset and the id maps are.
namespace MultiRec.Serving;

/// <summary>Overrides of the files a run folder points to. All default to null: the dataset folder is the run's
/// <c>data_path</c> and the id maps are <c>u_id_mapping.csv</c> / <c>i_id_mapping.csv</c> in that folder when
/// present (internal ids are used otherwise).</summary>
public sealed record ServingLoadOptions
{
    /// <summary>Dataset folder to use instead of the run's data_path (e.g. after moving the data). Default null.</summary>
    public string? DataPath { get; init; }

    /// <summary>User id map to use instead of the dataset's u_id_mapping.csv. Default null.</summary>
    public string? UserMapFile { get; init; }

    /// <summary>Item id map to use instead of the dataset's i_id_mapping.csv. Default null.</summary>
    public string? ItemMapFile { get; init; }
}
