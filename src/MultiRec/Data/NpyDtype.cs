// The .npy element types MultiRec reads: <f4 <f8 <i4 <i8 |u1 |b1 (little-endian only).
namespace MultiRec.Data;

/// <summary>Kinds of supported .npy elements.</summary>
internal enum NpyKind
{
    Float32,
    Float64,
    Int32,
    Int64,
    UInt8,
    Bool,
}

/// <summary>A supported dtype: its canonical descr string, element kind and size in bytes.</summary>
internal sealed record NpyDtype(string Descr, NpyKind Kind, int ItemSize)
{
    public static readonly NpyDtype Float32 = new("<f4", NpyKind.Float32, 4);
    public static readonly NpyDtype Float64 = new("<f8", NpyKind.Float64, 8);
    public static readonly NpyDtype Int32 = new("<i4", NpyKind.Int32, 4);
    public static readonly NpyDtype Int64 = new("<i8", NpyKind.Int64, 8);
    public static readonly NpyDtype UInt8 = new("|u1", NpyKind.UInt8, 1);
    public static readonly NpyDtype Bool = new("|b1", NpyKind.Bool, 1);

    private const string Supported = "<f4, <f8, <i4, <i8, |u1, |b1";

    public bool IsFloat => Kind is NpyKind.Float32 or NpyKind.Float64;

    /// <summary>Maps a header descr to a supported dtype, or throws naming the file and the dtype.</summary>
    public static NpyDtype Parse(string descr, string path)
    {
        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|' or '='))
        {
            throw new DataFormatException(path, $"unsupported dtype '{descr}' (supported: {Supported})");
        }

        var order = descr[0];
        var code = descr[1..];
        NpyDtype? type = code switch
        {
            "f4" => Float32,
            "f8" => Float64,
            "i4" => Int32,
            "i8" => Int64,
            "u1" => UInt8,
            "b1" => Bool,
            _ => null,
        };
        if (type is null)
        {
            throw new DataFormatException(path, $"unsupported dtype '{descr}' (supported: {Supported})");
        }

        var bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        if (type.ItemSize > 1 && bigEndian)
        {
            throw new DataFormatException(path, $"big-endian dtype '{descr}' is not supported (save the array little-endian, e.g. '<{code}')");
        }

        if (type.ItemSize > 1 && order == '|')
        {
            throw new DataFormatException(path, $"dtype '{descr}' has no byte order (expected '<{code}')");
        }

        return type;
    }
}
