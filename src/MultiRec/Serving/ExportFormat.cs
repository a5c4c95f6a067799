// File formats of `multirec export`, chosen from the output file's extension.
namespace MultiRec.Serving;

/// <summary>Export file formats.</summary>
public enum ExportFormat
{
    /// <summary>CSV with header user_id,rank,item_id,score: one row per recommended item, rank 1 = best.</summary>
    Csv,

    /// <summary>JSON lines: one object {"user_id", "items": [...], "scores": [...]} per user, best first.</summary>
    Jsonl,
}

/// <summary>Extension ↔ format.</summary>
public static class ExportFormats
{
    /// <summary>The format of a path ending in .csv or .jsonl (case-insensitive); throws otherwise.</summary>
    public static ExportFormat FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => ExportFormat.Csv,
        ".jsonl" => ExportFormat.Jsonl,
        _ => throw new ArgumentException($"cannot tell the export format of '{path}': use a .csv or .jsonl file name"),
    };
}
