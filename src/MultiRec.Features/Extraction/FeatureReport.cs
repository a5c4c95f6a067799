// What a feature extraction run produced: matrix shape, how many rows were encoded, and every problem met.
namespace MultiRec.Features.Extraction;

/// <summary>A non-fatal problem with one item (no text, no image, unreadable image).</summary>
/// <param name="ItemId">The item whose row got the mean vector.</param>
/// <param name="File">The file at fault (the item table or the image file).</param>
/// <param name="Line">1-based line in <paramref name="File"/>, when the problem is tied to one.</param>
/// <param name="Problem">What went wrong.</param>
public sealed record FeatureProblem(int ItemId, string File, long? Line, string Problem)
{
    /// <summary>"FILE[:LINE]: item ID: PROBLEM".</summary>
    public override string ToString() => Line is { } line ? $"{File}:{line}: item {ItemId}: {Problem}" : $"{File}: item {ItemId}: {Problem}";
}

/// <summary>Summary of one extraction run.</summary>
/// <param name="OutputPath">The .npy file written.</param>
/// <param name="Rows">Items (rows), itemID 0 … Rows-1.</param>
/// <param name="Cols">Feature width.</param>
/// <param name="Encoded">Rows computed by the model; the others hold the mean vector.</param>
/// <param name="Problems">Items that got the mean vector, with the reason.</param>
/// <param name="Elapsed">Wall time of the model part (tokenising/decoding included).</param>
public sealed record FeatureReport(string OutputPath, int Rows, int Cols, int Encoded, IReadOnlyList<FeatureProblem> Problems, TimeSpan Elapsed)
{
    /// <summary>Encoded items per second.</summary>
    public double ItemsPerSecond => Elapsed.TotalSeconds > 0 ? Encoded / Elapsed.TotalSeconds : 0;
}
