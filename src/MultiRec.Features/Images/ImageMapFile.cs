// Reads the item → image file map for the image encoder (CSV or TSV with itemID and a file, URL or ASIN column).
using System.Globalization;
using MultiRec.Data;
using MultiRec.Data.Preparation;

namespace MultiRec.Features.Images;

/// <summary>One item's image, as found in the map.</summary>
/// <param name="ItemId">Dense item id (row of the feature matrix).</param>
/// <param name="Candidates">Paths to try, in order (first existing one wins); empty when the item has no image.</param>
/// <param name="Line">1-based line in the map file.</param>
public sealed record ItemImage(int ItemId, IReadOnlyList<string> Candidates, long Line);

/// <summary>
/// The map from items to image files: a delimited file (tab, comma or semicolon, detected) with a
/// header holding <c>itemID</c> and one of: <c>image</c> / <c>file</c> / <c>path</c> (a path relative to
/// the image folder), <c>imUrl</c> / <c>url</c> (the file is the URL's last segment, as saved by a
/// downloader; MMRec's <c>&lt;name&gt;_url.csv</c> has this form), or <c>asin</c> (the file is
/// <c>&lt;asin&gt;.jpg</c>, <c>.jpeg</c> or <c>.png</c>). An empty cell means the item has no image.
/// </summary>
public static class ImageMapFile
{
    private static readonly string[] FileColumns = ["image", "file", "path"];
    private static readonly string[] UrlColumns = ["imUrl", "url", "image_url"];
    private static readonly string[] AsinExtensions = [".jpg", ".jpeg", ".png"];

    /// <summary>Reads the map; throws <see cref="DataFormatException"/> naming the file and line on bad input.</summary>
    public static List<ItemImage> Read(string mapPath, string imageDirectory)
    {
        using var reader = new DelimitedReader(mapPath);
        var itemColumn = reader.FindColumn("itemID");
        if (itemColumn < 0)
        {
            throw new DataFormatException(mapPath, $"missing column 'itemID' in the header ({string.Join(", ", reader.Header!)})", 1);
        }

        var fileColumn = reader.FindColumn(FileColumns);
        var urlColumn = reader.FindColumn(UrlColumns);
        var asinColumn = reader.FindColumn("asin");
        if (fileColumn < 0 && urlColumn < 0 && asinColumn < 0)
        {
            throw new DataFormatException(
                mapPath,
                $"missing image column: need one of {string.Join(", ", FileColumns.Concat(UrlColumns))} or asin (found: {string.Join(", ", reader.Header!)})",
                1);
        }

        var rows = new List<ItemImage>();
        var seen = new HashSet<int>();
        while (reader.TryRead(out var fields))
        {
            if (fields.Length != reader.Header!.Count)
            {
                throw new DataFormatException(mapPath, $"expected {reader.Header.Count} fields, found {fields.Length}", reader.LineNumber);
            }

            if (!int.TryParse(fields[itemColumn], NumberStyles.None, CultureInfo.InvariantCulture, out var itemId))
            {
                throw new DataFormatException(mapPath, $"itemID '{fields[itemColumn]}' is not a non-negative integer", reader.LineNumber);
            }

            if (!seen.Add(itemId))
            {
                throw new DataFormatException(mapPath, $"itemID {itemId} appears twice", reader.LineNumber);
            }

            rows.Add(new ItemImage(itemId, Candidates(fields, fileColumn, urlColumn, asinColumn, imageDirectory, mapPath, reader.LineNumber), reader.LineNumber));
        }

        if (rows.Count == 0)
        {
            throw new DataFormatException(mapPath, "no item rows after the header");
        }

        return rows;
    }

    /// <summary>The image folder joined with a relative path from the map, which must stay inside the folder
    /// (an absolute path or one climbing out with '..' is refused, naming the map's line).</summary>
    private static string Inside(string directory, string relative, string mapPath, long line)
    {
        var root = Path.GetFullPath(directory);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(relative) || !full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new DataFormatException(mapPath, $"image path '{(relative.Length <= 100 ? relative : relative[..100] + "...")}' leaves the image folder: paths in the map are relative to --images", line);
        }

        return full;
    }

    private static List<string> Candidates(string[] fields, int fileColumn, int urlColumn, int asinColumn, string directory, string mapPath, long line)
    {
        if (fileColumn >= 0 && fields[fileColumn].Trim() is { Length: > 0 } file)
        {
            return [Inside(directory, file, mapPath, line)];
        }

        if (urlColumn >= 0 && fields[urlColumn].Trim() is { Length: > 0 } url)
        {
            var name = url.Split('?', '#')[0].TrimEnd('/');
            return [Inside(directory, name[(name.LastIndexOf('/') + 1)..], mapPath, line)];
        }

        if (asinColumn >= 0 && fields[asinColumn].Trim() is { Length: > 0 } asin)
        {
            return AsinExtensions.Select(extension => Inside(directory, asin + extension, mapPath, line)).ToList();
        }

        return [];
    }
}
