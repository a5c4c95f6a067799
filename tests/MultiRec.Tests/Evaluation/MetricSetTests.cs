// Checks of the metric container (lookup, keys, round trip) and the console table.
using MultiRec.Evaluation;

namespace MultiRec.Tests.Evaluation;

public class MetricSetTests
{
    private static MetricSet Sample(double offset = 0)
    {
        var values = new Dictionary<string, double>();
        foreach (var metric in RankingMetrics.Names)
        {
            foreach (var k in new[] { 20, 5 })
            {
                values[$"{metric}@{k}"] = offset + (metric.Length / 100.0) + (k / 1000.0);
            }
        }

        return MetricSet.FromDictionary(values, usersEvaluated: 7);
    }

    [Fact]
    public void Get_IsCaseInsensitiveAndRejectsUnknownKeys()
    {
        var set = Sample();
        Assert.Equal([5, 20], set.Ks);
        Assert.Equal(7, set.UsersEvaluated);
        Assert.Equal(0.06 + 0.02, set.Get("recall", 20), 1e-15);
        Assert.Equal(set.Get("ndcg", 5), set.Get("NDCG", 5));
        Assert.Throws<KeyNotFoundException>(() => set.Get("recall", 10));
        Assert.Throws<KeyNotFoundException>(() => set.Get("hit", 5));
    }

    [Fact]
    public void ToDictionary_IsMetricMajorAndRoundTrips()
    {
        var set = Sample();
        var dictionary = set.ToDictionary();
        Assert.Equal(
            ["recall@5", "recall@20", "ndcg@5", "ndcg@20", "precision@5", "precision@20", "map@5", "map@20"],
            dictionary.Keys);
        Assert.Equal(dictionary, MetricSet.FromDictionary(dictionary, 7).ToDictionary());
    }

    [Fact]
    public void FromDictionary_RejectsBadOrIncompleteKeys()
    {
        Assert.Throws<ArgumentException>(() => MetricSet.FromDictionary(new Dictionary<string, double> { ["recall20"] = 1 }, 1));
        Assert.Throws<ArgumentException>(() => MetricSet.FromDictionary(new Dictionary<string, double> { ["recall@x"] = 1 }, 1));
        Assert.Throws<ArgumentException>(() => MetricSet.FromDictionary(new Dictionary<string, double> { ["recall@20"] = 1 }, 1));
    }

    [Fact]
    public void ToString_UsesFourDecimals()
    {
        var text = Sample().ToString();
        Assert.StartsWith("recall@5=0.0650 recall@20=0.0800 ndcg@5=0.0450", text);
        Assert.EndsWith("(users=7)", text);
    }

    [Fact]
    public void MetricTable_OneRowPerK_FourDecimals()
    {
        var table = MetricTable.Format(Sample(), Sample(0.5));
        var lines = table.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("K    | valid:    recall      ndcg precision       map | test:     recall      ndcg precision       map ", lines[0]);
        Assert.Equal("5    |           0.0650    0.0450    0.0950    0.0350 |           0.5650    0.5450    0.5950    0.5350 ", lines[1]);
        Assert.StartsWith("20   |           0.0800    0.0600", lines[2]);
        Assert.Equal("users: valid 7, test 7", lines[3]);
    }

    [Fact]
    public void MetricTable_ValidOnly_AndMismatchedCutoffsThrow()
    {
        var table = MetricTable.Format(Sample(), null);
        Assert.DoesNotContain("test", table);
        Assert.Contains("0.0650", table);
        var other = MetricSet.FromDictionary(new Dictionary<string, double> { ["recall@1"] = 0, ["ndcg@1"] = 0, ["precision@1"] = 0, ["map@1"] = 0 }, 1);
        Assert.Throws<ArgumentException>(() => MetricTable.Format(Sample(), other));
    }
}
