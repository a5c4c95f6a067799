// Summary figures of a dataset folder (what `multirec data stats` prints): sizes, sparsity, split counts, features.
namespace MultiRec.Data;

/// <summary>Shape of one feature file, read from its header only.</summary>
public sealed record FeatureShape(string Modality, string File, int Rows, int Cols, string Dtype);

/// <summary>Dataset statistics. Split counts are rows after dropping valid/test rows of users without a training
/// row (duplicates counted); sparsity is 1 - interactions / (users × items).</summary>
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
    /// <summary>1 - interactions / (users × items), as a fraction.</summary>
    public double Sparsity => 1.0 - (Interactions / ((double)Users * Items));

    /// <summary>Sparsity in percent rounded to 4 decimals, as the paper reports it (e.g. 99.8827).</summary>
    public double SparsityPercent => Math.Round(Sparsity * 100.0, 4);

    /// <summary>Loads the interactions of <paramref name="directory"/> and reads the feature files' headers (not
    /// their values: the checks are shape, dtype and that the row count equals the item count).</summary>
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
            features);
    }
}
