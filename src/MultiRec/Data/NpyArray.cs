// An array read from a .npy file: its shape, dtype and raw little-endian bytes, with typed conversions.
using System.Runtime.InteropServices;

namespace MultiRec.Data;

/// <summary>A C-order array from a .npy file. The elements stay in their stored dtype until converted.</summary>
public sealed class NpyArray
{
    private readonly NpyDtype _dtype;
    private readonly byte[] _data;

    internal NpyArray(string source, NpyDtype dtype, int[] shape, byte[] data)
    {
        Source = source;
        _dtype = dtype;
        Shape = shape;
        _data = data;
        Length = data.Length / dtype.ItemSize;
    }

    /// <summary>The file it was read from (used in error messages).</summary>
    public string Source { get; }

    /// <summary>Shape; empty for a 0-d array.</summary>
    public int[] Shape { get; }

    /// <summary>The stored dtype in canonical form: "&lt;f4", "&lt;f8", "&lt;i4", "&lt;i8", "|u1" or "|b1".</summary>
    public string Dtype => _dtype.Descr;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>All elements as float32 (float64 values are rounded; integers converted).</summary>
    public float[] ToFloat32()
    {
        var result = new float[Length];
        switch (_dtype.Kind)
        {
            case NpyKind.Float32:
                MemoryMarshal.Cast<byte, float>(_data).CopyTo(result);
                break;
            case NpyKind.Float64:
                NpyConvert.Float64ToFloat32(MemoryMarshal.Cast<byte, double>(_data), result);
                break;
            default:
                var ints = ToInt64Values();
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = ints[i];
                }

                break;
        }

        return result;
    }

    /// <summary>All elements as float64.</summary>
    public double[] ToFloat64()
    {
        var result = new double[Length];
        switch (_dtype.Kind)
        {
            case NpyKind.Float32:
                var floats = MemoryMarshal.Cast<byte, float>(_data);
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = floats[i];
                }

                break;
            case NpyKind.Float64:
                MemoryMarshal.Cast<byte, double>(_data).CopyTo(result);
                break;
            default:
                var ints = ToInt64Values();
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = ints[i];
                }

                break;
        }

        return result;
    }

    /// <summary>All elements as int32, from an integer or boolean dtype (&lt;i4, &lt;i8, |u1, |b1). An &lt;i8 value
    /// outside the int32 range is an error naming the file and the element index.</summary>
    public int[] ToInt32()
    {
        if (_dtype.IsFloat)
        {
            throw new DataFormatException(Source, $"dtype '{Dtype}' holds floating-point values; an integer array was expected");
        }

        var wide = ToInt64Values();
        var result = new int[Length];
        for (var i = 0; i < result.Length; i++)
        {
            var v = wide[i];
            if (v is < int.MinValue or > int.MaxValue)
            {
                throw new DataFormatException(Source, $"element {i} = {v} does not fit in int32");
            }

            result[i] = (int)v;
        }

        return result;
    }

    private long[] ToInt64Values()
    {
        var result = new long[Length];
        switch (_dtype.Kind)
        {
            case NpyKind.Int32:
                var i32 = MemoryMarshal.Cast<byte, int>(_data);
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = i32[i];
                }

                break;
            case NpyKind.Int64:
                MemoryMarshal.Cast<byte, long>(_data).CopyTo(result);
                break;
            case NpyKind.UInt8:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = _data[i];
                }

                break;
            case NpyKind.Bool:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = _data[i] != 0 ? 1 : 0;
                }

                break;
            default:
                throw new InvalidOperationException($"dtype {Dtype} is not an integer type");
        }

        return result;
    }
}
