// Writes the token ids of every item as JSON lines, for checking the tokenizer against HuggingFace's.
using System.Text.Json;
using MultiRec.Data;

namespace MultiRec.Features.Text;

/// <summary>
/// Diagnostic output used by tools/tokenizer-check: one JSON object per item,
/// <c>{"itemID":…, "line":…, "text":"…", "ids":[…], "all":[…]}</c>, where <c>ids</c> is what the
/// encoder feeds the model (truncated to <see cref="MiniLmTokenizer.DefaultMaxTokens"/>) and
/// <c>all</c> is the untruncated sequence.
/// </summary>
public static class TokenDump
{
    /// <summary>Tokenises every row of <paramref name="items"/> and writes the JSON lines atomically.</summary>
    public static int Write(IReadOnlyList<ItemText> items, MiniLmTokenizer tokenizer, string outputPath)
    {
        using var file = new AtomicFile(outputPath);
        using (var json = new Utf8JsonWriter(file.Stream, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            foreach (var item in items)
            {
                json.WriteStartObject();
                json.WriteNumber("itemID", item.ItemId);
                json.WriteNumber("line", item.Line);
                json.WriteString("text", item.Text);
                WriteIds(json, "ids", tokenizer.Encode(item.Text));
                WriteIds(json, "all", tokenizer.Encode(item.Text, int.MaxValue));
                json.WriteEndObject();
                json.Flush();
                json.Reset();
                file.Stream.WriteByte((byte)'\n');
            }
        }

        file.Commit();
        return items.Count;
    }

    /// <summary>Writes the tokenizer's vocabulary (one token per line, LF) atomically.</summary>
    public static void WriteVocabulary(byte[] vocabulary, string outputPath)
    {
        using var file = new AtomicFile(outputPath);
        var text = System.Text.Encoding.UTF8.GetString(vocabulary).Replace("\r\n", "\n", StringComparison.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        file.Stream.Write(bytes);
        file.Commit();
    }

    private static void WriteIds(Utf8JsonWriter json, string name, int[] ids)
    {
        json.WriteStartArray(name);
        foreach (var id in ids)
        {
            json.WriteNumberValue(id);
        }

        json.WriteEndArray();
    }
}
