// Per-user ranking metrics (MMRec formulas) as pure functions of a hit vector and the held-out count.
namespace MultiRec.Evaluation;

/// <summary>
/// The per-user metrics of the MMRec evaluator. <c>hits[i]</c> tells whether the item ranked i+1 is held out
/// for the user; a hit vector shorter than K (fewer candidates than K) counts the missing ranks as misses.
/// <c>relevantCount</c> is n_u, the number of held-out items of the user (at least 1).
/// </summary>
public static class RankingMetrics
{
    /// <summary>Metric names, in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["recall", "ndcg", "precision", "map"];

    /// <summary>Recall@K = hits in the top K / n_u (the full n_u, not min(n_u, K)).</summary>
    public static double Recall(ReadOnlySpan<bool> hits, int relevantCount, int k)
    {
        CheckArguments(relevantCount, k);
        return (double)CountHits(hits, k) / relevantCount;
    }

    /// <summary>Precision@K = hits in the top K / K.</summary>
    public static double Precision(ReadOnlySpan<bool> hits, int k)
    {
        CheckArguments(1, k);
        return (double)CountHits(hits, k) / k;
    }

    /// <summary>NDCG@K with binary gains: Σ_{r≤K} hit_r / log2(r+1) divided by Σ_{r≤min(n_u,K)} 1 / log2(r+1).</summary>
    public static double Ndcg(ReadOnlySpan<bool> hits, int relevantCount, int k)
    {
        CheckArguments(relevantCount, k);
        var limit = Math.Min(hits.Length, k);
        double dcg = 0;
        for (var r = 0; r < limit; r++)
        {
            if (hits[r])
            {
                dcg += 1.0 / Math.Log2(r + 2);
            }
        }

        double idcg = 0;
        var idealHits = Math.Min(relevantCount, k);
        for (var r = 0; r < idealHits; r++)
        {
            idcg += 1.0 / Math.Log2(r + 2);
        }

        return dcg / idcg;
    }

    /// <summary>The user's term of MAP@K: (1 / min(n_u, K)) Σ_{r≤K} P@r · hit_r.</summary>
    public static double AveragePrecision(ReadOnlySpan<bool> hits, int relevantCount, int k)
    {
        CheckArguments(relevantCount, k);
        var limit = Math.Min(hits.Length, k);
        double sum = 0;
        var hitsSoFar = 0;
        for (var r = 0; r < limit; r++)
        {
            if (hits[r])
            {
                hitsSoFar++;
                sum += (double)hitsSoFar / (r + 1);
            }
        }

        return sum / Math.Min(relevantCount, k);
    }

    /// <summary>The named metric ("recall", "ndcg", "precision" or "map") at K.</summary>
    public static double Compute(string metric, ReadOnlySpan<bool> hits, int relevantCount, int k) => metric switch
    {
        "recall" => Recall(hits, relevantCount, k),
        "ndcg" => Ndcg(hits, relevantCount, k),
        "precision" => Precision(hits, k),
        "map" => AveragePrecision(hits, relevantCount, k),
        _ => throw new ArgumentException($"unknown metric '{metric}'; expected one of {string.Join(", ", Names)}", nameof(metric)),
    };

    private static int CountHits(ReadOnlySpan<bool> hits, int k)
    {
        var limit = Math.Min(hits.Length, k);
        var count = 0;
        for (var r = 0; r < limit; r++)
        {
            if (hits[r])
            {
                count++;
            }
        }

        return count;
    }

    private static void CheckArguments(int relevantCount, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(relevantCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
    }
}
