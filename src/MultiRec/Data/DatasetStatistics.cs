// Summary figures of a dataset folder (what `multirec data stats` prints): sizes, sparsity, split counts, features.
namespace MultiRec.Data;

/// <summary>Shape of one feature file, read from its header only.</summary>
public sealed record FeatureShape(string Modality, string File, int Rows, int Cols, string Dtype);

/// <summary>Dataset statistics. Split counts are rows after dropping valid/test rows of users without a training
/// row (duplicates counted); sparsity is 1 - distinct (user, item) pairs / (users × items), so duplicate rows
/// cannot make it negative.</summary>
public sealed record DatasetStatistics(
    string Name,
    string InterFile,
    int Users,
    int Items,
    int Interactions,
    int TrainRows,
    int ValidRows,
    int TestRows,
    int DroppedValidRows,
    int DroppedTestRows,
    IReadOnlyList<FeatureShape> Features)
{
    /// <summary>Distinct (user, item) pairs over all rows; 0 when not computed (then rows are used).</summary>
    public long DistinctPairs { get; init; }

    /// <summary>1 - distinct pairs / (users × items), as a fraction (0 for an empty catalog).</summary>
    public double Sparsity => (double)Users * Items <= 0 ? 0 : 1.0 - ((DistinctPairs > 0 ? DistinctPairs : Interactions) / ((double)Users * Items));

    /// <summary>Sparsity in percent rounded to 4 decimals, as the paper reports it (e.g. 99.8827).</summary>
    public double SparsityPercent => Math.Round(Sparsity * 100.0, 4);

    /// <summary>Loads the interactions of <paramref name="directory"/> and checks the feature files as training
    /// reads them (shape, dtype, row count equal to the item count, every value finite), streaming their values
    /// through one small block.</summary>
    public static DatasetStatistics Compute(string directory, string? interFileName = null)
    {
        var dataset = Dataset.Load(directory, new DatasetLoadOptions { LoadFeatures = false, InterFileName = interFileName });
        var features = new List<FeatureShape>();
        foreach (var (modality, fileName) in DatasetFiles.FeatureFiles)
        {
            var path = Path.Combine(directory, fileName);
            if (!File.Exists(path))
            {
                continue;
            }

            var header = NpyFile.ReadHeader(path);
            if (header.Shape.Length != 2 || header.Dtype is not ("<f4" or "<f8"))
            {
                throw new DataFormatException(path, $"feature matrix must be a 2-D <f4 or <f8 array, not {header.Dtype} of shape ({string.Join(", ", header.Shape)})");
            }

            if (header.Shape[0] != dataset.Items)
            {
                throw new DataFormatException(path, $"feature matrix has {header.Shape[0]} rows but the dataset has {dataset.Items} items (row r must be item r)");
            }

            NpyFile.CheckFeatureValues(path, dataset.Items);
            features.Add(new FeatureShape(modality, path, header.Shape[0], header.Shape[1], header.Dtype));
        }

        return new DatasetStatistics(
            dataset.Name,
            dataset.InterFile,
            dataset.Users,
            dataset.Items,
            dataset.InteractionCount,
            dataset.TrainUsers.Length,
            dataset.ValidRows,
            dataset.TestRows,
            dataset.DroppedValidRows,
            dataset.DroppedTestRows,
            features)
        {
            DistinctPairs = CountDistinctPairs(dataset),
        };
    }

    /// <summary>Distinct (user, item) pairs of the file: read again and collapsed per user.</summary>
    private static long CountDistinctPairs(Dataset dataset)
    {
        var rows = Data.InterFile.Read(dataset.InterFile);
        return UserItemCsr.FromPairs(dataset.Users, dataset.Items, rows.Users, rows.Items).Count;
    }
}
