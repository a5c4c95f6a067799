// Element conversions and checks shared by the .npy reader: float64 -> float32, finiteness scan.
namespace MultiRec.Data;

internal static class NpyConvert
{
    /// <summary>Rounds each float64 to the nearest float32 (as numpy's astype(float32) does).</summary>
    public static void Float64ToFloat32(ReadOnlySpan<double> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }

    /// <summary>Index of the first NaN or infinity, or -1 when every value is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
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
}
