// Reads a raw ratings file (user, item, rating, timestamp) as the first step of dataset preparation.
using System.Globalization;

namespace MultiRec.Data.Preparation;

/// <summary>How to read a ratings file. Column names are matched case-insensitively.</summary>
public sealed record RatingsFormat
{
    /// <summary>Field separator; null detects it from the first line (tab, comma or semicolon).</summary>
    public char? Delimiter { get; init; }

    /// <summary>Whether the first line names the columns (default true). Without a header the columns
    /// are, in order, user, item, rating, timestamp (the 2014 Amazon "ratings only" layout).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>User column; null tries user_id, userID, user, reviewerID.</summary>
    public string? UserColumn { get; init; }

    /// <summary>Item column; null tries item_id, itemID, item, asin, parent_asin.</summary>
    public string? ItemColumn { get; init; }

    /// <summary>Timestamp column (needed only for the time split); null tries timestamp, unixReviewTime, time.</summary>
    public string? TimeColumn { get; init; }

    internal static readonly string[] UserNames = ["user_id", "userID", "user", "reviewerID"];
    internal static readonly string[] ItemNames = ["item_id", "itemID", "item", "asin", "parent_asin"];
    internal static readonly string[] TimeNames = ["timestamp", "unixReviewTime", "time"];
}

/// <summary>The rows of a ratings file as raw strings, in file order.</summary>
public sealed class RawRatings
{
    /// <summary>Raw user id of each row.</summary>
    public List<string> Users { get; } = [];

    /// <summary>Raw item id of each row.</summary>
    public List<string> Items { get; } = [];

    /// <summary>Timestamp of each row (when read), else empty.</summary>
    public List<double> Times { get; } = [];

    /// <summary>Rows skipped because the user or item (or the needed timestamp) was empty.</summary>
    public int DroppedIncomplete { get; set; }

    /// <summary>Number of rows kept.</summary>
    public int Count => Users.Count;
}

/// <summary>Reader of ratings files (CSV/TSV).</summary>
public static class RatingsFile
{
    /// <summary>
    /// Reads user and item ids (and timestamps when <paramref name="needTimes"/>). Rows with an empty
    /// user, item or needed timestamp are dropped and counted, as the reference drops NaN rows.
    /// Throws <see cref="DataFormatException"/> naming the file and line for structural faults.
    /// </summary>
    public static RawRatings Read(string path, RatingsFormat format, bool needTimes)
    {
        using var reader = new DelimitedReader(path, format.Delimiter, format.HasHeader);
        int user, item, time;
        if (format.HasHeader)
        {
            user = Require(reader, format.UserColumn, RatingsFormat.UserNames, "user");
            item = Require(reader, format.ItemColumn, RatingsFormat.ItemNames, "item");
            time = needTimes ? Require(reader, format.TimeColumn, RatingsFormat.TimeNames, "timestamp") : -1;
        }
        else
        {
            (user, item, time) = (0, 1, needTimes ? 3 : -1);
        }

        var needed = Math.Max(user, Math.Max(item, time)) + 1;
        var ratings = new RawRatings();
        while (reader.TryRead(out var fields))
        {
            if (fields.Length < needed)
            {
                throw new DataFormatException(path, $"expected at least {needed} fields, found {fields.Length}", reader.LineNumber);
            }

            var u = fields[user].Trim();
            var i = fields[item].Trim();
            var t = time >= 0 ? fields[time].Trim() : null;
            if (u.Length == 0 || i.Length == 0 || t is { Length: 0 })
            {
                ratings.DroppedIncomplete++;
                continue;
            }

            CheckId(u, "user", path, reader.LineNumber);
            CheckId(i, "item", path, reader.LineNumber);
            ratings.Users.Add(u);
            ratings.Items.Add(i);
            if (t is not null)
            {
                var shown = t.Length <= 40 ? t : t[..40] + "...";
                if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    throw new DataFormatException(path, $"timestamp '{shown}' is not a number", reader.LineNumber);
                }

                if (!double.IsFinite(seconds))
                {
                    throw new DataFormatException(path, $"timestamp '{shown}' is not a finite number (NaN and infinity cannot be ordered in time)", reader.LineNumber);
                }

                ratings.Times.Add(seconds);
            }
        }

        if (ratings.Count == 0)
        {
            throw new DataFormatException(path, "no rating rows");
        }

        return ratings;
    }

    /// <summary>Ids become lines of the tab-separated id maps, and distinct ids must stay distinct: an id holding a
    /// tab or line break, or bytes that are not UTF-8 (decoded as U+FFFD, which would merge distinct ids), is refused.</summary>
    private static void CheckId(string id, string role, string path, long line)
    {
        if (id.AsSpan().IndexOfAny('\t', '\r', '\n') >= 0)
        {
            throw new DataFormatException(path, $"{role} id '{Shown(id)}' holds a tab or line break, which the tab-separated id maps cannot hold", line);
        }

        if (id.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw new DataFormatException(path, $"{role} id '{Shown(id)}' holds bytes that are not UTF-8 (shown as U+FFFD): distinct ids would be merged; re-encode the file as UTF-8", line);
        }
    }

    private static string Shown(string id)
    {
        var cut = id.Length <= 60 ? id : id[..60] + "...";
        return cut.Replace("\t", "\\t", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static int Require(DelimitedReader reader, string? given, string[] defaults, string role)
    {
        var names = given is null ? defaults : [given];
        var index = reader.FindColumn(names);
        if (index < 0)
        {
            throw new DataFormatException(
                reader.Path,
                $"missing {role} column: looked for {string.Join(" / ", names)} in the header ({string.Join(", ", reader.Header!)})",
                1);
        }

        return index;
    }
}
