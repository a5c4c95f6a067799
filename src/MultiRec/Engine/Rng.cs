// Seeded random numbers (xoshiro256**, seeded by SplitMix64) for initialisation and shuffling; exportable state.
using System.Globalization;

namespace MultiRec.Engine;

/// <summary>A deterministic generator: the same seed gives the same sequence on every machine.</summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public Rng(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix(ref sm);
        _s1 = SplitMix(ref sm);
        _s2 = SplitMix(ref sm);
        _s3 = SplitMix(ref sm);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var threshold = (uint)(-bound) % (uint)bound;
        while (true)
        {
            var product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
            if ((uint)product >= threshold)
            {
                return (int)(product >> 32);
            }
        }
    }

    /// <summary>Standard normal by the Box–Muller transform (pairs are cached).</summary>
    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u1;
        do
        {
            u1 = NextDouble();
        }
        while (u1 <= double.Epsilon);
        var u2 = NextDouble();
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>The full state as text (for checkpoints).</summary>
    public string ExportState() => string.Join(',', new[] { _s0, _s1, _s2, _s3 }.Select(x => x.ToString(CultureInfo.InvariantCulture)))
        + (_spareNormal is { } s ? "," + BitConverter.DoubleToInt64Bits(s).ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>Restores a state written by <see cref="ExportState"/>.</summary>
    public void ImportState(string state)
    {
        var parts = state.Split(',');
        if (parts.Length is not (4 or 5))
        {
            throw new FormatException($"invalid RNG state '{state}'");
        }

        _s0 = ulong.Parse(parts[0], CultureInfo.InvariantCulture);
        _s1 = ulong.Parse(parts[1], CultureInfo.InvariantCulture);
        _s2 = ulong.Parse(parts[2], CultureInfo.InvariantCulture);
        _s3 = ulong.Parse(parts[3], CultureInfo.InvariantCulture);
        _spareNormal = parts.Length == 5 ? BitConverter.Int64BitsToDouble(long.Parse(parts[4], CultureInfo.InvariantCulture)) : null;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
