// A loaded dataset folder: interactions split into train/valid/test CSRs, the training rows, and item features.
namespace MultiRec.Data;

/// <summary>An MMRec dataset as the reference loads it (bm3-reference.md §3.3): U = max(userID)+1 and
/// I = max(itemID)+1 over the whole file; valid and test rows of users without a training row are dropped
/// (and counted); per-split CSRs collapse duplicate pairs, while the training rows keep them in file order.</summary>
public sealed class Dataset
{
    private Dataset(string name, string directory, string interFile, InterRows rows)
    {
        Name = name;
        Directory = directory;
        InterFile = interFile;
        InteractionCount = rows.Count;

        int maxUser = -1, maxItem = -1, trainRows = 0;
        for (var n = 0; n < rows.Count; n++)
        {
            maxUser = Math.Max(maxUser, rows.Users[n]);
            maxItem = Math.Max(maxItem, rows.Items[n]);
            trainRows += rows.Labels[n] == SplitLabel.Train ? 1 : 0;
        }

        // Ids are dense (0..N-1) in MMRec data: U = max(userID) + 1. An id far beyond the row count would make
        // every per-user and per-item table huge, so it is reported instead of attempted (IdDensity).
        IdDensity.Check(interFile, $"userID {maxUser}", maxUser + 1L, rows.Count);
        IdDensity.Check(interFile, $"itemID {maxItem}", maxItem + 1L, rows.Count);

        Users = maxUser + 1;
        Items = maxItem + 1;

        TrainUsers = new int[trainRows];
        TrainItems = new int[trainRows];
        var hasTrain = new bool[Users];
        var t = 0;
        for (var n = 0; n < rows.Count; n++)
        {
            if (rows.Labels[n] == SplitLabel.Train)
            {
                TrainUsers[t] = rows.Users[n];
                TrainItems[t++] = rows.Items[n];
                hasTrain[rows.Users[n]] = true;
            }
        }

        Train = UserItemCsr.FromPairs(Users, Items, TrainUsers, TrainItems);
        (Valid, ValidRows, DroppedValidRows) = HeldOut(rows, SplitLabel.Valid, hasTrain, Users, Items);
        (Test, TestRows, DroppedTestRows) = HeldOut(rows, SplitLabel.Test, hasTrain, Users, Items);
    }

    /// <summary>Dataset name (see <see cref="DatasetFiles.DatasetName"/>); it picks configs/dataset/&lt;name&gt;.yaml.</summary>
    public string Name { get; }

    /// <summary>The folder it was loaded from.</summary>
    public string Directory { get; }

    /// <summary>Path of the interaction file that was read.</summary>
    public string InterFile { get; }

    /// <summary>Number of users, max(userID) + 1.</summary>
    public int Users { get; }

    /// <summary>Number of items, max(itemID) + 1.</summary>
    public int Items { get; }

    /// <summary>Training pairs per user (duplicates collapsed).</summary>
    public UserItemCsr Train { get; }

    /// <summary>Validation pairs per user (duplicates collapsed; users without training rows dropped).</summary>
    public UserItemCsr Valid { get; }

    /// <summary>Test pairs per user (duplicates collapsed; users without training rows dropped).</summary>
    public UserItemCsr Test { get; }

    /// <summary>User of each training row, file order, duplicates kept (the reference's training frame).</summary>
    public int[] TrainUsers { get; }

    /// <summary>Item of each training row, parallel to <see cref="TrainUsers"/>.</summary>
    public int[] TrainItems { get; }

    /// <summary>Rows in the interaction file.</summary>
    public int InteractionCount { get; }

    /// <summary>Validation rows kept (duplicates counted).</summary>
    public int ValidRows { get; }

    /// <summary>Test rows kept (duplicates counted).</summary>
    public int TestRows { get; }

    /// <summary>Validation rows dropped because their user has no training row.</summary>
    public int DroppedValidRows { get; }

    /// <summary>Test rows dropped because their user has no training row.</summary>
    public int DroppedTestRows { get; }

    /// <summary>image_feat.npy, when present and loaded.</summary>
    public FeatureMatrix? ImageFeatures => Features.GetValueOrDefault("image");

    /// <summary>text_feat.npy, when present and loaded.</summary>
    public FeatureMatrix? TextFeatures => Features.GetValueOrDefault("text");

    /// <summary>Loaded feature matrices by modality ("image", "text"); only those present.</summary>
    public IReadOnlyDictionary<string, FeatureMatrix> Features { get; private set; } = new Dictionary<string, FeatureMatrix>();

    /// <summary>Loads a dataset folder: its interaction file (see <see cref="DatasetFiles.FindInterFile"/>) and,
    /// unless disabled, image_feat.npy / text_feat.npy, whose row count must equal <see cref="Items"/>.</summary>
    public static Dataset Load(string directory, DatasetLoadOptions? options = null)
    {
        options ??= new DatasetLoadOptions();
        var interFile = DatasetFiles.FindInterFile(directory, options.InterFileName);
        var rows = Data.InterFile.Read(interFile);
        var name = DatasetFiles.DatasetName(directory, interFile);
        var dataset = new Dataset(name, directory, interFile, rows);
        if (options.LoadFeatures)
        {
            var features = new Dictionary<string, FeatureMatrix>();
            foreach (var (modality, fileName) in DatasetFiles.FeatureFiles)
            {
                var path = Path.Combine(directory, fileName);
                if (File.Exists(path))
                {
                    var matrix = NpyFile.ReadFeatureMatrix(path, dataset.Items);
                    features[modality] = matrix.Cols > 0 ? matrix : throw new DataFormatException(path, $"feature matrix has 0 columns ({matrix.Rows} x 0): delete the file, or give every item at least one feature");
                }
            }

            dataset.Features = features;
        }

        return dataset;
    }

    private static (UserItemCsr Csr, int Kept, int Dropped) HeldOut(InterRows rows, byte label, bool[] hasTrain, int users, int items)
    {
        int kept = 0, dropped = 0;
        for (var n = 0; n < rows.Count; n++)
        {
            if (rows.Labels[n] == label)
            {
                if (hasTrain[rows.Users[n]])
                {
                    kept++;
                }
                else
                {
                    dropped++;
                }
            }
        }

        var keptUsers = new int[kept];
        var keptItems = new int[kept];
        var k = 0;
        for (var n = 0; n < rows.Count; n++)
        {
            if (rows.Labels[n] == label && hasTrain[rows.Users[n]])
            {
                keptUsers[k] = rows.Users[n];
                keptItems[k++] = rows.Items[n];
            }
        }

        return (UserItemCsr.FromPairs(users, items, keptUsers, keptItems), kept, dropped);
    }
}
