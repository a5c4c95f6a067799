// Reader and writer of the safetensors format (8-byte header length, JSON header, raw little-endian F32 data).
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Training.Checkpoints;

/// <summary>A named float32 tensor with the shape recorded in the file (1-D biases stay 1-D for PyTorch interop).</summary>
public sealed record NamedTensor(string Name, int[] Shape, Tensor Value);

/// <summary>Contents of a safetensors file: tensors by name, in file order, and the string metadata.</summary>
public sealed class SafeTensorsFile
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

    /// <summary>Reads a safetensors file of F32 tensors; malformed files raise DataFormatException naming the file.</summary>
    public static SafeTensorsFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "file not found");
        }

        using var stream = File.OpenRead(path);
        Span<byte> len = stackalloc byte[8];
        if (stream.ReadAtLeast(len, 8, throwOnEndOfStream: false) < 8)
        {
            throw new DataFormatException(path, "truncated safetensors file (no header length)");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength == 0 || headerLength > 100_000_000 || (long)headerLength > stream.Length - 8)
        {
            throw new DataFormatException(path, $"invalid safetensors header length {headerLength}");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, "safetensors header is not valid JSON: " + e.Message);
        }

        using (doc)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        metadata[m.Name] = m.Value.GetString() ?? "";
                    }

                    continue;
                }

                var dtype = prop.Value.GetProperty("dtype").GetString();
                if (dtype != "F32")
                {
                    throw new DataFormatException(path, $"tensor '{prop.Name}': dtype {dtype} is not supported (F32 only)");
                }

                var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long count = shape.Aggregate(1L, (a, b) => a * b);
                if (offsets.Length != 2 || offsets[1] - offsets[0] != count * 4 || dataStart + offsets[1] > stream.Length)
                {
                    throw new DataFormatException(path, $"tensor '{prop.Name}': data offsets do not match its shape or the file is truncated");
                }

                entries.Add((prop.Name, shape, offsets[0], offsets[1]));
            }

            var tensors = new List<NamedTensor>(entries.Count);
            foreach (var (name, shape, begin, _) in entries.OrderBy(e => e.Begin))
            {
                var rows = shape.Length >= 2 ? shape[0] : 1;
                var cols = shape.Length switch
                {
                    0 => 1,
                    1 => shape[0],
                    _ => shape.Skip(1).Aggregate(1, (a, b) => a * b),
                };
                var tensor = new Tensor(rows, cols);
                stream.Position = dataStart + begin;
                stream.ReadExactly(MemoryMarshal.AsBytes(tensor.AsSpan()));
                tensors.Add(new NamedTensor(name, shape, tensor));
            }

            return new SafeTensorsFile(tensors, metadata);
        }
    }
}
