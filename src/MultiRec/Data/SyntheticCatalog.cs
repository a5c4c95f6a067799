// The synthetic catalog used by the embedded default: a seeded, MMRec-format dataset with signal in its features.
namespace MultiRec.Data;

/// <summary>A generated catalog held in memory.</summary>
public sealed record SyntheticCatalogData(InterRows Rows, FeatureMatrix? ImageFeatures, FeatureMatrix? TextFeatures);

/// <summary>What <see cref="SyntheticCatalog.Write"/> wrote.</summary>
public sealed record SyntheticCatalogSummary(
    string InterFile, int Users, int Items, int Interactions, int TrainRows, int ValidRows, int TestRows, IReadOnlyList<string> FeatureFiles);

/// <summary>Generates synthetic catalogs: latent user and item factors grouped into topics, power-law item
/// popularity and user activity, at least 5 distinct items per user, every item used, no duplicate pairs, the
/// reference per-user split, and image/text features derived from the latent item factors. The same options
/// always give the same bytes.</summary>
public static class SyntheticCatalog
{
    private const int FeatureBlockFloats = 1 << 20;

    /// <summary>Generates everything in memory (features as float32 matrices).</summary>
    public static SyntheticCatalogData Generate(SyntheticCatalogOptions options)
    {
        options.Validate();
        var latents = SyntheticLatents.Draw(options);
        var rows = SyntheticInteractions.Draw(options, latents);
        var features = new SyntheticFeatures(options, latents);
        FeatureMatrix? image = null, text = null;
        if (options.ImageDim > 0)
        {
            image = new FeatureMatrix(options.Items, options.ImageDim, new float[checked(options.Items * options.ImageDim)]);
            features.FillImageRows(0, options.Items, image.Values);
        }

        if (options.TextDim > 0)
        {
            text = new FeatureMatrix(options.Items, options.TextDim, new float[checked(options.Items * options.TextDim)]);
            features.FillTextRows(0, options.Items, text.Values);
        }

        return new SyntheticCatalogData(rows, image, text);
    }

    /// <summary>Writes &lt;Name&gt;.inter, image_feat.npy and text_feat.npy into <paramref name="outDir"/> (created
    /// if needed), each atomically. Features are streamed in blocks of rows, so memory stays small whatever the
    /// catalog size. A modality with dimension 0 gets no file, and a feature file of that modality left in the
    /// folder by an earlier run is deleted, since it would not describe this catalog.</summary>
    public static SyntheticCatalogSummary Write(string outDir, SyntheticCatalogOptions options)
    {
        options.Validate();
        Directory.CreateDirectory(outDir);
        var latents = SyntheticLatents.Draw(options);
        var rows = SyntheticInteractions.Draw(options, latents);
        var interFile = Path.Combine(outDir, options.Name + DatasetFiles.InterExtension);
        InterFile.Write(interFile, rows.Users, rows.Items, rows.Labels);

        var features = new SyntheticFeatures(options, latents);
        var written = new List<string>();
        WriteFeatures(Path.Combine(outDir, DatasetFiles.ImageFeatureFile), options.Items, options.ImageDim, features.FillImageRows, written);
        WriteFeatures(Path.Combine(outDir, DatasetFiles.TextFeatureFile), options.Items, options.TextDim, features.FillTextRows, written);

        int train = 0, valid = 0;
        foreach (var label in rows.Labels)
        {
            train += label == SplitLabel.Train ? 1 : 0;
            valid += label == SplitLabel.Valid ? 1 : 0;
        }

        return new SyntheticCatalogSummary(interFile, options.Users, options.Items, rows.Count, train, valid, rows.Count - train - valid, written);
    }

    private static void WriteFeatures(string path, int items, int dim, Action<int, int, float[]> fillRows, List<string> written)
    {
        if (dim == 0)
        {
            File.Delete(path);
            return;
        }

        var blockRows = Math.Max(1, FeatureBlockFloats / dim);
        var buffer = new float[(long)Math.Min(blockRows, items) * dim];
        using var writer = new NpyFloat32Writer(path, items, dim);
        for (var first = 0; first < items; first += blockRows)
        {
            var count = Math.Min(blockRows, items - first);
            fillRows(first, count, buffer);
            writer.WriteRows(buffer.AsSpan(0, count * dim));
        }

        writer.Complete();
        written.Add(path);
    }
}
