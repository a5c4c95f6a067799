// Plain-text table of evaluation results: one row per K, recall/ndcg/precision/map columns, 4 decimals.
using System.Globalization;
using System.Text;

namespace MultiRec.Evaluation;

/// <summary>Formats metric sets for the console, e.g.
/// <code>
///   K   | valid: recall    ndcg  precision     map | test: recall    ndcg  precision     map
///   5   |        0.0123  0.0456     0.0078  0.0034 |       0.0120  0.0450     0.0076  0.0031
/// </code></summary>
public static class MetricTable
{
    /// <summary>One row per cut-off; the test columns appear only when <paramref name="test"/> is given,
    /// and then both sets must have the same cut-offs.</summary>
    public static string Format(MetricSet valid, MetricSet? test)
    {
        if (test is not null && !valid.Ks.SequenceEqual(test.Ks))
        {
            throw new ArgumentException(
                $"valid and test cut-offs differ ([{string.Join(", ", valid.Ks)}] vs [{string.Join(", ", test.Ks)}])", nameof(test));
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"K",-5}");
        AppendHeader(text, "valid:");
        if (test is not null)
        {
            AppendHeader(text, "test: ");
        }

        text.Append('\n');
        foreach (var k in valid.Ks)
        {
            text.Append(CultureInfo.InvariantCulture, $"{k,-5}");
            AppendValues(text, valid, k);
            if (test is not null)
            {
                AppendValues(text, test, k);
            }

            text.Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"users: valid {valid.UsersEvaluated}");
        if (test is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", test {test.UsersEvaluated}");
        }

        return text.Append('\n').ToString();
    }

    private static void AppendHeader(StringBuilder text, string split)
    {
        text.Append(CultureInfo.InvariantCulture, $"| {split}");
        foreach (var metric in RankingMetrics.Names)
        {
            text.Append(CultureInfo.InvariantCulture, $" {metric,9}");
        }

        text.Append(' ');
    }

    private static void AppendValues(StringBuilder text, MetricSet set, int k)
    {
        text.Append("|       ");
        foreach (var metric in RankingMetrics.Names)
        {
            text.Append(CultureInfo.InvariantCulture, $" {set.Get(metric, k),9:F4}");
        }

        text.Append(' ');
    }
}
