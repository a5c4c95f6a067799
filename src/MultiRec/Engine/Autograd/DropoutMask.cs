// Counter-based dropout masks: entry i of a mask is a pure function of (seed, i), so masks are reproducible,
// independent of the thread count, and any subset of rows can be drawn without drawing the rest.
namespace MultiRec.Engine.Autograd;

/// <summary>Draws dropout keep/drop decisions from SplitMix64 outputs indexed by entry position.</summary>
internal static class DropoutMask
{
    /// <summary>The 32-bit threshold below which an entry is dropped (probability p).</summary>
    public static ulong DropThreshold(double p) => p >= 1 ? 1UL << 32 : (ulong)Math.Round(p * 4294967296.0);

    /// <summary>The value a kept entry is multiplied by: 1 / (1 - p) (0 when p = 1, when every entry is dropped).</summary>
    public static float KeepScale(double p) => p >= 1 ? 0f : (float)(1.0 / (1.0 - p));

    /// <summary>Throws unless p is a probability.</summary>
    public static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability {p} is outside [0, 1]");
        }
    }

    /// <summary>True when entry <paramref name="index"/> is kept for this seed.</summary>
    public static bool Keep(ulong seed, long index, ulong dropThreshold)
        => (Mix(seed + ((ulong)(index + 1) * 0x9E3779B97F4A7C15UL)) >> 32) >= dropThreshold;

    /// <summary>dst[c] = keep(entry rowIndex*cols + c) ? scale * src[c] : 0 for one row.</summary>
    public static void ApplyRow(ReadOnlySpan<float> src, Span<float> dst, long rowIndex, ulong seed, ulong dropThreshold, float scale)
    {
        var baseIndex = rowIndex * src.Length;
        for (var c = 0; c < src.Length; c++)
        {
            dst[c] = Keep(seed, baseIndex + c, dropThreshold) ? src[c] * scale : 0f;
        }
    }

    /// <summary>SplitMix64's output function (Steele, Lea and Flood 2014).</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
