// Writes the human-facing outputs of a finished run: results.json, the curve PNG and report.md.
using System.Globalization;
using System.Text;
using System.Text.Json;
using MultiRec.Evaluation;
using MultiRec.Training.Reporting;

namespace MultiRec.Training;

/// <summary>Final files of a run folder.</summary>
internal static class RunReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes results.json, training_curves.png, report.md and report.html.</summary>
    public static void Write(RunFolder run, TrainingResult result, IReadOnlyList<EpochRecord> records, IReadOnlyList<int> ks, Data.Dataset data)
    {
        RunFolder.WriteTextAtomic(run.ResultsFile, JsonSerializer.Serialize(result, Indented) + "\n");
        byte[]? curves = null;
        if (records.Count > 0)
        {
            curves = TrainingCurveChart.Render(records, result.ValidMetric, result.BestEpoch);
            RunFolder.WriteBytesAtomic(run.CurvesPng, curves);
        }

        RunFolder.WriteTextAtomic(run.Report, Markdown(result, ks));
        RunFolder.WriteTextAtomic(run.ReportHtml, RunReportHtml.Render(result, data, File.Exists(run.ConfigFile) ? File.ReadAllText(run.ConfigFile) : "", curves));
    }

    /// <summary>The metrics table of a result (valid and test at the best epoch).</summary>
    public static string MetricsTable(TrainingResult result, IReadOnlyList<int> ks)
    {
        if (result.Valid is null)
        {
            return "(no evaluation completed)\n";
        }

        var valid = MetricSet.FromDictionary(result.Valid, result.ValidUsers);
        var test = result.Test is null ? null : MetricSet.FromDictionary(result.Test, result.TestUsers);
        return MetricTable.Format(valid, test);
    }

    private static string Markdown(TrainingResult r, IReadOnlyList<int> ks)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"# {r.Model} on {r.Dataset}");
        sb.AppendLine();
        sb.AppendLine($"- best epoch (by valid {r.ValidMetric}): {r.BestEpoch} of {r.EpochsRun} run; stopped by {r.StoppedBy}");
        sb.AppendLine(inv, $"- wall time {r.SecondsTotal:F1} s; median {r.SecondsPerEpoch:F2} s per training epoch, {r.SecondsPerEvaluation:F2} s per evaluation; {r.Threads} threads");
        sb.AppendLine();
        sb.AppendLine("Metrics at the best epoch:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.Append(MetricsTable(r, ks));
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("Files: config.yaml (resolved configuration), metrics.jsonl (per epoch), results.json, best.safetensors, last.safetensors (with optimizer state), user_emb.npy / item_emb.npy (scoring embeddings), training_curves.png, report.html (this report with the curves, the data summary and the configuration, in one page).");
        return sb.ToString();
    }
}
