// Seeded weighted sampling without replacement (the role torch.multinomial(p, k) plays in FREEDOM's edge pruning).
using MultiRec.Engine;

namespace MultiRec.Models.Common;

/// <summary>Efraimidis–Spirakis exponential keys: each index e with weight w_e &gt; 0 gets key E_e / w_e with E_e ~
/// Exp(1); the k smallest keys are a weighted sample without replacement (the same law as drawing one index at a time
/// with probability ∝ weight among those not drawn yet). Depends only on (weights, k, seed).</summary>
internal static class WeightedSampler
{
    /// <summary>k distinct indices, in increasing key order (the draw order). Zero-weight indices are never drawn;
    /// k may not exceed the number of positive weights.</summary>
    public static int[] WithoutReplacement(ReadOnlySpan<float> weights, int k, ulong seed)
    {
        var positive = 0;
        foreach (var w in weights)
        {
            if (w < 0 || !float.IsFinite(w))
            {
                throw new ArgumentException($"weights must be finite and non-negative, got {w}");
            }

            positive += w > 0 ? 1 : 0;
        }

        if (k < 0 || k > positive)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"cannot draw {k} of {positive} indices with positive weight");
        }

        var rng = new Rng(seed);
        var keys = new (double Key, int Index)[weights.Length];
        for (var e = 0; e < weights.Length; e++)
        {
            var exponential = -Math.Log(1.0 - rng.NextDouble()); // Exp(1); 1 − u is in (0, 1]
            keys[e] = (weights[e] > 0 ? exponential / weights[e] : double.PositiveInfinity, e);
        }

        Array.Sort(keys);
        return keys[..k].Select(x => x.Index).ToArray();
    }
}
