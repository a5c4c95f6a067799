// A small deterministic random generator (SplitMix64) for the data layer: identical streams on every platform
// and .NET version, so splits and synthetic catalogs are reproducible from their seed.
namespace MultiRec.Data;

/// <summary>SplitMix64: 64-bit state, one add and a mixing function per draw. Not for cryptography.</summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;
    private double? _spareGaussian;

    /// <summary>A generator for sub-stream <paramref name="stream"/> of <paramref name="seed"/>, e.g. one per item
    /// row, so that parallel work draws the same numbers whatever the thread count.</summary>
    public static SeededRandom ForStream(int seed, long stream, ulong purpose = 0) =>
        new(Mix(((ulong)(uint)seed << 32) ^ Mix((ulong)stream + (purpose * 0x9E3779B97F4A7C15UL))));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var bound = (ulong)n;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var product = Math.BigMul(NextUInt64(), bound, out var low);
            if (low >= threshold)
            {
                return (int)product;
            }
        }
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in the open interval (0, 1): safe under a logarithm.</summary>
    public double NextOpenUnit() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Standard normal draw (Box-Muller, pairs cached).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        var u1 = NextOpenUnit();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
