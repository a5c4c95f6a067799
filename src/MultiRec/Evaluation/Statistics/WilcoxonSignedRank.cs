// The paired Wilcoxon signed-rank test (two-sided, normal approximation), for per-user metrics of two models.
using MathNet.Numerics.Distributions;

namespace MultiRec.Evaluation.Statistics;

/// <summary>The outcome of a signed-rank test: the smaller rank sum, the number of non-zero differences, z and
/// the two-sided p-value; <see cref="MeanDifference"/> says which side is ahead (first minus second, over all pairs).</summary>
public sealed record SignedRankResult(double Statistic, int NonZero, double Z, double PValue, double MeanDifference);

/// <summary>
/// Wilcoxon's signed-rank test of paired samples: differences d = a − b; zero differences are dropped (Wilcoxon's
/// rule); the |d| are ranked with average ranks for ties; the statistic is the smaller of the positive and negative
/// rank sums; z uses the tie-corrected variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48 and no continuity correction; the
/// p-value is two-sided from the standard normal. This is scipy's
/// <c>wilcoxon(a, b, zero_method="wilcox", correction=False, mode="approx")</c>; with the thousands of users of a
/// recommendation test split the normal approximation is accurate.
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>The paired two-sided test of <paramref name="a"/> against <paramref name="b"/> (equal lengths).</summary>
    public static SignedRankResult Test(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"paired samples need equal lengths ({a.Length} and {b.Length})");
        }

        var differences = new List<double>(a.Length);
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            if (double.IsNaN(d))
            {
                throw new ArgumentException($"pair {i} is not a number");
            }

            sum += d;
            if (d != 0)
            {
                differences.Add(d);
            }
        }

        var meanDifference = a.Length == 0 ? 0 : sum / a.Length;
        var n = differences.Count;
        if (n == 0)
        {
            return new SignedRankResult(0, 0, 0, 1, meanDifference);
        }

        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(differences[i])).ToArray();
        double positive = 0, negative = 0, tieTerm = 0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            var magnitude = Math.Abs(differences[order[start]]);
            while (end < n && Math.Abs(differences[order[end]]) == magnitude)
            {
                end++;
            }

            var rank = (start + end + 1) / 2.0; // ranks start+1 .. end, averaged
            for (var j = start; j < end; j++)
            {
                if (differences[order[j]] > 0)
                {
                    positive += rank;
                }
                else
                {
                    negative += rank;
                }
            }

            double t = end - start;
            tieTerm += (t * t * t) - t;
            start = end;
        }

        var statistic = Math.Min(positive, negative);
        var mean = n * (n + 1) / 4.0;
        var variance = (n * (n + 1.0) * ((2.0 * n) + 1) / 24.0) - (tieTerm / 48.0);
        var z = variance > 0 ? (statistic - mean) / Math.Sqrt(variance) : 0;
        var p = Math.Min(1.0, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new SignedRankResult(statistic, n, z, p, meanDifference);
    }
}
