// Reads the item text table (TSV: itemID plus `text` or title/brand/categories/description) for the text encoder.
using System.Globalization;
using System.Text;
using MultiRec.Data;

namespace MultiRec.Features.Text;

/// <summary>One item's text and where it came from.</summary>
/// <param name="ItemId">Dense 0-based item id (row of the feature matrix).</param>
/// <param name="Text">The text to encode; blank when the item has none.</param>
/// <param name="Line">1-based line of the TSV file.</param>
public sealed record ItemText(int ItemId, string Text, long Line);

/// <summary>
/// Reads a tab-separated item table with a header line. Columns are found by name: <c>itemID</c>,
/// and either <c>text</c> or any of <c>title</c>, <c>brand</c>, <c>categories</c>, <c>description</c>,
/// which are joined as the reference preprocessing does:
/// <c>title + " " + brand + " " + categories + " " + description</c>, an empty field counting as " ".
/// Other columns are ignored. Fields are not quoted (a double quote is an ordinary character) and
/// cannot hold newlines, so the reference's "newlines → spaces" step has nothing left to do (the
/// tokenizer treats any newline as a space anyway).
/// </summary>
public static class ItemTextFile
{
    /// <summary>The column holding ready-made text.</summary>
    public const string TextColumn = "text";

    /// <summary>The fields joined, in order, when there is no text column.</summary>
    public static readonly IReadOnlyList<string> FieldColumns = ["title", "brand", "categories", "description"];

    /// <summary>Reads every row. Throws <see cref="DataFormatException"/> naming the file and line on bad input.</summary>
    public static List<ItemText> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine() ?? throw new DataFormatException(path, "the file is empty (a header line is required)");
        var columns = header.TrimEnd('\r').Split('\t');
        var itemColumn = Array.IndexOf(columns, "itemID");
        if (itemColumn < 0)
        {
            throw new DataFormatException(path, $"missing column 'itemID' in the header (found: {string.Join(", ", columns)})", 1);
        }

        var textColumn = Array.IndexOf(columns, TextColumn);
        var fieldColumns = FieldColumns.Select(name => Array.IndexOf(columns, name)).ToArray();
        if (textColumn < 0 && fieldColumns.All(index => index < 0))
        {
            throw new DataFormatException(
                path,
                $"missing text columns: need 'text' or any of {string.Join(", ", FieldColumns)} (found: {string.Join(", ", columns)})",
                1);
        }

        var rows = new List<ItemText>();
        var seen = new HashSet<int>();
        long lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            line = line.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != columns.Length)
            {
                throw new DataFormatException(path, $"expected {columns.Length} tab-separated fields, found {fields.Length}", lineNumber);
            }

            if (!int.TryParse(fields[itemColumn], NumberStyles.None, CultureInfo.InvariantCulture, out var itemId))
            {
                throw new DataFormatException(path, $"itemID '{fields[itemColumn]}' is not a non-negative integer", lineNumber);
            }

            if (!seen.Add(itemId))
            {
                throw new DataFormatException(path, $"itemID {itemId} appears twice", lineNumber);
            }

            var text = textColumn >= 0 ? fields[textColumn] : JoinFields(fields, fieldColumns);
            rows.Add(new ItemText(itemId, text, lineNumber));
        }

        if (rows.Count == 0)
        {
            throw new DataFormatException(path, "no item rows after the header");
        }

        return rows;
    }

    /// <summary>title + " " + brand + " " + categories + " " + description; a missing or empty field is " ".</summary>
    private static string JoinFields(string[] fields, int[] fieldColumns)
    {
        var parts = fieldColumns.Select(index => index >= 0 && fields[index].Length > 0 ? fields[index] : " ");
        return string.Join(' ', parts);
    }

    /// <summary>True when the text has nothing to encode (empty or whitespace only).</summary>
    public static bool IsBlank(string text) => string.IsNullOrWhiteSpace(text);
}
