// Item feature matrices given from memory: one row per item id, for the image and/or text modality.
namespace MultiRec;

/// <summary>Feature vectors of items, keyed by item id, for <see cref="InteractionDataset.FromInteractions"/>.
/// Each matrix is row-major with one row per entry of <see cref="ItemIds"/>.</summary>
public sealed record ItemFeatures
{
    /// <summary>The item id of each row.</summary>
    public required IReadOnlyList<string> ItemIds { get; init; }

    /// <summary>Image features, <c>ItemIds.Count × ImageDimensions</c> values row after row; null: none.</summary>
    public float[]? Image { get; init; }

    /// <summary>Columns of <see cref="Image"/>.</summary>
    public int ImageDimensions { get; init; }

    /// <summary>Text features, <c>ItemIds.Count × TextDimensions</c> values row after row; null: none.</summary>
    public float[]? Text { get; init; }

    /// <summary>Columns of <see cref="Text"/>.</summary>
    public int TextDimensions { get; init; }
}
