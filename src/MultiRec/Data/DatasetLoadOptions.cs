// Options of Dataset.Load.
namespace MultiRec.Data;

/// <summary>How a dataset folder is loaded.</summary>
public sealed record DatasetLoadOptions
{
    /// <summary>Read image_feat.npy and text_feat.npy when present. Default true; false skips them (e.g. for stats).</summary>
    public bool LoadFeatures { get; init; } = true;

    /// <summary>The interaction file to read, relative to the folder. Default null: the folder's single *.inter
    /// file, or &lt;folder name&gt;.inter when there are several.</summary>
    public string? InterFileName { get; init; }
}
