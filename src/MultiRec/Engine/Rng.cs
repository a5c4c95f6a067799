// Seeded random numbers for initialisation, shuffling and dropout, reproducible for any thread count.
namespace MultiRec.Engine;

/// <summary>The state of an <see cref="Rng"/>, for checkpoints (four 64-bit words of xoshiro256**).</summary>
internal readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3);

/// <summary>A seeded xoshiro256** generator. Sequential draws come from the main stream. Tensor fills
/// (<see cref="FillUniform"/>, <see cref="FillNormal"/>, <see cref="FillBernoulli"/>, <see cref="FillDropoutMask"/>)
/// take one 64-bit key from the main stream and fill fixed blocks of <see cref="FillBlockLength"/> entries from
/// substreams derived from (key, block index), in parallel; so a fill's result depends only on the generator's state
/// and the tensor's length, never on the thread count. Not thread-safe: one instance per consumer.</summary>
internal sealed class Rng
{
    /// <summary>Entries per independently seeded block of a tensor fill.</summary>
    public const int FillBlockLength = 4096;

    private Xoshiro256 _state;

    /// <summary>A generator seeded from one 64-bit value (expanded by SplitMix64).</summary>
    public Rng(ulong seed)
    {
        _state = new Xoshiro256(seed);
    }

    /// <summary>A generator resumed from a saved state.</summary>
    public Rng(RngState state)
    {
        ImportState(state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => _state.Next();

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt32() => (uint)(_state.Next() >> 32);

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => _state.NextFloat();

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _state.NextDouble();

    /// <summary>Uniform integer in [0, maxExclusive), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var range = (ulong)maxExclusive;
        var product = (ulong)NextUInt32() * range;
        if ((uint)product < range)
        {
            var threshold = (uint)((0x1_0000_0000UL - range) % range);
            while ((uint)product < threshold)
            {
                product = (ulong)NextUInt32() * range;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>A normal draw with the given mean and standard deviation (one Box–Muller pair per call).</summary>
    public float Normal(float mean = 0f, float std = 1f) => (float)(mean + (std * _state.NextNormalPair().Item1));

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A new generator seeded from this one's next output (an independent stream).</summary>
    public Rng Fork() => new(NextUInt64());

    /// <summary>The current state, for checkpoints.</summary>
    public RngState ExportState() => new(_state.S0, _state.S1, _state.S2, _state.S3);

    /// <summary>Restores a state from <see cref="ExportState"/>.</summary>
    public void ImportState(RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("the all-zero xoshiro256** state is invalid", nameof(state));
        }

        _state = new Xoshiro256 { S0 = state.S0, S1 = state.S1, S2 = state.S2, S3 = state.S3 };
    }

    /// <summary>Every entry uniform on [low, high) (float rounding of low + (high - low) * u may reach high).</summary>
    public void FillUniform(Tensor t, float low, float high)
    {
        var width = high - low;
        FillBlocks(t, (ref Xoshiro256 g, Span<float> block) =>
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = low + (width * g.NextFloat());
            }
        });
    }

    /// <summary>Every entry normal with the given mean and standard deviation.</summary>
    public void FillNormal(Tensor t, float mean, float std)
    {
        FillBlocks(t, (ref Xoshiro256 g, Span<float> block) =>
        {
            for (var i = 0; i < block.Length; i += 2)
            {
                var (z0, z1) = g.NextNormalPair();
                block[i] = (float)(mean + (std * z0));
                if (i + 1 < block.Length)
                {
                    block[i + 1] = (float)(mean + (std * z1));
                }
            }
        });
    }

    /// <summary>Every entry 1 with probability <paramref name="probability"/>, else 0.</summary>
    public void FillBernoulli(Tensor mask, float probability)
    {
        CheckProbability(probability);
        FillBlocks(mask, (ref Xoshiro256 g, Span<float> block) =>
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = g.NextFloat() < probability ? 1f : 0f;
            }
        });
    }

    /// <summary>An inverted-dropout mask as torch.nn.functional.dropout applies it: each entry is 0 with probability
    /// <paramref name="dropProbability"/>, else 1 / (1 - p). Multiply activations by it elementwise.</summary>
    public void FillDropoutMask(Tensor mask, float dropProbability)
    {
        CheckProbability(dropProbability);
        var keepScale = dropProbability >= 1f ? 0f : 1f / (1f - dropProbability);
        FillBlocks(mask, (ref Xoshiro256 g, Span<float> block) =>
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = g.NextFloat() < dropProbability ? 0f : keepScale;
            }
        });
    }

    private delegate void BlockFiller(ref Xoshiro256 generator, Span<float> block);

    private void FillBlocks(Tensor t, BlockFiller fill)
    {
        var key = NextUInt64();
        var length = t.Length;
        var blocks = (length + FillBlockLength - 1) / FillBlockLength;
        ParallelRanges.For(blocks, FillBlockLength * 4L, (start, end) =>
        {
            for (var b = start; b < end; b++)
            {
                var g = Xoshiro256.ForBlock(key, b);
                var offset = b * FillBlockLength;
                fill(ref g, t.Data.AsSpan(offset, Math.Min(FillBlockLength, length - offset)));
            }
        });
    }

    private static void CheckProbability(float p)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"probability {p} is outside [0, 1]");
        }
    }
}
