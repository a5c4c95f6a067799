// compare.html: one self-contained page (no external files) with the comparison table and its pictures.
using System.Globalization;
using System.Net;
using System.Text;

namespace MultiRec.Training.Comparison;

/// <summary>Renders a <see cref="ComparisonTable"/> and the charts of <see cref="ComparisonCharts"/> as one HTML page;
/// the pictures are embedded as data URIs, so the file can be mailed or archived alone.</summary>
internal static class ComparisonHtml
{
    public static string Render(ComparisonTable table, string folder)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html>");
        sb.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>MultiRec comparison: " + Encode(table.Dataset) + "</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:14px}"
            + "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child,td:nth-child(2){text-align:left}"
            + "td.best{font-weight:bold}figure{margin:1.5em 0}img{max-width:100%}</style></head><body>");
        sb.Append("<h1>Comparison on ").Append(Encode(table.Dataset)).AppendLine("</h1>");
        sb.Append("<p>").Append(table.Grid ? "Each model's grid at the first seed, winner on valid Recall@20" : "Default settings")
            .Append("; seeds ").Append(Encode(string.Join(", ", table.Rows[0].Seeds))).Append(". Best model by test Recall@20: <b>")
            .Append(Encode(table.BestModel)).AppendLine("</b>.</p>");
        sb.AppendLine("<table><thead><tr><th>model</th><th>setting</th>"
            + string.Concat(ComparisonTable.TestColumns.Select(c => $"<th>test {Encode(c)}</th>"))
            + "<th>valid recall@20</th><th>p vs best</th><th>epochs to best</th><th>s / epoch</th><th>s / eval</th><th>peak RSS MiB</th><th>parameters</th><th>wall s</th></tr></thead><tbody>");
        foreach (var r in table.Rows)
        {
            sb.Append("<tr><td>").Append(Encode(r.Model)).Append("</td><td>").Append(Encode(ComparisonRunner.Name(r.Setting))).Append("</td>");
            foreach (var c in ComparisonTable.TestColumns)
            {
                Cell(sb, r.Test[c].Mean == table.Rows.Max(x => x.Test[c].Mean), string.Create(inv, $"{r.Test[c].Mean:F4} ± {r.Test[c].Sd:F4}"));
            }

            Cell(sb, r.ValidRecall20.Mean == table.Rows.Max(x => x.ValidRecall20.Mean), r.ValidRecall20.Mean.ToString("F4", inv));
            Cell(sb, false, r.PValue is { } p ? p.ToString("G3", inv) : "best");
            Cell(sb, false, r.EpochsToBest.Mean.ToString("F1", inv));
            Cell(sb, r.SecondsPerEpoch == table.Rows.Min(x => x.SecondsPerEpoch), r.SecondsPerEpoch.ToString("F3", inv));
            Cell(sb, r.SecondsPerEvaluation == table.Rows.Min(x => x.SecondsPerEvaluation), r.SecondsPerEvaluation.ToString("F3", inv));
            Cell(sb, r.PeakRssMiB == table.Rows.Min(x => x.PeakRssMiB), r.PeakRssMiB.ToString("F0", inv));
            Cell(sb, r.TrainableParameters == table.Rows.Min(x => x.TrainableParameters), r.TrainableParameters.ToString("N0", inv));
            Cell(sb, false, r.WallSeconds.ToString("F1", inv));
            sb.AppendLine("</tr>");
        }

        sb.AppendLine("</tbody></table>");
        if (table.ImprovementPercent.Count > 0)
        {
            sb.Append("<p>Improvement of the best value of each column over the runner-up: ")
                .Append(Encode(string.Join(", ", table.ImprovementPercent.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:+0.00;-0.00}%")))))
                .AppendLine(".</p>");
        }

        sb.Append("<p>Bold: the best value of each column. p: ").Append(Encode(table.Significance)).AppendLine(".</p>");
        foreach (var (file, caption) in ComparisonCharts.Files)
        {
            var path = Path.Combine(folder, file);
            if (File.Exists(path))
            {
                sb.Append("<figure><img alt=\"").Append(Encode(caption)).Append("\" src=\"data:image/png;base64,")
                    .Append(Convert.ToBase64String(File.ReadAllBytes(path))).Append("\"><figcaption>").Append(Encode(caption)).AppendLine("</figcaption></figure>");
            }
        }

        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    private static void Cell(StringBuilder sb, bool best, string text) =>
        sb.Append(best ? "<td class=\"best\">" : "<td>").Append(Encode(text)).Append("</td>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
