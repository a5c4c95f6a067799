// The per-user split by time: the reference's per-user counts, with the most recent rows held out.
namespace MultiRec.Data.Preparation;

/// <summary>Labels each user's rows by time: oldest → train, then valid, most recent → test.</summary>
public static class TimeOrderedSplit
{
    /// <summary>
    /// One x_label per row. Each user's rows are ordered by <paramref name="times"/> (ties keep file
    /// order) and split with <see cref="PerUserSplit.Sizes"/>: the first Train rows get 0, the next
    /// Valid rows 1, the most recent Test rows 2.
    /// </summary>
    public static byte[] Assign(ReadOnlySpan<int> users, ReadOnlySpan<double> times, int userCount)
    {
        if (users.Length != times.Length)
        {
            throw new ArgumentException($"{users.Length} users but {times.Length} timestamps");
        }

        var rowsByUser = new List<int>[userCount];
        for (var n = 0; n < users.Length; n++)
        {
            (rowsByUser[users[n]] ??= []).Add(n);
        }

        var timeArray = times.ToArray();
        var labels = new byte[users.Length];
        foreach (var rows in rowsByUser)
        {
            if (rows is null)
            {
                continue;
            }

            // List.Sort is not stable, so order by (time, row) to keep file order among equal times.
            rows.Sort((a, b) => timeArray[a] != timeArray[b] ? timeArray[a].CompareTo(timeArray[b]) : a.CompareTo(b));
            var (train, valid, _) = PerUserSplit.Sizes(rows.Count);
            for (var k = 0; k < rows.Count; k++)
            {
                labels[rows[k]] = k < train ? SplitLabel.Train : k < train + valid ? SplitLabel.Valid : SplitLabel.Test;
            }
        }

        return labels;
    }
}
