// Seeds derived from the run seed: one per optimizer step and one per epoch, so a model's randomness is a function
// of (seed, position) and resume needs no saved random state.
namespace MultiRec.Models.Common;

/// <summary>SplitMix64-style derivation of independent 64-bit seeds.</summary>
internal static class Seeds
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong EpochSalt = 0xE90C0E90C0E90C0EUL;

    /// <summary>The seed of global optimizer step <paramref name="globalStep"/> (0-based) of a run.</summary>
    public static ulong ForStep(long runSeed, long globalStep) => Derive(Mix((ulong)runSeed), (ulong)globalStep);

    /// <summary>The seed of epoch <paramref name="epoch"/> (1-based) of a run.</summary>
    public static ulong ForEpoch(long runSeed, int epoch) => Derive(Mix((ulong)runSeed ^ EpochSalt), (ulong)epoch);

    /// <summary>Stream <paramref name="index"/> of a seed (e.g. one per dropout target within a step).</summary>
    public static ulong Derive(ulong seed, ulong index) => Mix(seed + ((index + 1) * Golden));

    /// <summary>The SplitMix64 finaliser.</summary>
    public static ulong Mix(ulong z)
    {
        z += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
