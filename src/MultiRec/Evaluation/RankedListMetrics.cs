// All per-user metrics at every cut-off in one pass over a ranked list, with the discounts precomputed.
namespace MultiRec.Evaluation;

/// <summary>
/// Computes the values of <see cref="RankingMetrics"/> (Recall, NDCG, Precision, MAP) at each cut-off for one
/// user's ranked list in a single pass. The arithmetic is the same as <see cref="RankingMetrics"/>'s, term by term
/// and in the same order (the discounts 1 / log2(r + 2) and ideal DCGs are tabulated once), so the results are
/// bit-identical. Immutable after construction; safe to share between threads.
/// </summary>
internal sealed class RankedListMetrics
{
    private readonly int[] _ks;
    private readonly double[] _discount; // [r] = 1 / log2(r + 2)
    private readonly double[] _idealDcg; // [m] = sum of the first m discounts, summed in rank order

    /// <summary>Metrics at the given ascending, distinct cut-offs.</summary>
    public RankedListMetrics(int[] ks)
    {
        _ks = ks;
        var kMax = ks[^1];
        _discount = new double[kMax];
        _idealDcg = new double[kMax + 1];
        for (var r = 0; r < kMax; r++)
        {
            _discount[r] = 1.0 / Math.Log2(r + 2);
            _idealDcg[r + 1] = _idealDcg[r] + _discount[r];
        }
    }

    /// <summary>Number of values written per user: one per metric and cut-off.</summary>
    public int ValuesPerUser => RankingMetrics.Names.Count * _ks.Length;

    /// <summary>Writes metric-major values (<see cref="RankingMetrics.Names"/> order, then cut-offs) for a ranked
    /// list (best first, possibly shorter than the largest cut-off) against the user's held-out items
    /// (sorted ascending, at least one).</summary>
    public void Compute(ReadOnlySpan<int> ranked, ReadOnlySpan<int> heldOutSorted, Span<double> output)
    {
        var relevant = heldOutSorted.Length;
        var cutoffs = _ks.Length;
        var hits = 0;
        double dcg = 0;
        double precisionSum = 0;
        var next = 0; // index of the next cut-off to write
        var limit = Math.Min(ranked.Length, _ks[^1]);
        for (var r = 0; r < limit; r++)
        {
            if (heldOutSorted.BinarySearch(ranked[r]) >= 0)
            {
                hits++;
                dcg += _discount[r];
                precisionSum += (double)hits / (r + 1);
            }

            while (next < cutoffs && _ks[next] == r + 1)
            {
                Write(next++, hits, dcg, precisionSum, relevant, output);
            }
        }

        while (next < cutoffs)
        {
            Write(next++, hits, dcg, precisionSum, relevant, output); // cut-offs beyond the list: missing ranks are misses
        }
    }

    /// <summary>The four metrics at cut-off index ki from the running sums up to that cut-off.</summary>
    private void Write(int ki, int hits, double dcg, double precisionSum, int relevant, Span<double> output)
    {
        var k = _ks[ki];
        var cutoffs = _ks.Length;
        output[ki] = (double)hits / relevant;
        output[cutoffs + ki] = dcg / _idealDcg[Math.Min(relevant, k)];
        output[(2 * cutoffs) + ki] = (double)hits / k;
        output[(3 * cutoffs) + ki] = precisionSum / Math.Min(relevant, k);
    }
}
