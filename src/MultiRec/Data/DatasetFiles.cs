// File names inside a dataset folder and the rule that picks its interaction file.
namespace MultiRec.Data;

/// <summary>The layout of an MMRec dataset folder: &lt;name&gt;.inter, image_feat.npy, text_feat.npy.</summary>
public static class DatasetFiles
{
    /// <summary>Extension of interaction files.</summary>
    public const string InterExtension = ".inter";
    /// <summary>File of the image features (items × d float32).</summary>
    public const string ImageFeatureFile = "image_feat.npy";
    /// <summary>File of the text features (items × d float32).</summary>
    public const string TextFeatureFile = "text_feat.npy";

    /// <summary>Modality names with their feature files, in a fixed order.</summary>
    public static IReadOnlyList<(string Modality, string FileName)> FeatureFiles { get; } =
        [("image", ImageFeatureFile), ("text", TextFeatureFile)];

    /// <summary>The dataset's name, which picks its configuration layer (configs/dataset/&lt;name&gt;.yaml): the
    /// interaction file's name without ".inter", except that another split file chosen beside the folder's own
    /// &lt;folder&gt;.inter (e.g. sports/sports.mmhcl-split.inter) still names the folder's dataset ("sports"): it is
    /// the same catalog, so it gets the same settings.</summary>
    public static string DatasetName(string directory, string interFile)
    {
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return File.Exists(Path.Combine(directory, folderName + InterExtension))
            ? folderName
            : Path.GetFileName(interFile)[..^InterExtension.Length];
    }

    /// <summary>The interaction file of <paramref name="directory"/>: <paramref name="interFileName"/> when given;
    /// else the only *.inter file; else &lt;folder name&gt;.inter when present. Anything else is an error
    /// listing the *.inter files found.</summary>
    public static string FindInterFile(string directory, string? interFileName = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DataFormatException(directory, "dataset folder not found");
        }

        if (interFileName is not null)
        {
            var chosen = Path.Combine(directory, interFileName);
            return File.Exists(chosen) ? chosen : throw new DataFormatException(chosen, "interaction file not found");
        }

        var candidates = Directory.GetFiles(directory, "*" + InterExtension).Where(f => f.EndsWith(InterExtension, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        var named = Path.Combine(directory, folderName + InterExtension);
        if (candidates.Length > 1 && File.Exists(named))
        {
            return named;
        }

        var found = candidates.Length == 0 ? "none" : string.Join(", ", candidates.Select(Path.GetFileName));
        throw new DataFormatException(
            directory,
            $"expected exactly one *.inter file or one named {folderName}.inter; found: {found} (name the file to use: DatasetLoadOptions.InterFileName, or --inter on the command line)");
    }
}
