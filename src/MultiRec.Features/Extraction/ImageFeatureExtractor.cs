// From an image folder and an item → image map to image_feat.npy: ResNet18 rows, mean vector for items without one.
using System.Diagnostics;
using MultiRec.Data;
using MultiRec.Features.Images;

namespace MultiRec.Features.Extraction;

/// <summary>Options of <see cref="ImageFeatureExtractor"/>.</summary>
public sealed record ImageFeatureOptions
{
    /// <summary>Model settings (threads, resize).</summary>
    public ImageEncoderOptions Encoder { get; init; } = new();

    /// <summary>Number of items (rows). Default: largest itemID in the map + 1.</summary>
    public int? ItemCount { get; init; }

    /// <summary>Fail on a missing or unreadable image instead of using the mean vector (default false).</summary>
    public bool Strict { get; init; }

    /// <summary>Images decoded ahead of the model, in parallel (default 32).</summary>
    public int DecodeChunk { get; init; } = 32;
}

/// <summary>Writes image_feat.npy from images on disk.</summary>
public static class ImageFeatureExtractor
{
    /// <summary>
    /// Encodes each mapped image with ResNet18 (512-d). Items with no image, a missing file or an
    /// undecodable file get the mean of the encoded rows (the reference's rule) and are reported;
    /// with <see cref="ImageFeatureOptions.Strict"/> the first such problem throws
    /// <see cref="DataFormatException"/> naming the file. Decoding runs in parallel on all cores.
    /// Writes a (items × 512) float32 .npy atomically. <paramref name="onProgress"/> receives (done, total).
    /// </summary>
    public static FeatureReport Run(string imageDirectory, string mapPath, string outputPath, ImageFeatureOptions? options = null, Action<int, int>? onProgress = null)
    {
        options ??= new ImageFeatureOptions();
        if (!Directory.Exists(imageDirectory))
        {
            throw new DirectoryNotFoundException($"image folder {imageDirectory} does not exist");
        }

        var map = ImageMapFile.Read(mapPath, imageDirectory);
        var itemCount = FeatureRows.Resolve(mapPath, map.Select(e => e.ItemId), map.Count, options.ItemCount);
        var dim = ResNet18ImageEncoder.Dimension;
        var matrix = new float[(long)itemCount * dim];
        var computed = new bool[itemCount];
        var problems = new List<FeatureProblem>();
        var stopwatch = Stopwatch.StartNew();
        using var encoder = new ResNet18ImageEncoder(options.Encoder);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Encoder.Threads };
        var done = 0;
        foreach (var chunk in map.Chunk(Math.Max(1, options.DecodeChunk)))
        {
            var decoded = new (float[]? Planes, FeatureProblem? Problem)[chunk.Length];
            Parallel.For(0, chunk.Length, parallel, k => decoded[k] = Decode(chunk[k], mapPath, options.Encoder));
            for (var k = 0; k < chunk.Length; k++)
            {
                var (planes, problem) = decoded[k];
                if (problem is not null)
                {
                    if (options.Strict)
                    {
                        throw new DataFormatException(problem.File, $"item {problem.ItemId}: {problem.Problem}", problem.Line);
                    }

                    problems.Add(problem);
                    continue;
                }

                encoder.EncodeRgbPlanes(planes!).CopyTo(matrix.AsSpan(chunk[k].ItemId * dim, dim));
                computed[chunk[k].ItemId] = true;
            }

            onProgress?.Invoke(done += chunk.Length, map.Count);
        }

        var listed = new bool[itemCount];
        foreach (var entry in map)
        {
            listed[entry.ItemId] = true;
        }

        for (var itemId = 0; itemId < itemCount; itemId++)
        {
            if (!listed[itemId])
            {
                if (options.Strict)
                {
                    throw new DataFormatException(mapPath, $"item {itemId} is not in the map");
                }

                problems.Add(new FeatureProblem(itemId, mapPath, null, "not in the map"));
            }
        }

        var encoded = computed.Count(c => c);
        if (encoded == 0)
        {
            throw new DataFormatException(mapPath, "no image could be encoded, so there is no mean vector for the others");
        }

        MeanFill.Apply(matrix, dim, computed, unitNorm: false);
        stopwatch.Stop();
        NpyFile.Write(outputPath, matrix, itemCount, dim);
        problems.Sort((a, b) => a.ItemId.CompareTo(b.ItemId));
        return new FeatureReport(outputPath, itemCount, dim, encoded, problems, stopwatch.Elapsed);
    }

    private static (float[]?, FeatureProblem?) Decode(ItemImage entry, string mapPath, ImageEncoderOptions encoder)
    {
        if (entry.Candidates.Count == 0)
        {
            return (null, new FeatureProblem(entry.ItemId, mapPath, entry.Line, "no image given"));
        }

        var path = entry.Candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return (null, new FeatureProblem(entry.ItemId, entry.Candidates[0], null, "image file not found"));
        }

        try
        {
            return (ImagePreprocessor.LoadRgbPlanes(path, encoder.ResizeShorterSide, encoder.MaxPixels), null);
        }
        catch (Exception e)
        {
            // Whatever one file does to the decoder (over the pixel budget, truncated, a codec failure, no memory
            // for its pixels), it is that item's problem: the item gets the mean vector, the run goes on.
            return (null, new FeatureProblem(entry.ItemId, path, null, $"unreadable image: {e.Message}"));
        }
    }
}
