// The comparison table: per model, test metrics as mean ± sd over seeds, valid Recall@20, cost, and the paired
// significance of the best model against each other one; written as compare.md, compare.csv and compare.json.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MultiRec.Evaluation.Statistics;

namespace MultiRec.Training.Comparison;

/// <summary>A mean and sample standard deviation over seeds.</summary>
internal sealed record MeanSd([property: JsonPropertyName("mean")] double Mean, [property: JsonPropertyName("sd")] double Sd)
{
    public static MeanSd Of(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MeanSd(mean, sd);
    }
}

/// <summary>One model's line of the table.</summary>
internal sealed record ComparisonRow
{
    [JsonPropertyName("model")]
    public string Model { get; init; } = "";

    [JsonPropertyName("setting")]
    public IReadOnlyDictionary<string, string> Setting { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("seeds")]
    public IReadOnlyList<int> Seeds { get; init; } = [];

    /// <summary>Test recall@10, recall@20, ndcg@10, ndcg@20 over seeds.</summary>
    [JsonPropertyName("test")]
    public IReadOnlyDictionary<string, MeanSd> Test { get; init; } = new Dictionary<string, MeanSd>();

    [JsonPropertyName("valid_recall@20")]
    public MeanSd ValidRecall20 { get; init; } = new(0, 0);

    /// <summary>Two-sided p of the paired test against the best model on per-user test Recall@20; null for the best.</summary>
    [JsonPropertyName("p_value")]
    public double? PValue { get; init; }

    [JsonPropertyName("epochs_to_best")]
    public MeanSd EpochsToBest { get; init; } = new(0, 0);

    [JsonPropertyName("seconds_per_epoch")]
    public double SecondsPerEpoch { get; init; }

    [JsonPropertyName("seconds_per_evaluation")]
    public double SecondsPerEvaluation { get; init; }

    [JsonPropertyName("peak_rss_mib")]
    public double PeakRssMiB { get; init; }

    [JsonPropertyName("trainable_parameters")]
    public long TrainableParameters { get; init; }

    /// <summary>Seconds of every run of the model (grid points included).</summary>
    [JsonPropertyName("wall_seconds")]
    public double WallSeconds { get; init; }

    [JsonPropertyName("runs")]
    public IReadOnlyList<string> Runs { get; init; } = [];
}

/// <summary>The whole table, as compare.json holds it.</summary>
internal sealed record ComparisonTable
{
    /// <summary>The columns of test metrics, in table order.</summary>
    public static readonly string[] TestColumns = ["recall@10", "recall@20", "ndcg@10", "ndcg@20"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [JsonPropertyName("dataset")]
    public string Dataset { get; init; } = "";

    [JsonPropertyName("grid")]
    public bool Grid { get; init; }

    /// <summary>How the p-values were computed.</summary>
    [JsonPropertyName("significance")]
    public string Significance { get; init; } = "";

    [JsonPropertyName("best_model")]
    public string BestModel { get; init; } = "";

    /// <summary>Per test column: the best model's improvement over the runner-up, in percent.</summary>
    [JsonPropertyName("improvement_percent")]
    public IReadOnlyDictionary<string, double> ImprovementPercent { get; init; } = new Dictionary<string, double>();

    [JsonPropertyName("rows")]
    public IReadOnlyList<ComparisonRow> Rows { get; init; } = [];

    /// <summary>Builds the table from the runs; the best model is the one with the highest mean test Recall@20.</summary>
    public static ComparisonTable Build(string dataset, bool grid, IReadOnlyList<ModelRuns> models)
    {
        var pooled = models.ToDictionary(m => m.Model, PooledRecall);
        var best = models.OrderByDescending(m => Mean(m, "recall@20")).ThenBy(m => m.Model, StringComparer.Ordinal).First();
        var rows = models.Select(m => new ComparisonRow
        {
            Model = m.Model,
            Setting = m.Setting,
            Seeds = m.Final.Select(r => r.Record.Seed).ToList(),
            Test = TestColumns.ToDictionary(c => c, c => MeanSd.Of(m.Final.Select(r => r.Result.Test![c]).ToList())),
            ValidRecall20 = MeanSd.Of(m.Final.Select(r => r.Result.Valid!["recall@20"]).ToList()),
            PValue = m.Model == best.Model ? null : Compare(pooled[best.Model], pooled[m.Model]).PValue,
            EpochsToBest = MeanSd.Of(m.Final.Select(r => (double)r.Result.BestEpoch).ToList()),
            SecondsPerEpoch = SecondsSummary.Median(m.Final.Select(r => r.Result.SecondsPerEpoch)),
            SecondsPerEvaluation = SecondsSummary.Median(m.Final.Select(r => r.Result.SecondsPerEvaluation)),
            PeakRssMiB = m.All.Max(r => r.Record.PeakRssMiB),
            TrainableParameters = m.Final[0].Record.TrainableParameters,
            WallSeconds = m.All.Sum(r => r.Record.WallSeconds),
            Runs = m.Final.Select(r => r.Folder).ToList(),
        }).ToList();

        var improvement = new Dictionary<string, double>();
        foreach (var column in TestColumns)
        {
            var ordered = rows.Select(r => r.Test[column].Mean).OrderDescending().ToList();
            if (ordered.Count > 1 && ordered[1] > 0)
            {
                improvement[column] = 100 * (ordered[0] - ordered[1]) / ordered[1];
            }
        }

        return new ComparisonTable
        {
            Dataset = dataset,
            Grid = grid,
            Significance = "paired Wilcoxon signed-rank test (two-sided, normal approximation, zero differences dropped) of the best model "
                + "against each other model on per-user test Recall@20, each user's value averaged over the seeds first",
            BestModel = best.Model,
            ImprovementPercent = improvement,
            Rows = rows,
        };
    }

    /// <summary>Writes compare.json, compare.csv, compare.md, the charts and compare.html into <paramref name="folder"/>,
    /// each atomically.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        RunFolder.WriteTextAtomic(Path.Combine(folder, "compare.json"), JsonSerializer.Serialize(this, Indented) + "\n");
        RunFolder.WriteTextAtomic(Path.Combine(folder, "compare.csv"), Csv());
        RunFolder.WriteTextAtomic(Path.Combine(folder, "compare.md"), Markdown());
        ComparisonCharts.Write(this, folder);
        RunFolder.WriteTextAtomic(Path.Combine(folder, "compare.html"), ComparisonHtml.Render(this, folder));
    }

    /// <summary>One line per model, plain numbers (means and standard deviations in separate columns).</summary>
    public string Csv()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("model,setting,");
        sb.Append(string.Join(",", TestColumns.SelectMany(c => new[] { $"test_{c}_mean", $"test_{c}_sd" })));
        sb.AppendLine(",valid_recall@20_mean,p_value,epochs_to_best,seconds_per_epoch,seconds_per_evaluation,peak_rss_mib,trainable_parameters,wall_seconds");
        foreach (var r in Rows)
        {
            sb.Append(r.Model).Append(',').Append(ComparisonRunner.Name(r.Setting).Replace(',', ';')).Append(',');
            sb.Append(string.Join(",", TestColumns.SelectMany(c => new[] { r.Test[c].Mean.ToString("R", inv), r.Test[c].Sd.ToString("R", inv) })));
            sb.Append(',').Append(r.ValidRecall20.Mean.ToString("R", inv))
                .Append(',').Append(r.PValue?.ToString("R", inv) ?? "")
                .Append(',').Append(r.EpochsToBest.Mean.ToString("R", inv))
                .Append(',').Append(r.SecondsPerEpoch.ToString("R", inv))
                .Append(',').Append(r.SecondsPerEvaluation.ToString("R", inv))
                .Append(',').Append(r.PeakRssMiB.ToString("F1", inv))
                .Append(',').Append(r.TrainableParameters.ToString(inv))
                .Append(',').Append(r.WallSeconds.ToString("F1", inv)).AppendLine();
        }

        return sb.ToString();
    }

    /// <summary>The table for people: mean ± sd, the best value per column in bold, p-values, and the improvement line.</summary>
    public string Markdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(inv, $"# Comparison on {Dataset} ({(Grid ? "each model's grid, winner on valid Recall@20" : "default settings")}; seeds {string.Join(", ", Rows[0].Seeds)})"));
        sb.AppendLine();
        sb.AppendLine("| model | setting | " + string.Join(" | ", TestColumns.Select(c => "test " + c)) + " | valid recall@20 | p vs best | epochs to best | s / epoch | s / eval | peak RSS MiB | parameters | wall s |");
        sb.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", TestColumns.Length + 8)));
        foreach (var r in Rows)
        {
            sb.Append("| ").Append(r.Model).Append(" | ").Append(ComparisonRunner.Name(r.Setting)).Append(" | ");
            foreach (var c in TestColumns)
            {
                sb.Append(Bold(r.Test[c].Mean == Rows.Max(x => x.Test[c].Mean), string.Create(inv, $"{r.Test[c].Mean:F4} ± {r.Test[c].Sd:F4}"))).Append(" | ");
            }

            sb.Append(Bold(r.ValidRecall20.Mean == Rows.Max(x => x.ValidRecall20.Mean), r.ValidRecall20.Mean.ToString("F4", inv))).Append(" | ")
                .Append(r.PValue is { } p ? FormatP(p) : "best").Append(" | ")
                .Append(r.EpochsToBest.Mean.ToString("F1", inv)).Append(" | ")
                .Append(Bold(r.SecondsPerEpoch == Rows.Min(x => x.SecondsPerEpoch), r.SecondsPerEpoch.ToString("F3", inv))).Append(" | ")
                .Append(Bold(r.SecondsPerEvaluation == Rows.Min(x => x.SecondsPerEvaluation), r.SecondsPerEvaluation.ToString("F3", inv))).Append(" | ")
                .Append(Bold(r.PeakRssMiB == Rows.Min(x => x.PeakRssMiB), r.PeakRssMiB.ToString("F0", inv))).Append(" | ")
                .Append(Bold(r.TrainableParameters == Rows.Min(x => x.TrainableParameters), r.TrainableParameters.ToString("N0", inv))).Append(" | ")
                .Append(r.WallSeconds.ToString("F1", inv)).AppendLine(" |");
        }

        sb.AppendLine();
        if (ImprovementPercent.Count > 0)
        {
            var runnerUp = Rows.Where(r => r.Model != BestModel).OrderByDescending(r => r.Test["recall@20"].Mean).First().Model;
            sb.AppendLine(string.Create(inv, $"Best model by test Recall@20: **{BestModel}**; improvement over the runner-up of each column (runner-up by Recall@20: {runnerUp}): ")
                + string.Join(", ", ImprovementPercent.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:+0.00;-0.00}%"))) + ".");
        }

        sb.AppendLine();
        sb.AppendLine("Bold: the best value of each column (highest metric; lowest cost). p: " + Significance + ".");
        return sb.ToString();
    }

    /// <summary>The paired test of two models' per-user values (users matched by id).</summary>
    public static SignedRankResult Compare((int[] Users, double[] Values) best, (int[] Users, double[] Values) other)
    {
        if (!best.Users.AsSpan().SequenceEqual(other.Users))
        {
            throw new InvalidOperationException("the two models were evaluated on different users");
        }

        return WilcoxonSignedRank.Test(best.Values, other.Values);
    }

    private static (int[] Users, double[] Values) PooledRecall(ModelRuns m)
    {
        var users = m.Final[0].TestUsers;
        var values = new double[users.Length];
        foreach (var run in m.Final)
        {
            if (!run.TestUsers.AsSpan().SequenceEqual(users))
            {
                throw new InvalidOperationException($"{m.Model}: runs were evaluated on different users");
            }

            for (var i = 0; i < values.Length; i++)
            {
                values[i] += run.TestRecall20[i] / m.Final.Count;
            }
        }

        return (users, values);
    }

    private static double Mean(ModelRuns m, string column) => m.Final.Average(r => r.Result.Test![column]);

    private static string Bold(bool best, string text) => best ? "**" + text + "**" : text;

    private static string FormatP(double p) => p < 1e-4 ? p.ToString("0.0E+0", CultureInfo.InvariantCulture) : p.ToString("F4", CultureInfo.InvariantCulture);
}
