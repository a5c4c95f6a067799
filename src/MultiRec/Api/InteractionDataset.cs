// A dataset for the C# API: an MMRec folder on disk, or interactions and features given from memory.
using MultiRec.Data;
using MultiRec.Data.Preparation;

namespace MultiRec;

/// <summary>User-item interactions (and optional item features) to train on. Training reads datasets from a folder
/// in MMRec's layout (&lt;name&gt;.inter, image_feat.npy, text_feat.npy, id maps), which run folders refer to;
/// <see cref="FromInteractions"/> writes one from memory.</summary>
public sealed class InteractionDataset
{
    private InteractionDataset(string folder, string? interFile, Dataset data)
    {
        Folder = folder;
        InterFile = interFile;
        Data = data;
    }

    /// <summary>The dataset folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>Interaction file chosen inside <see cref="Folder"/>, or null for the folder's own.</summary>
    public string? InterFile { get; }

    /// <summary>Dataset name (the interaction file's name without .inter).</summary>
    public string Name => Data.Name;

    /// <summary>Number of users (id slots).</summary>
    public int Users => Data.Users;

    /// <summary>Number of items (id slots).</summary>
    public int Items => Data.Items;

    /// <summary>Number of interaction rows (train + valid + test).</summary>
    public int Interactions => Data.InteractionCount;

    /// <summary>The modalities whose feature files are present (image, text).</summary>
    public IReadOnlyList<string> Modalities => [.. Data.Features.Keys.Order(StringComparer.Ordinal)];

    internal Dataset Data { get; }

    /// <summary>Opens a dataset folder in MMRec's layout; <paramref name="interFile"/> names the interaction file
    /// when the folder holds several.</summary>
    /// <exception cref="DataFormatException">A file is missing or malformed (the message names it and the line).</exception>
    public static InteractionDataset FromFolder(string folder, string? interFile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var data = Dataset.Load(folder, new DatasetLoadOptions { InterFileName = interFile });
        return new InteractionDataset(Path.GetFullPath(folder), interFile, data);
    }

    /// <summary>Writes a dataset folder from interactions held in memory and opens it. Row n is the interaction of
    /// <paramref name="userIds"/>[n] with <paramref name="itemIds"/>[n]; repeated pairs count once. Users and items
    /// are numbered in order of first appearance (the original ids are kept in u_id_mapping.csv / i_id_mapping.csv,
    /// so recommendations come back with them), and each user's rows are split into train / valid / test as the
    /// reference does (seeded by <paramref name="seed"/>). Feature rows are matched to items by id.</summary>
    /// <param name="userIds">User id of each interaction.</param>
    /// <param name="itemIds">Item id of each interaction (same length).</param>
    /// <param name="folder">Folder to write the dataset into (created; files of the same name are replaced). Run
    /// folders trained on it refer to this folder, so keep it.</param>
    /// <param name="features">Optional image and/or text features; every interacted item needs a row.</param>
    /// <param name="name">Dataset name (default: the folder's name).</param>
    /// <param name="seed">Seed of the per-user split (default 999).</param>
    public static InteractionDataset FromInteractions(
        IReadOnlyList<string> userIds, IReadOnlyList<string> itemIds, string folder, ItemFeatures? features = null, string? name = null, int seed = 999)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (userIds.Count != itemIds.Count)
        {
            throw new ArgumentException($"userIds has {userIds.Count} entries but itemIds has {itemIds.Count}: one of each per interaction", nameof(itemIds));
        }

        if (userIds.Count == 0)
        {
            throw new ArgumentException("no interactions: userIds and itemIds are empty", nameof(userIds));
        }

        var users = new FirstAppearanceIndex();
        var items = new FirstAppearanceIndex();
        var pairs = new HashSet<long>();
        var rowUsers = new List<int>(userIds.Count);
        var rowItems = new List<int>(userIds.Count);
        for (var n = 0; n < userIds.Count; n++)
        {
            if (string.IsNullOrEmpty(userIds[n]) || string.IsNullOrEmpty(itemIds[n]))
            {
                throw new ArgumentException($"interaction {n}: user and item ids must be non-empty strings", nameof(userIds));
            }

            var u = users.GetOrAdd(userIds[n]);
            var i = items.GetOrAdd(itemIds[n]);
            if (pairs.Add(((long)u << 32) | (uint)i))
            {
                rowUsers.Add(u);
                rowItems.Add(i);
            }
        }

        Directory.CreateDirectory(folder);
        var datasetName = PlainFileName.Require(name ?? new DirectoryInfo(Path.GetFullPath(folder)).Name, "dataset name");
        var userArray = rowUsers.ToArray();
        global::MultiRec.Data.InterFile.Write(Path.Combine(folder, datasetName + DatasetFiles.InterExtension), userArray, rowItems.ToArray(), PerUserSplit.Assign(userArray, users.Count, seed));
        IdMappingFile.Write(Path.Combine(folder, IdMappingFile.UserFileName), "user_id", global::MultiRec.Data.InterFile.UserColumn, users.RawIds);
        IdMappingFile.Write(Path.Combine(folder, IdMappingFile.ItemFileName), "asin", global::MultiRec.Data.InterFile.ItemColumn, items.RawIds);
        if (features is not null)
        {
            WriteFeatures(folder, features, items.RawIds);
        }

        return FromFolder(folder, datasetName + DatasetFiles.InterExtension);
    }

    private static void WriteFeatures(string folder, ItemFeatures features, IReadOnlyList<string> itemOrder)
    {
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < features.ItemIds.Count; r++)
        {
            if (!rowOf.TryAdd(features.ItemIds[r], r))
            {
                throw new ArgumentException($"features: item id '{features.ItemIds[r]}' appears twice", nameof(features));
            }
        }

        foreach (var (modality, values, dims, file) in new[]
        {
            ("image", features.Image, features.ImageDimensions, DatasetFiles.ImageFeatureFile),
            ("text", features.Text, features.TextDimensions, DatasetFiles.TextFeatureFile),
        })
        {
            if (values is null)
            {
                continue;
            }

            if (dims < 1 || values.Length != (long)features.ItemIds.Count * dims)
            {
                throw new ArgumentException($"features: {modality} has {values.Length} values, expected {features.ItemIds.Count} items x {dims} dimensions", nameof(features));
            }

            var ordered = new float[itemOrder.Count * dims];
            for (var i = 0; i < itemOrder.Count; i++)
            {
                if (!rowOf.TryGetValue(itemOrder[i], out var r))
                {
                    throw new ArgumentException($"features: item '{itemOrder[i]}' has interactions but no {modality} feature row", nameof(features));
                }

                values.AsSpan(r * dims, dims).CopyTo(ordered.AsSpan(i * dims, dims));
            }

            NpyFile.Write(Path.Combine(folder, file), ordered, itemOrder.Count, dims);
        }
    }
}
