// Reads MMRec id-mapping files (u_id_mapping.csv, i_id_mapping.csv): original id <TAB> internal id, with a header.
using System.Globalization;
using System.Text;
using MultiRec.Data;

namespace MultiRec.Serving;

/// <summary>The MMRec mapping file format: UTF-8, tab-separated, a header row naming two columns, one of which is
/// the internal id column (<see cref="UserIdColumn"/> or <see cref="ItemIdColumn"/>) and the other the original id
/// (e.g. <c>user_id</c> or <c>asin</c>), then one row per id. LF or CRLF line ends and blank lines are accepted.
/// Every internal id 0..count-1 must appear exactly once and every original id must be unique.</summary>
public static class IdMapFile
{
    /// <summary>File name of the user map inside a dataset folder.</summary>
    public const string UserMapFileName = "u_id_mapping.csv";

    /// <summary>File name of the item map inside a dataset folder.</summary>
    public const string ItemMapFileName = "i_id_mapping.csv";

    /// <summary>Internal id column of the user map.</summary>
    public const string UserIdColumn = "userID";

    /// <summary>Internal id column of the item map.</summary>
    public const string ItemIdColumn = "itemID";

    /// <summary>Reads a mapping file whose internal ids must cover exactly 0..count-1.</summary>
    public static IdMap Read(string path, string internalColumn, int count)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", inner: e);
        }

        return Parse(lines, path, internalColumn, count);
    }

    /// <summary>Parses the lines of a mapping file; <paramref name="path"/> is used in error messages.</summary>
    public static IdMap Parse(IReadOnlyList<string> lines, string path, string internalColumn, int count)
    {
        if (lines.Count == 0 || lines[0].Length == 0)
        {
            throw new DataFormatException(path, $"empty file: expected a header naming an original-id column and '{internalColumn}'", 1);
        }

        var header = lines[0].TrimStart('\uFEFF').Split('\t');
        var internalAt = Array.IndexOf(header, internalColumn);
        if (header.Length != 2 || internalAt < 0)
        {
            throw new DataFormatException(path, $"header must be two tab-separated columns, one of them '{internalColumn}' (got '{lines[0]}')", 1);
        }

        var externalAt = 1 - internalAt;
        var external = new string?[count];
        var seen = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var n = 1; n < lines.Count; n++)
        {
            var line = lines[n].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var lineNumber = n + 1;
            var fields = line.Split('\t');
            if (fields.Length != 2)
            {
                throw new DataFormatException(path, $"expected 2 tab-separated fields, found {fields.Length}", lineNumber);
            }

            if (!int.TryParse(fields[internalAt], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id >= count)
            {
                throw new DataFormatException(path, $"{internalColumn} '{fields[internalAt]}' is not an id in 0..{count - 1} (the dataset has {count})", lineNumber);
            }

            var original = fields[externalAt];
            if (original.Length == 0)
            {
                throw new DataFormatException(path, $"empty original id for {internalColumn} {id}", lineNumber);
            }

            if (external[id] is not null)
            {
                throw new DataFormatException(path, $"{internalColumn} {id} appears twice", lineNumber);
            }

            if (!seen.TryAdd(original, id))
            {
                throw new DataFormatException(path, $"original id '{original}' is mapped to both {seen[original]} and {id}", lineNumber);
            }

            external[id] = original;
        }

        var missing = Array.IndexOf(external, null);
        if (missing >= 0)
        {
            throw new DataFormatException(path, $"{internalColumn} {missing} has no original id: the map must cover 0..{count - 1}");
        }

        return IdMap.FromExternalIds(external!, path);
    }
}
