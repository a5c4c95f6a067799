// Export as CSV rows (user_id,rank,item_id,score), formatted straight into UTF-8 bytes (no per-row strings).
using System.Buffers;
using System.Globalization;
using System.Text;

namespace MultiRec.Serving;

/// <summary>CSV, header user_id,rank,item_id,score; ids quoted only when they hold a comma, quote or line break.</summary>
internal sealed class CsvExportWriter(Stream output, IdMap itemIds) : ExportWriter(output)
{
    private readonly byte[][] _itemFields = EncodeAll(itemIds);
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);

    public override void WriteHeader() => Output.Write("user_id,rank,item_id,score\n"u8);

    public override void WriteUser(string userId, ReadOnlySpan<int> items, ReadOnlySpan<float> scores)
    {
        var user = Field(userId);
        for (var r = 0; r < items.Length; r++)
        {
            _buffer.Write(user);
            _buffer.Write(","u8);
            Format(r + 1);
            _buffer.Write(","u8);
            _buffer.Write(_itemFields[items[r]]);
            _buffer.Write(","u8);
            Format(scores[r]);
            _buffer.Write("\n"u8);
        }

        Output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    private static byte[][] EncodeAll(IdMap ids)
    {
        var fields = new byte[ids.Count][];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Field(ids.ExternalId(i));
        }

        return fields;
    }

    private static byte[] Field(string value) =>
        Encoding.UTF8.GetBytes(value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");

    private void Format<T>(T value)
        where T : IUtf8SpanFormattable
    {
        var span = _buffer.GetSpan(32);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("number did not fit its buffer");
        }

        _buffer.Advance(written);
    }
}
