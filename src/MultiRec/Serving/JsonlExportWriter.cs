// Export as JSON lines, one object per user, written with a reused Utf8JsonWriter and pre-encoded item ids.
using System.Buffers;
using System.Text.Json;

namespace MultiRec.Serving;

/// <summary>JSON lines: {"user_id":"…","items":["…",…],"scores":[…]} per user.</summary>
internal sealed class JsonlExportWriter : ExportWriter
{
    private readonly JsonEncodedText[] _itemIds;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _json;

    public JsonlExportWriter(Stream output, IdMap itemIds)
        : base(output)
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
