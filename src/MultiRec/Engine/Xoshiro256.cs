// The xoshiro256** generator core (Blackman & Vigna) with SplitMix64 seeding; a value type for per-block substreams.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MultiRec.Engine;

/// <summary>xoshiro256** state and step. Seeded from one 64-bit value through SplitMix64, as its authors recommend.</summary>
internal struct Xoshiro256
{
    public ulong S0, S1, S2, S3;

    public Xoshiro256(ulong seed)
    {
        var x = seed;
        S0 = SplitMix64(ref x);
        S1 = SplitMix64(ref x);
        S2 = SplitMix64(ref x);
        S3 = SplitMix64(ref x);
    }

    /// <summary>An independent stream for block <paramref name="block"/> of a fill keyed by <paramref name="streamSeed"/>.</summary>
    public static Xoshiro256 ForBlock(ulong streamSeed, long block)
    {
        var x = streamSeed ^ ((ulong)(block + 1) * 0xD1B54A32D192ED03UL);
        return new Xoshiro256(SplitMix64(ref x));
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
    {
        var result = BitOperations.RotateLeft(S1 * 5, 7) * 9;
        var t = S1 << 17;
        S2 ^= S0;
        S3 ^= S1;
        S1 ^= S2;
        S0 ^= S3;
        S2 ^= t;
        S3 = BitOperations.RotateLeft(S3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (every float of the form k / 2^24).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (Next() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A pair of independent standard normal values (Box–Muller in double precision).</summary>
    public (double, double) NextNormalPair()
    {
        var u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        return (radius * cos, radius * sin);
    }

    /// <summary>One step of SplitMix64 (Steele, Lea, Flood).</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
