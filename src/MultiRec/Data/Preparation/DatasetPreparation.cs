// From a raw ratings file to a dataset folder: dedupe, k-core, re-index by first appearance, per-user split.
namespace MultiRec.Data.Preparation;

/// <summary>How rows are assigned to train/valid/test.</summary>
public enum SplitMethod
{
    /// <summary>The reference's rule on a seeded random order of each user's rows (<see cref="PerUserSplit"/>).</summary>
    Random,

    /// <summary>The same per-user counts, most recent rows held out (<see cref="TimeOrderedSplit"/>).</summary>
    Time,
}

/// <summary>Options of <see cref="DatasetPreparation"/>.</summary>
public sealed record PrepareOptions
{
    /// <summary>Dataset name: the interaction file is &lt;Name&gt;.inter (default: the output folder's name).</summary>
    public string? Name { get; init; }

    /// <summary>k of the iterative k-core on users and items (default 5, as MMRec's datasets).</summary>
    public int Core { get; init; } = 5;

    /// <summary>Seed of the random split (default 999, MMRec's seed).</summary>
    public int Seed { get; init; } = 999;

    /// <summary>Random (default, the reference) or by time.</summary>
    public SplitMethod Split { get; init; } = SplitMethod.Random;

    /// <summary>How to read the ratings file.</summary>
    public RatingsFormat Format { get; init; } = new();
}

/// <summary>What <see cref="DatasetPreparation.Run"/> did.</summary>
public sealed record PrepareReport(
    string InterPath,
    int RowsRead,
    int DroppedIncomplete,
    int DroppedDuplicates,
    int DroppedByCore,
    int Users,
    int Items,
    int Train,
    int Valid,
    int Test);

/// <summary>Builds a dataset folder (&lt;name&gt;.inter, u_id_mapping.csv, i_id_mapping.csv) from ratings.</summary>
public static class DatasetPreparation
{
    /// <summary>
    /// Reads <paramref name="ratingsPath"/>; drops rows with a missing user/item and repeated
    /// (user, item) pairs (the first row of a pair is kept; the reference drops only repeated
    /// (user, item, timestamp) rows, which can leave duplicate pairs); applies the iterative k-core;
    /// numbers users and items 0.. in order of first appearance in the filtered rows; splits each
    /// user's rows (<see cref="PrepareOptions.Split"/>); writes the three files into
    /// <paramref name="outputDirectory"/>, each atomically.
    /// </summary>
    public static PrepareReport Run(string ratingsPath, string outputDirectory, PrepareOptions? options = null)
    {
        options ??= new PrepareOptions();
        if (options.Core < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "core must be at least 1");
        }

        var raw = RatingsFile.Read(ratingsPath, options.Format, needTimes: options.Split == SplitMethod.Time);

        // Provisional ids (file order) for filtering; the final ids are assigned after the k-core.
        var userIndex = new FirstAppearanceIndex();
        var itemIndex = new FirstAppearanceIndex();
        var users = new List<int>(raw.Count);
        var items = new List<int>(raw.Count);
        var rowOf = new List<int>(raw.Count);
        var seenPairs = new HashSet<long>();
        for (var n = 0; n < raw.Count; n++)
        {
            var u = userIndex.GetOrAdd(raw.Users[n]);
            var i = itemIndex.GetOrAdd(raw.Items[n]);
            if (seenPairs.Add(((long)u << 32) | (uint)i))
            {
                users.Add(u);
                items.Add(i);
                rowOf.Add(n);
            }
        }

        var duplicates = raw.Count - users.Count;
        var keep = KCoreFilter.Keep(users.ToArray(), items.ToArray(), userIndex.Count, itemIndex.Count, options.Core);

        var finalUsers = new FirstAppearanceIndex();
        var finalItems = new FirstAppearanceIndex();
        var outUsers = new List<int>();
        var outItems = new List<int>();
        var outTimes = new List<double>();
        for (var n = 0; n < keep.Length; n++)
        {
            if (!keep[n])
            {
                continue;
            }

            var row = rowOf[n];
            outUsers.Add(finalUsers.GetOrAdd(raw.Users[row]));
            outItems.Add(finalItems.GetOrAdd(raw.Items[row]));
            if (options.Split == SplitMethod.Time)
            {
                outTimes.Add(raw.Times[row]);
            }
        }

        if (outUsers.Count == 0)
        {
            throw new DataFormatException(ratingsPath, $"no interaction survives the {options.Core}-core filter");
        }

        var userArray = outUsers.ToArray();
        var labels = options.Split == SplitMethod.Time
            ? TimeOrderedSplit.Assign(userArray, outTimes.ToArray(), finalUsers.Count)
            : PerUserSplit.Assign(userArray, finalUsers.Count, options.Seed);

        Directory.CreateDirectory(outputDirectory);
        var name = PlainFileName.Require(options.Name ?? new DirectoryInfo(Path.GetFullPath(outputDirectory)).Name, "dataset name");
        var interPath = Path.Combine(outputDirectory, name + ".inter");
        InterFile.Write(interPath, userArray, outItems.ToArray(), labels);
        IdMappingFile.Write(Path.Combine(outputDirectory, IdMappingFile.UserFileName), "user_id", InterFile.UserColumn, finalUsers.RawIds);
        IdMappingFile.Write(Path.Combine(outputDirectory, IdMappingFile.ItemFileName), "asin", InterFile.ItemColumn, finalItems.RawIds);

        return new PrepareReport(
            interPath,
            raw.Count + raw.DroppedIncomplete,
            raw.DroppedIncomplete,
            duplicates,
            users.Count - outUsers.Count,
            finalUsers.Count,
            finalItems.Count,
            labels.Count(l => l == SplitLabel.Train),
            labels.Count(l => l == SplitLabel.Valid),
            labels.Count(l => l == SplitLabel.Test));
    }
}
