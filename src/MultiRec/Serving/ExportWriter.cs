// Formats ranked users as CSV rows or JSON lines, straight into UTF-8 bytes (no per-row strings).
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MultiRec.Serving;

/// <summary>Writes one user's ranking at a time to a stream in an export format.</summary>
internal abstract class ExportWriter
{
    protected ExportWriter(Stream output, IdMap itemIds)
    {
        Output = output;
        ItemIds = itemIds;
    }

    protected Stream Output { get; }

    protected IdMap ItemIds { get; }

    public static ExportWriter Create(ExportFormat format, Stream output, IdMap itemIds) => format switch
    {
        ExportFormat.Csv => new CsvExportWriter(output, itemIds),
        ExportFormat.Jsonl => new JsonlExportWriter(output, itemIds),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Writes whatever precedes the first user (a header line, or nothing).</summary>
    public abstract void WriteHeader();

    /// <summary>Writes one user's items (valid entries only, best first).</summary>
    public abstract void WriteUser(string userId, ReadOnlySpan<int> items, ReadOnlySpan<float> scores);
}

/// <summary>CSV, header user_id,rank,item_id,score; ids quoted only when they hold a comma, quote or line break.</summary>
internal sealed class CsvExportWriter(Stream output, IdMap itemIds) : ExportWriter(output, itemIds)
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

/// <summary>JSON lines: {"user_id":"…","items":["…",…],"scores":[…]} per user.</summary>
internal sealed class JsonlExportWriter : ExportWriter
{
    private readonly JsonEncodedText[] _itemIds;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _json;

    public JsonlExportWriter(Stream output, IdMap itemIds)
        : base(output, itemIds)
    {
        _itemIds = new JsonEncodedText[itemIds.Count];
        for (var i = 0; i < _itemIds.Length; i++)
        {
            _itemIds[i] = JsonEncodedText.Encode(itemIds.ExternalId(i));
        }

        _json = new Utf8JsonWriter(_buffer);
    }

    public override void WriteHeader()
    {
    }

    public override void WriteUser(string userId, ReadOnlySpan<int> items, ReadOnlySpan<float> scores)
    {
        _json.WriteStartObject();
        _json.WriteString("user_id"u8, userId);
        _json.WriteStartArray("items"u8);
        foreach (var item in items)
        {
            _json.WriteStringValue(_itemIds[item]);
        }

        _json.WriteEndArray();
        _json.WriteStartArray("scores"u8);
        foreach (var score in scores)
        {
            _json.WriteNumberValue(score);
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        Output.Write(_buffer.WrittenSpan);
        Output.Write("\n"u8);
        _buffer.ResetWrittenCount();
        _json.Reset();
    }
}
