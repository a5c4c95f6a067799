// report.html: one self-contained page per run with the metrics table, the curves, the data summary and the config.
using System.Globalization;
using System.Net;
using System.Text;
using MultiRec.Data;
using MultiRec.Evaluation;

namespace MultiRec.Training.Reporting;

/// <summary>Renders a finished run as one HTML page; the curve chart is embedded as a data URI, so the file stands alone.</summary>
internal static class RunReportHtml
{
    public static string Render(TrainingResult r, Dataset data, string resolvedConfig, byte[]? curvesPng)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html>");
        sb.Append("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode($"{r.Model} on {r.Dataset}")).AppendLine("</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:14px;margin:1em 0}"
            + "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child{text-align:left}"
            + "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:13px}img{max-width:100%}</style></head><body>");
        sb.Append("<h1>").Append(Encode($"{r.Model} on {r.Dataset}")).AppendLine("</h1>");
        sb.Append("<p>").Append(Encode(string.Create(inv,
            $"Best epoch (by valid {r.ValidMetric}): {r.BestEpoch} of {r.EpochsRun} run; stopped by {r.StoppedBy}. Wall time {r.SecondsTotal:F1} s; median {r.SecondsPerEpoch:F2} s per training epoch and {r.SecondsPerEvaluation:F2} s per evaluation; {r.Threads} threads.")))
            .AppendLine("</p>");

        sb.AppendLine("<h2>Metrics at the best epoch</h2>");
        foreach (var (split, values, users) in new[] { ("valid", r.Valid, r.ValidUsers), ("test", r.Test, r.TestUsers) })
        {
            if (values is null)
            {
                continue;
            }

            var set = MetricSet.FromDictionary(values, users);
            sb.Append("<table><caption>").Append(split).Append(" (").Append(users.ToString(inv)).AppendLine(" users)</caption>");
            sb.Append("<tr><th>K</th>").Append(string.Concat(RankingMetrics.Names.Select(m => $"<th>{Encode(m)}</th>"))).AppendLine("</tr>");
            foreach (var k in set.Ks)
            {
                sb.Append("<tr><th>").Append(k.ToString(inv)).Append("</th>")
                    .Append(string.Concat(RankingMetrics.Names.Select(m => $"<td>{set.Get(m, k).ToString("F4", inv)}</td>"))).AppendLine("</tr>");
            }

            sb.AppendLine("</table>");
        }

        if (curvesPng is not null)
        {
            sb.Append("<h2>Training curves</h2><img alt=\"training loss and valid metric per epoch\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(curvesPng)).AppendLine("\">");
        }

        sb.AppendLine("<h2>Data</h2><table>");
        Row(sb, "dataset", $"{data.Name} ({data.InterFile})");
        Row(sb, "users", data.Users.ToString("N0", inv));
        Row(sb, "items", data.Items.ToString("N0", inv));
        Row(sb, "interactions", data.InteractionCount.ToString("N0", inv));
        Row(sb, "train / valid / test rows", $"{data.TrainUsers.Length.ToString("N0", inv)} / {data.ValidRows.ToString("N0", inv)} / {data.TestRows.ToString("N0", inv)}");
        Row(sb, "dropped valid / test rows (user without training row)", $"{data.DroppedValidRows.ToString(inv)} / {data.DroppedTestRows.ToString(inv)}");
        Row(sb, "features", data.Features.Count == 0 ? "none" : string.Join(", ", data.Features.Select(kv => $"{kv.Key} {kv.Value.Rows} x {kv.Value.Cols}")));
        sb.AppendLine("</table>");
        sb.Append("<h2>Resolved configuration</h2><pre>").Append(Encode(resolvedConfig)).AppendLine("</pre>");
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string name, string value) =>
        sb.Append("<tr><th>").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).AppendLine("</td></tr>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
