// metrics.jsonl: one JSON object per epoch, rewritten atomically after each epoch.
using System.Text;
using System.Text.Json;
using MultiRec.Data;

namespace MultiRec.Training;

/// <summary>Reads and writes the per-epoch log.</summary>
internal static class MetricsLog
{
    /// <summary>Writes all records (one line each), atomically.</summary>
    public static void Write(string path, IEnumerable<EpochRecord> records)
    {
        var sb = new StringBuilder();
        foreach (var r in records)
        {
            sb.AppendLine(JsonSerializer.Serialize(r));
        }

        RunFolder.WriteTextAtomic(path, sb.ToString());
    }

    /// <summary>Reads the records of a log; a missing file is an empty log.</summary>
    public static List<EpochRecord> Read(string path)
    {
        var list = new List<EpochRecord>();
        if (!File.Exists(path))
        {
            return list;
        }

        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                list.Add(JsonSerializer.Deserialize<EpochRecord>(line) ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, "invalid JSON line: " + e.Message, lineNo);
            }
        }

        return list;
    }
}
