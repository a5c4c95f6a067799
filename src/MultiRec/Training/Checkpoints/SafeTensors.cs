// Reader and writer of the safetensors format (8-byte header length, JSON header, raw little-endian F32 data).
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Training.Checkpoints;

/// <summary>A named float32 tensor with the shape recorded in the file (1-D biases stay 1-D for PyTorch interop).</summary>
internal sealed record NamedTensor(string Name, int[] Shape, Tensor Value);

/// <summary>Contents of a safetensors file: tensors by name, in file order, and the string metadata.</summary>
internal sealed class SafeTensorsFile
{
    private SafeTensorsFile(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Tensors in the order their data appears.</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    /// <summary>The "__metadata__" entries.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>A tensor by name, or null.</summary>
    public NamedTensor? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);

    /// <summary>Writes tensors (F32) and metadata atomically.</summary>
    public static void Write(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
        {
            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var t in list)
        {
            long count = t.Shape.Aggregate(1L, (a, b) => a * b);
            if (count != t.Value.Length)
            {
                throw new ArgumentException($"tensor '{t.Name}': shape [{string.Join(",", t.Shape)}] does not match {t.Value.Length} values");
            }

            header[t.Name] = new { dtype = "F32", shape = t.Shape, data_offsets = new[] { offset, offset + (count * 4) } };
            offset += count * 4;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        using var file = new AtomicFile(path);
        var stream = file.Stream;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        stream.Write(len);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++)
        {
            stream.WriteByte((byte)' ');
        }

        foreach (var t in list)
        {
            stream.Write(MemoryMarshal.AsBytes(t.Value.AsSpan()));
        }

        file.Commit();
    }

    /// <summary>Reads a safetensors file of F32 tensors. Every malformed or inconsistent file raises a
    /// <see cref="DataFormatException"/> naming the file and, when one is at fault, the tensor: a header that is not
    /// a JSON object, entries without a well-typed dtype / shape / data_offsets, negative or overflowing shapes and
    /// offsets, tensors whose bytes overlap or lie outside the file, non-string metadata, non-finite values.
    /// Memory is bounded by the file's size (no tensor is allocated beyond the bytes the file holds).</summary>
    public static SafeTensorsFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "file not found");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "cannot read the file: " + e.Message, inner: e);
        }
    }

    /// <summary>Reads safetensors content from a seekable stream; <paramref name="path"/> names it in errors.</summary>
    public static SafeTensorsFile Read(Stream stream, string path)
    {
        Span<byte> len = stackalloc byte[8];
        if (stream.ReadAtLeast(len, 8, throwOnEndOfStream: false) < 8)
        {
            throw new DataFormatException(path, "truncated safetensors file (no header length)");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength == 0 || headerLength > MaxHeaderBytes || (long)headerLength > stream.Length - 8)
        {
            throw new DataFormatException(path, $"invalid safetensors header length {headerLength}");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var dataLength = stream.Length - dataStart;
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
        {
            throw new DataFormatException(path, "safetensors header is not valid UTF-8");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, "safetensors header is not valid JSON: " + e.Message);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DataFormatException(path, $"safetensors header must be a JSON object, found {Kind(doc.RootElement)}");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(prop.Name))
                {
                    throw new DataFormatException(path, $"'{Clip(prop.Name)}' appears twice in the header");
                }

                if (prop.Name == "__metadata__")
                {
                    ReadMetadata(prop.Value, metadata, path);
                    continue;
                }

                entries.Add(ReadEntry(prop, dataLength, path));
            }

            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            for (var i = 1; i < entries.Count; i++)
            {
                if (entries[i].Begin < entries[i - 1].End)
                {
                    throw new DataFormatException(path, $"tensors '{Clip(entries[i - 1].Name)}' and '{Clip(entries[i].Name)}' overlap (data_offsets [{entries[i - 1].Begin}, {entries[i - 1].End}) and [{entries[i].Begin}, {entries[i].End}))");
                }
            }

            var tensors = new List<NamedTensor>(entries.Count);
            foreach (var e in entries)
            {
                var tensor = new Tensor(e.Rows, e.Cols);
                stream.Position = dataStart + e.Begin;
                stream.ReadExactly(MemoryMarshal.AsBytes(tensor.AsSpan()));
                var bad = FirstNonFinite(tensor.AsSpan());
                if (bad >= 0)
                {
                    throw new DataFormatException(path, $"tensor '{Clip(e.Name)}' holds a non-finite value ({tensor.AsSpan()[bad]}) at flat index {bad}: the checkpoint is corrupt or training diverged");
                }

                tensors.Add(new NamedTensor(e.Name, e.Shape, tensor));
            }

            return new SafeTensorsFile(tensors, metadata);
        }
    }

    /// <summary>Largest JSON header accepted (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(path, $"__metadata__ must be a JSON object of strings, found {Kind(value)}");
        }

        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
            {
                throw new DataFormatException(path, $"metadata '{Clip(m.Name)}' must be a string, found {Kind(m.Value)}");
            }

            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(JsonProperty prop, long dataLength, string path)
    {
        var name = prop.Name;
        string Where() => $"tensor '{Clip(name)}'";
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(path, $"{Where()}: entry must be a JSON object, found {Kind(v)}");
        }

        if (!v.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw new DataFormatException(path, $"{Where()}: missing or non-string 'dtype'");
        }

        if (dtype.GetString() != "F32")
        {
            throw new DataFormatException(path, $"{Where()}: dtype {Clip(dtype.GetString()!)} is not supported (F32 only)");
        }

        if (!v.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array || shapeElement.GetArrayLength() > MaxRank)
        {
            throw new DataFormatException(path, $"{Where()}: 'shape' must be an array of at most {MaxRank} non-negative integers");
        }

        var shape = new int[shapeElement.GetArrayLength()];
        var k = 0;
        long count = 1;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var dim) || dim < 0)
            {
                throw new DataFormatException(path, $"{Where()}: shape entry {Clip(d.GetRawText())} is not a non-negative 32-bit integer");
            }

            shape[k++] = dim;
            count = dim == 0 || count == 0 ? 0 : count > Array.MaxLength / dim ? long.MaxValue : count * dim;
        }

        if (count > Array.MaxLength)
        {
            throw new DataFormatException(path, $"{Where()}: shape [{string.Join(", ", shape)}] holds more values than one tensor can");
        }

        if (!v.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64Safe(out var begin) || !offsets[1].TryGetInt64Safe(out var end))
        {
            throw new DataFormatException(path, $"{Where()}: 'data_offsets' must be [begin, end] integers");
        }

        if (begin < 0 || end < begin || end - begin != count * 4)
        {
            throw new DataFormatException(path, $"{Where()}: data_offsets [{begin}, {end}] do not match its shape [{string.Join(", ", shape)}] ({count} F32 values)");
        }

        if (end > dataLength)
        {
            throw new DataFormatException(path, $"{Where()}: data_offsets end {end} is beyond the {dataLength} data bytes (truncated file?)");
        }

        var rows = shape.Length >= 2 ? shape[0] : 1;
        var cols = shape.Length switch
        {
            0 => 1,
            1 => shape[0],
            _ => (int)(rows == 0 ? shape.Skip(1).Aggregate(1L, (a, b) => Math.Min(a * b, int.MaxValue)) : count / rows),
        };
        return new Entry(name, shape, begin, end, rows, cols);
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private const int MaxRank = 8;

    private sealed record Entry(string Name, int[] Shape, long Begin, long End, int Rows, int Cols);
}

/// <summary>JSON helpers of the safetensors reader.</summary>
internal static class SafeTensorsJson
{
    /// <summary>TryGetInt64 that is false (instead of throwing) for non-numbers.</summary>
    public static bool TryGetInt64Safe(this JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
    }
}
