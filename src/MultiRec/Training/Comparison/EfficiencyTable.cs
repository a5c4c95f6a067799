// The efficiency table (`compare --efficiency`): `bench` for every model on the same data and threads, one line each
// with seconds per epoch and per evaluation, peak resident memory and parameters; efficiency.md/.csv/.json.
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MultiRec.Models;

namespace MultiRec.Training.Comparison;

/// <summary>One model's cost on the data.</summary>
internal sealed record EfficiencyRow(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("epoch_seconds_median")] double EpochSeconds,
    [property: JsonPropertyName("eval_seconds_median")] double EvalSeconds,
    [property: JsonPropertyName("peak_rss_mib")] double PeakRssMiB,
    [property: JsonPropertyName("parameters")] long Parameters,
    [property: JsonPropertyName("bench")] BenchReport Bench);

/// <summary>The efficiency comparison of the catalog's models (the paper's cost table).</summary>
internal sealed record EfficiencyTable(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("rows")] IReadOnlyList<EfficiencyRow> Rows)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Benchmarks each model in turn. By default in this process: before each model the heap is compacted and
    /// the high-water mark reset (<see cref="PeakMemory"/>), but memory a previous model freed may not have gone back
    /// to the system, so its peak RSS can read high; <paramref name="bench"/> can run each model in a fresh process
    /// instead (the CLI does), which gives each model's own peak.</summary>
    public static EfficiencyTable Measure(
        ComparisonRequest request, int epochs, int threads, Action<string>? log = null, Func<string, BenchReport>? bench = null)
    {
        bench ??= model => InProcess(request, epochs, threads, log, model);
        var models = (request.Models.Count == 0 ? ModelCatalog.Names : request.Models).Select(ModelCatalog.Canonical).Distinct().ToList();
        var rows = new List<EfficiencyRow>();
        for (var i = 0; i < models.Count; i++)
        {
            log?.Invoke($"bench {i + 1} of {models.Count}: {models[i]}");
            var report = bench(models[i]);
            rows.Add(new EfficiencyRow(models[i], report.EpochSecondsMedian, report.EvalSecondsMedian, report.PeakRssMiB, report.Parameters, report));
        }

        var dataset = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.DataDir)));
        return new EfficiencyTable(dataset, epochs, rows.Count == 0 ? threads : rows[0].Bench.Threads, rows);
    }

    private static BenchReport InProcess(ComparisonRequest request, int epochs, int threads, Action<string>? log, string model)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        PeakMemory.Reset();
        return TrainingBenchmark.Run(request.DataDir, epochs, threads, request.Set, log, request.InterFile, model);
    }

    /// <summary>Writes efficiency.json, efficiency.csv and efficiency.md into <paramref name="folder"/>, each atomically.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        RunFolder.WriteTextAtomic(Path.Combine(folder, "efficiency.json"), JsonSerializer.Serialize(this, Indented) + "\n");
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("model,epoch_seconds_median,eval_seconds_median,peak_rss_mib,parameters\n");
        foreach (var r in Rows)
        {
            csv.Append(r.Model).Append(',').Append(r.EpochSeconds.ToString("R", inv)).Append(',').Append(r.EvalSeconds.ToString("R", inv))
                .Append(',').Append(r.PeakRssMiB.ToString("F1", inv)).Append(',').Append(r.Parameters.ToString(inv)).Append('\n');
        }

        RunFolder.WriteTextAtomic(Path.Combine(folder, "efficiency.csv"), csv.ToString());
        RunFolder.WriteTextAtomic(Path.Combine(folder, "efficiency.md"), Markdown());
    }

    /// <summary>The table for people.</summary>
    public string Markdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(inv, $"# Efficiency on {Dataset} ({Epochs} epochs per model, {Threads} threads)"));
        sb.AppendLine();
        sb.AppendLine("| model | s / epoch | s / evaluation | peak RSS MiB | parameters |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in Rows)
        {
            sb.AppendLine(string.Create(inv, $"| {r.Model} | {r.EpochSeconds:F3} | {r.EvalSeconds:F3} | {r.PeakRssMiB:F0} | {r.Parameters:N0} |"));
        }

        sb.AppendLine();
        sb.AppendLine("Seconds are medians over the epochs after the first (a warm-up), one evaluation = valid + test; parameters are every "
            + "stored float of the model (raw feature tables included where the model trains them).");
        return sb.ToString();
    }
}
