// The result of one evaluation: Recall, NDCG, Precision and MAP at each K, averaged over evaluated users.
using System.Globalization;

namespace MultiRec.Evaluation;

/// <summary>
/// Mean Recall, NDCG, Precision and MAP at each cut-off K over the evaluated users, kept at full precision
/// (format with 4 decimals for display, as the reference does). Keys are "recall@20", "ndcg@20", "precision@20", "map@20".
/// </summary>
public sealed class MetricSet
{
    private readonly int[] _ks;
    private readonly double[] _values; // [metric index * Ks.Count + k index]
    private readonly int[] _users; // evaluated users, ascending (empty when the set was rebuilt from means)
    private readonly double[] _perUser; // per user position, that user's values laid out as _values

    /// <summary>Builds a set from values laid out metric-major in <see cref="RankingMetrics.Names"/> order,
    /// then by the given (ascending, distinct) cut-offs.</summary>
    internal MetricSet(int[] ks, double[] values, int usersEvaluated, int[]? users = null, double[]? perUser = null)
    {
        if (values.Length != ks.Length * RankingMetrics.Names.Count)
        {
            throw new ArgumentException("one value per metric and cut-off is required", nameof(values));
        }

        _ks = ks;
        _values = values;
        UsersEvaluated = usersEvaluated;
        _users = users ?? [];
        _perUser = perUser ?? [];
    }

    /// <summary>True when the per-user values behind the means are available (a fresh evaluation, not a set
    /// rebuilt from a log).</summary>
    public bool HasPerUser => _users.Length == UsersEvaluated && UsersEvaluated > 0;

    /// <summary>The evaluated users (ascending ids) and each one's value of a metric at cut-off k, whose mean is
    /// <see cref="Get"/> (for paired significance tests between models).</summary>
    public (int[] Users, double[] Values) PerUser(string metric, int k)
    {
        _ = Get(metric, k); // validates the name and the cut-off
        if (!HasPerUser)
        {
            throw new InvalidOperationException("this metric set holds means only (it was not produced by an evaluation)");
        }

        var offset = (IndexOfMetric(metric) * _ks.Length) + Array.IndexOf(_ks, k); // metric-major, as the means
        var stride = RankingMetrics.Names.Count * _ks.Length;
        var values = new double[_users.Length];
        for (var u = 0; u < values.Length; u++)
        {
            values[u] = _perUser[(u * stride) + offset];
        }

        return ((int[])_users.Clone(), values);
    }

    /// <summary>The cut-offs, ascending.</summary>
    public IReadOnlyList<int> Ks => _ks;

    /// <summary>Number of users averaged over (users with at least one held-out item).</summary>
    public int UsersEvaluated { get; }

    /// <summary>The mean of a metric ("recall", "ndcg", "precision" or "map", any case) at cut-off k.</summary>
    public double Get(string metric, int k)
    {
        var m = IndexOfMetric(metric);
        var ki = Array.IndexOf(_ks, k);
        if (m < 0 || ki < 0)
        {
            throw new KeyNotFoundException($"no metric {metric}@{k} in this set (cut-offs: {string.Join(", ", _ks)})");
        }

        return _values[(m * _ks.Length) + ki];
    }

    /// <summary>All values keyed "metric@K", metric-major (recall@5, recall@10, …, map@50) like the reference's log.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var result = new Dictionary<string, double>(_values.Length);
        for (var m = 0; m < RankingMetrics.Names.Count; m++)
        {
            for (var ki = 0; ki < _ks.Length; ki++)
            {
                result[Key(RankingMetrics.Names[m], _ks[ki])] = _values[(m * _ks.Length) + ki];
            }
        }

        return result;
    }

    /// <summary>Rebuilds a set from "metric@K" keys (e.g. read back from a metrics log). Every metric must be
    /// present at every K that appears.</summary>
    public static MetricSet FromDictionary(IReadOnlyDictionary<string, double> values, int usersEvaluated)
    {
        var ks = new SortedSet<int>();
        foreach (var key in values.Keys)
        {
            var at = key.IndexOf('@', StringComparison.Ordinal);
            if (at < 0 || IndexOfMetric(key[..at]) < 0
                || !int.TryParse(key.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1)
            {
                throw new ArgumentException($"'{key}' is not a metric key like \"recall@20\"", nameof(values));
            }

            ks.Add(k);
        }

        var ksArray = ks.ToArray();
        var flat = new double[ksArray.Length * RankingMetrics.Names.Count];
        for (var m = 0; m < RankingMetrics.Names.Count; m++)
        {
            for (var ki = 0; ki < ksArray.Length; ki++)
            {
                var key = Key(RankingMetrics.Names[m], ksArray[ki]);
                if (!values.TryGetValue(key, out var value))
                {
                    throw new ArgumentException($"metric '{key}' is missing", nameof(values));
                }

                flat[(m * ksArray.Length) + ki] = value;
            }
        }

        return new MetricSet(ksArray, flat, usersEvaluated);
    }

    /// <summary>One line, "recall@5=0.1234 … map@50=0.0123 (users=N)", 4 decimals.</summary>
    public override string ToString() =>
        string.Join(" ", ToDictionary().Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:F4}")))
        + $" (users={UsersEvaluated})";

    private static string Key(string metric, int k) => string.Create(CultureInfo.InvariantCulture, $"{metric}@{k}");

    private static int IndexOfMetric(string metric)
    {
        for (var m = 0; m < RankingMetrics.Names.Count; m++)
        {
            if (string.Equals(RankingMetrics.Names[m], metric, StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        return -1;
    }
}
