// Writes MMRec's id map files: u_id_mapping.csv (user_id → userID) and i_id_mapping.csv (asin → itemID).
using System.Text;

namespace MultiRec.Data.Preparation;

/// <summary>Tab-separated raw-id → dense-id tables, in MMRec's layout.</summary>
public static class IdMappingFile
{
    /// <summary>File name of the user map.</summary>
    public const string UserFileName = "u_id_mapping.csv";

    /// <summary>File name of the item map.</summary>
    public const string ItemFileName = "i_id_mapping.csv";

    /// <summary>Writes a header <c>rawColumn&lt;TAB&gt;denseColumn</c> and one line per id (dense id = line index), atomically.</summary>
    public static void Write(string path, string rawColumn, string denseColumn, IReadOnlyList<string> rawIds)
    {
        using var file = new AtomicFile(path);
        using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
        {
            writer.WriteLine($"{rawColumn}\t{denseColumn}");
            for (var id = 0; id < rawIds.Count; id++)
            {
                writer.Write(rawIds[id]);
                writer.Write('\t');
                writer.WriteLine(id);
            }
        }

        file.Commit();
    }
}
