// From an item text TSV to text_feat.npy: one unit-norm MiniLM row per itemID, mean vector for items without text.
using System.Diagnostics;
using MultiRec.Data;
using MultiRec.Features.Text;

namespace MultiRec.Features.Extraction;

/// <summary>Options of <see cref="TextFeatureExtractor"/>.</summary>
public sealed record TextFeatureOptions
{
    /// <summary>Model settings (tokens, batch size, threads).</summary>
    public TextEncoderOptions Encoder { get; init; } = new();

    /// <summary>Number of items (rows). Default: largest itemID in the file + 1.</summary>
    public int? ItemCount { get; init; }

    /// <summary>Fail on an item without text instead of giving it the mean vector (default false).</summary>
    public bool Strict { get; init; }
}

/// <summary>Writes text_feat.npy from an item text table.</summary>
public static class TextFeatureExtractor
{
    /// <summary>
    /// Reads <paramref name="itemsPath"/> (see <see cref="ItemTextFile"/>), encodes every item with
    /// text, fills items without text (blank, or absent from the file) with the mean vector
    /// rescaled to unit length, and writes a (items × 384) float32 .npy atomically.
    /// <paramref name="onProgress"/> receives (items done, items to encode).
    /// </summary>
    public static FeatureReport Run(string itemsPath, string outputPath, TextFeatureOptions? options = null, Action<int, int>? onProgress = null)
    {
        options ??= new TextFeatureOptions();
        var items = ItemTextFile.Read(itemsPath);
        var itemCount = FeatureRows.Resolve(itemsPath, items.Select(i => i.ItemId), items.Count, options.ItemCount);

        var stopwatch = Stopwatch.StartNew();
        using var encoder = new MiniLmTextEncoder(options.Encoder);
        var problems = new List<FeatureProblem>();
        var toEncode = new List<(int ItemId, int[] Tokens)>(items.Count);
        foreach (var item in items)
        {
            var tokens = encoder.Tokenizer.Encode(item.Text, options.Encoder.MaxTokens);
            if (tokens.Length <= 2)
            {
                var problem = new FeatureProblem(item.ItemId, itemsPath, item.Line, "empty text");
                if (options.Strict)
                {
                    throw new DataFormatException(itemsPath, $"item {item.ItemId} has empty text", item.Line);
                }

                problems.Add(problem);
                continue;
            }

            toEncode.Add((item.ItemId, tokens));
        }

        if (toEncode.Count == 0)
        {
            throw new DataFormatException(itemsPath, "no item has any text to encode");
        }

        var done = 0;
        var vectors = encoder.EncodeTokens(
            toEncode.Select(entry => entry.Tokens).ToList(),
            batch => onProgress?.Invoke(done += batch, toEncode.Count));

        var dim = MiniLmTextEncoder.Dimension;
        var matrix = new float[(long)itemCount * dim];
        var computed = new bool[itemCount];
        for (var i = 0; i < toEncode.Count; i++)
        {
            var itemId = toEncode[i].ItemId;
            vectors.AsSpan(i * dim, dim).CopyTo(matrix.AsSpan(itemId * dim, dim));
            computed[itemId] = true;
        }

        var listed = new bool[itemCount];
        foreach (var item in items)
        {
            listed[item.ItemId] = true;
        }

        for (var itemId = 0; itemId < itemCount; itemId++)
        {
            if (!listed[itemId])
            {
                if (options.Strict)
                {
                    throw new DataFormatException(itemsPath, $"item {itemId} is not in the file");
                }

                problems.Add(new FeatureProblem(itemId, itemsPath, null, "not in the file"));
            }
        }

        MeanFill.Apply(matrix, dim, computed, unitNorm: true);
        stopwatch.Stop();
        NpyFile.Write(outputPath, matrix, itemCount, dim);
        problems.Sort((a, b) => a.ItemId.CompareTo(b.ItemId));
        return new FeatureReport(outputPath, itemCount, dim, toEncode.Count, problems, stopwatch.Elapsed);
    }
}
